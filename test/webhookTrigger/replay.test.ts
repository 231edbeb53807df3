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
	ReplayStore,
	replayClock,
} from '../../nodes/HighLevelWebhookTrigger/replay';
import { event, newSigner, post, postSigned, serve, useWebhookServers } from './helpers';

useWebhookServers();

const signer = newSigner();
const parameters = { events: ['InboundMessage', 'OutboundMessage'], publicKey: signer.publicKeyPem };
const realNow = replayClock.now;
let offset = 0;

beforeEach(() => {
	offset = 0;
	replayClock.now = () => realNow() + offset;
});
afterAll(() => {
	replayClock.now = realNow;
});

const text = (extra: IDataObject = {}) => JSON.stringify(event('InboundMessage', 0, extra));

/** The IDs the static data (n8n's database) remembers. */
function persistedIds(staticData: IDataObject): string[] {
	const node = staticData['node:HighLevel Webhook Trigger'] as IDataObject | undefined;
	return (JSON.parse(String(node?.replay ?? '[]')) as Array<[string, number]>).map(([id]) => id);
}

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
		const answers = await Promise.all(
			bodies.flatMap((body) => Array.from({ length: 20 }, () => postSigned(server.url, signer, body))),
		);
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

describe('across restarts (static data in n8n\'s database)', () => {
	it('an event accepted before a restart is recognised after it', async () => {
		const server = await serve(parameters);
		const body = text();
		await postSigned(server.url, signer, body);
		expect(persistedIds(server.staticData)).toEqual([JSON.parse(body).webhookId]);
		server.restart();
		expect((await postSigned(server.url, signer, body)).status).toBe(200);
		expect(await server.idle()).toHaveLength(1);
	});

	it('concurrent requests that overwrite each other\'s static data (n8n saves per request) lose nothing from the record: the next save writes them back', async () => {
		const server = await serve(parameters);
		const bodies = Array.from({ length: 10 }, () => text());
		await Promise.all(bodies.map((body) => postSigned(server.url, signer, body)));
		const last = text();
		await postSigned(server.url, signer, last);
		const expected = [...bodies, last].map((body) => JSON.parse(body).webhookId).sort();
		expect(persistedIds(server.staticData).sort()).toEqual(expected);
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

	it(`the static data keeps at most ${MAX_PERSISTED} IDs, the most recent`, async () => {
		const store = new ReplayStore();
		const staticData: IDataObject = {};
		const now = Date.now();
		for (let i = 0; i < MAX_PERSISTED + 500; i++) {
			store.remember(`id-${i}`, now + i);
			store.save(staticData, now + i);
		}
		const ids = (JSON.parse(String(staticData.replay)) as Array<[string, number]>).map(([id]) => id);
		expect(ids).toHaveLength(MAX_PERSISTED);
		expect(ids[0]).toBe('id-500');
		expect(ids.at(-1)).toBe(`id-${MAX_PERSISTED + 499}`);
	});
});

describe('the window: remembered for a day, then forgotten; older timestamps refused', () => {
	it('a retry within the window is a duplicate; after it, the record is pruned and the stale timestamp refused (401)', async () => {
		const server = await serve(parameters);
		const body = text();
		await postSigned(server.url, signer, body);
		offset = REPLAY_WINDOW_MS - 60_000;
		expect((await postSigned(server.url, signer, body)).status).toBe(200);
		offset = REPLAY_WINDOW_MS + 60_000;
		// A fresh event prunes the record...
		await postSigned(server.url, signer, text({ timestamp: new Date(realNow() + offset).toISOString() }));
		expect(persistedIds(server.staticData)).toHaveLength(1);
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
		const store = new ReplayStore();
		const now = Date.now();
		for (let i = 0; i < MAX_REMEMBERED + 10; i++) store.remember(`id-${i}`, now);
		expect(store.size).toBe(MAX_REMEMBERED);
		expect(store.remember(`id-${MAX_REMEMBERED + 9}`, now)).toBe(false);
		expect(store.remember('id-0', now)).toBe(true);
	});
});
