/**
 * Replays and retries: a webhookId seen before starts no second execution, also for 20 concurrent
 * deliveries, also after a restart of n8n (static data, as n8n's database keeps it), within a
 * bounded, pruned record; timestamps outside the window are refused. Real HTTP into n8n's stand-in
 * webhook server, whose static data is loaded and saved per request as n8n's LiveWebhooks does.
 */
import type { IDataObject } from 'n8n-workflow';
import {
	FUTURE_SKEW_MS,
	MAX_PERSISTED,
	MAX_REMEMBERED,
	REPLAY_WINDOW_MS,
	ReplayMemory,
	keyOf,
} from '../../nodes/HighLevelWebhookTrigger/replay';
import { event, newSigner, post, postSigned, serve, useWebhookServers } from './helpers';

useWebhookServers();

const signer = newSigner();
const parameters = { events: ['InboundMessage', 'OutboundMessage'], publicKey: signer.publicKeyPem };
const realNow = Date.now;
let offset = 0;

/** Moves n8n's clock to `ms` from the real time: Jest's fake Date; timers stay real, so HTTP works. */
function clockAt(ms: number): void {
	offset = ms;
	jest.setSystemTime(realNow() + ms);
}

beforeEach(() => {
	jest.useFakeTimers({
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
		advanceTimers: true,
	});
	clockAt(0);
});
afterEach(() => {
	jest.useRealTimers();
});

/** A trigger node's replay record, as the node type's memory of a fresh process gives it. */
const freshStore = () => new ReplayMemory().storeFor('workflow', 'node');

const text = (extra: IDataObject = {}) => JSON.stringify(event('InboundMessage', 0, extra));

/** The keys the static data (n8n's database) remembers ("<key>.<seconds>" entries). */
function persistedKeys(staticData: IDataObject): string[] {
	const node = staticData['node:HighLevel Webhook Trigger'] as IDataObject | undefined;
	const text = String(node?.replay ?? '');
	return text ? text.split(' ').map((entry) => entry.split('.')[0]) : [];
}

const keysOf = (bodies: string[]) => bodies.map((body) => keyOf(String(JSON.parse(body).webhookId)));

describe('replays and retries', () => {
	it('the same event delivered again (a retry, a replay): 200 each time, one execution', async () => {
		const server = await serve(parameters);
		const body = text();
		const statuses = [];
		for (let i = 0; i < 13; i++) statuses.push((await postSigned(server.url, signer, body)).status);
		expect(statuses).toEqual(Array(13).fill(200));
		expect(await server.idle()).toHaveLength(1);
	});

	it('20 concurrent deliveries of one event: 20 × 200, exactly one execution', async () => {
		const server = await serve(parameters);
		const body = text();
		const answers = await Promise.all(Array.from({ length: 20 }, () => postSigned(server.url, signer, body)));
		expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
		const runs = await server.idle();
		expect(runs).toHaveLength(1);
		expect(runs[0].json('Next')[0].webhookId).toBe(JSON.parse(body).webhookId);
	});

	it('20 concurrent events, each delivered 20 times concurrently: 400 answers 200, 20 executions, one per event', async () => {
		const server = await serve(parameters);
		const bodies = Array.from({ length: 20 }, () => text());
		const answers = await Promise.all(bodies.flatMap((body) => Array.from({ length: 20 }, () => postSigned(server.url, signer, body))));
		expect(answers.every((answer) => answer.status === 200)).toBe(true);
		const runs = await server.idle();
		const ids = runs.map((run) => run.json('Next')[0].webhookId).sort();
		expect(ids).toEqual(bodies.map((body) => JSON.parse(body).webhookId).sort());
	});

	it('the same webhookId with another (signed) body is still one event', async () => {
		const server = await serve(parameters);
		await postSigned(server.url, signer, text({ webhookId: 'same-id', body: 'first' }));
		expect((await postSigned(server.url, signer, text({ webhookId: 'same-id', body: 'second' }))).status).toBe(200);
		const runs = await server.idle();
		expect(runs.map((run) => run.json('Next')[0].body)).toEqual(['first']);
	});

	it('an event without webhookId is recognised by its exact bytes', async () => {
		const server = await serve(parameters);
		const body = JSON.stringify({ ...event(), webhookId: undefined });
		await postSigned(server.url, signer, body);
		await postSigned(server.url, signer, body);
		const runs = await server.idle();
		expect(runs).toHaveLength(1);
		expect(runs[0].json('Next')[0].webhookId).toMatch(/^sha256:/);
	});

	it('refused deliveries do not use up the event: a tampered then a genuine delivery gives one execution', async () => {
		const server = await serve(parameters);
		const body = text();
		const tampered = body.replace('This is a test message', 'This is a test messagf');
		expect((await post(server.url, tampered, { 'x-ghl-signature': signer.sign(body) })).status).toBe(401);
		expect((await postSigned(server.url, signer, body)).status).toBe(200);
		expect(await server.idle()).toHaveLength(1);
	});

	it('filtered events are answered 200 and remembered nowhere (no static data written)', async () => {
		const server = await serve({ ...parameters, filters: { locationIds: 'other-location' } });
		expect((await postSigned(server.url, signer, text())).status).toBe(200);
		expect(server.executions).toHaveLength(0);
		expect(server.staticData).toEqual({});
	});
});

describe("across restarts (static data in n8n's database)", () => {
	it('an event accepted before a restart is recognised after it', async () => {
		const server = await serve(parameters);
		const body = text();
		await postSigned(server.url, signer, body);
		expect(persistedKeys(server.staticData)).toEqual(keysOf([body]));
		server.restart();
		expect((await postSigned(server.url, signer, body)).status).toBe(200);
		expect(await server.idle()).toHaveLength(1);
	});

	it("concurrent requests that overwrite each other's static data (n8n saves per request) lose nothing from the record: the next save writes them back", async () => {
		const server = await serve(parameters);
		const bodies = Array.from({ length: 10 }, () => text());
		await Promise.all(bodies.map((body) => postSigned(server.url, signer, body)));
		const last = text();
		await postSigned(server.url, signer, last);
		expect(persistedKeys(server.staticData).sort()).toEqual(keysOf([...bodies, last]).sort());
		server.restart();
		for (const body of bodies) await postSigned(server.url, signer, body);
		expect(await server.idle()).toHaveLength(11);
	});

	it('a second process (queue mode: another webhook process) recognises a retry by the database', async () => {
		const first = await serve(parameters);
		const body = text();
		await postSigned(first.url, signer, body);
		// Another process: no shared memory, the same database.
		first.restart();
		const second = await serve(parameters, first.staticData);
		expect((await postSigned(second.url, signer, body)).status).toBe(200);
		expect(second.executions).toHaveLength(0);
	});

	it("test events (the editor's test URL, manual mode) are de-duplicated among themselves only, in memory", async () => {
		const test = await serve(parameters, undefined, 'manual');
		const body = text();
		await postSigned(test.url, signer, body);
		await postSigned(test.url, signer, body);
		expect(await test.idle()).toHaveLength(1);
		expect(test.staticData).toEqual({});
		const live = await serve(parameters);
		await postSigned(live.url, signer, body);
		expect(await live.idle()).toHaveLength(1);
	});

	it(`the static data keeps at most ${MAX_PERSISTED} IDs, the most recent, about 24 bytes each`, () => {
		const store = freshStore();
		const staticData: IDataObject = {};
		const now = Date.now();
		for (let i = 0; i < MAX_PERSISTED * 3; i++) {
			store.load(staticData, now);
			store.remember(`id-${i}`, now + i);
			store.save(staticData);
		}
		const keys = String(staticData.replay)
			.split(' ')
			.map((entry) => entry.split('.')[0]);
		expect(keys.length).toBeGreaterThanOrEqual(MAX_PERSISTED);
		expect(keys.length).toBeLessThanOrEqual(MAX_PERSISTED * 1.1);
		expect(keys.at(-1)).toBe(keyOf(`id-${MAX_PERSISTED * 3 - 1}`));
		expect(keys).not.toContain(keyOf(`id-${MAX_PERSISTED * 3 - Math.ceil(MAX_PERSISTED * 1.1) - 1}`));
		expect(String(staticData.replay).length).toBeLessThan(MAX_PERSISTED * 1.1 * 25);
		// A fresh process reads it back: the most recent IDs are known.
		const restarted = freshStore();
		restarted.load(staticData, now + MAX_PERSISTED * 3);
		expect(restarted.remember(`id-${MAX_PERSISTED * 3 - 1}`, now + MAX_PERSISTED * 3)).toBe(false);
		expect(restarted.remember(`id-${MAX_PERSISTED * 2}`, now + MAX_PERSISTED * 3)).toBe(false);
	});

	it('a damaged record in static data is ignored and rewritten', () => {
		const store = freshStore();
		const staticData: IDataObject = { replay: 'garbage !! 12.zz x' };
		store.load(staticData, Date.now());
		expect(store.remember('id-1', Date.now())).toBe(true);
		store.save(staticData);
		expect(staticData.replay).toMatch(/^[A-Za-z0-9_-]{16}\.[0-9a-z]+$/);
	});
});

describe('the window: remembered for a day, then forgotten; older timestamps refused', () => {
	it('a retry within the window is a duplicate; after it, the record is pruned and the stale timestamp refused (401)', async () => {
		const server = await serve(parameters);
		const body = text();
		await postSigned(server.url, signer, body);
		clockAt(REPLAY_WINDOW_MS - 60_000);
		expect((await postSigned(server.url, signer, body)).status).toBe(200);
		clockAt(REPLAY_WINDOW_MS + 60_000);
		// A fresh event prunes the record...
		await postSigned(server.url, signer, text({ timestamp: new Date(realNow() + offset).toISOString() }));
		expect(persistedKeys(server.staticData)).toHaveLength(1);
		// ...and the old one, now outside the window, is refused by its timestamp.
		expect((await postSigned(server.url, signer, body)).status).toBe(401);
		expect(await server.idle()).toHaveLength(2);
	});

	it.each([
		['older than the window (ISO)', () => new Date(realNow() - REPLAY_WINDOW_MS - 1000).toISOString()],
		['older than the window (epoch ms)', () => realNow() - REPLAY_WINDOW_MS - 1000],
		['older than the window (epoch seconds)', () => Math.floor((realNow() - REPLAY_WINDOW_MS - 1000) / 1000)],
		['too far in the future', () => new Date(realNow() + FUTURE_SKEW_MS + 60_000).toISOString()],
	])('a signed event with a timestamp %s: 401, no execution', async (_name, timestamp) => {
		const server = await serve(parameters);
		expect(await postSigned(server.url, signer, text({ timestamp: timestamp() }))).toEqual({
			status: 401,
			text: JSON.stringify({ message: 'Unauthorized' }),
		});
		expect(server.executions).toHaveLength(0);
	});

	it('timestamps just inside the window, a little in the future, absent or unreadable are accepted', async () => {
		const server = await serve(parameters);
		for (const timestamp of [
			new Date(realNow() - REPLAY_WINDOW_MS + 60_000).toISOString(),
			new Date(realNow() + 60_000).toISOString(),
			undefined,
			'not a date',
		]) {
			expect((await postSigned(server.url, signer, text({ timestamp }))).status).toBe(200);
		}
		expect(await server.idle()).toHaveLength(4);
	});

	it(`memory is bounded: at most ${MAX_REMEMBERED} IDs, the oldest forgotten first`, () => {
		const store = freshStore();
		const now = Date.now();
		for (let i = 0; i < MAX_REMEMBERED + 10; i++) store.remember(`id-${i}`, now);
		expect(store.size).toBe(MAX_REMEMBERED);
		expect(store.remember(`id-${MAX_REMEMBERED + 9}`, now)).toBe(false);
		expect(store.remember('id-0', now)).toBe(true);
	});
});

describe('node version 1.1 (what a new node gets): the same record, through restarts', () => {
	it('events accepted before a restart, delivered again after it (20 concurrent copies each): 200, no execution; a new event runs', async () => {
		const server = await serve(parameters, undefined, undefined, 1.1);
		const bodies = [text(), text(), text()];
		for (const body of bodies) expect((await postSigned(server.url, signer, body)).status).toBe(200);
		expect(await server.idle()).toHaveLength(3);
		server.restart();
		const copies = bodies.flatMap((body) => Array.from({ length: 20 }, () => body));
		const answers = await Promise.all(copies.map((body) => postSigned(server.url, signer, body)));
		expect(answers.map((answer) => answer.status)).toEqual(Array(60).fill(200));
		expect(await server.idle()).toHaveLength(3);
		const fresh = text();
		expect((await postSigned(server.url, signer, fresh)).status).toBe(200);
		const runs = await server.idle();
		expect(runs).toHaveLength(4);
		expect(server.triggered.map((items) => items[0].json.webhookId)).toEqual([...bodies, fresh].map((body) => JSON.parse(body).webhookId));
	});

	it('an event never answered 200 before a restart (refused, so HighLevel retries it) is accepted after it, once', async () => {
		const server = await serve(parameters, undefined, undefined, 1.1);
		const body = text();
		expect((await post(server.url, body, { 'x-ghl-signature': signer.sign(`${body} `) })).status).toBe(401);
		expect(persistedKeys(server.staticData)).toEqual([]);
		server.restart();
		const retries = await Promise.all(Array.from({ length: 12 }, () => postSigned(server.url, signer, body)));
		expect(retries.map((answer) => answer.status)).toEqual(Array(12).fill(200));
		expect(await server.idle()).toHaveLength(1);
		expect(persistedKeys(server.staticData)).toEqual(keysOf([body]));
	});

	it('a body n8n leaves unread at this version (a content type it does not parse) is read and verified over its raw bytes', async () => {
		const server = await serve(parameters, undefined, undefined, 1.1);
		const body = text();
		const headers = { 'content-type': 'application/octet-stream' };
		expect((await postSigned(server.url, signer, body, headers)).status).toBe(200);
		expect((await post(server.url, body, { ...headers, 'x-ghl-signature': signer.sign(`${body} `) })).status).toBe(401);
		expect((await postSigned(server.url, signer, body, headers)).status).toBe(200);
		expect(await server.idle()).toHaveLength(1);
		expect(server.triggered[0][0].json.webhookId).toBe(JSON.parse(body).webhookId);
	});
});
