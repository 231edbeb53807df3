/**
 * The trigger's events against the sandbox (listening on 127.0.0.1, fake clock), through n8n's
 * engine with the static data kept between polls: ties and pages, a conversation that moves while
 * a poll reads, first activation with and without a lookback, scheduled messages, restarts, and the
 * New Conversation and Conversation Updated events with what they cannot see.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { createSandbox, DEMO, type Conversation, type Sandbox, type SandboxOptions } from '../../sandbox';
import { credentials } from '../support/engine';
import { json } from '../support/api';
import { TriggerHarness } from '../support/poll';
import { fakeClock } from '../sandbox/helpers';

interface Exchange {
	path: string;
	query: Record<string, string>;
}

async function setup(options: SandboxOptions & { start?: number } = {}) {
	const clock = fakeClock(options.start);
	const exchanges: Exchange[] = [];
	const hooks: Array<(exchange: Exchange) => void> = [];
	const sandbox = await createSandbox({
		conversations: 300,
		rateLimit: false,
		now: clock.now,
		...options,
		onExchange: ({ path, query }) => {
			const exchange = { path, query: query as Record<string, string> };
			exchanges.push(exchange);
			for (const hook of hooks) hook(exchange);
		},
	});
	const baseUrl = await sandbox.listen();
	const credential = credentials.privateIntegrationToken({
		privateIntegrationToken: sandbox.token,
		locationId: sandbox.locationId,
		baseUrl,
	});
	return {
		sandbox,
		clock,
		exchanges,
		hooks,
		trigger: (parameters: INodeParameters) => new TriggerHarness({ parameters, credentials: credential }),
		/** Requests made by `run`. */
		async count<T>(run: () => Promise<T>): Promise<{ result: T; requests: Exchange[] }> {
			const before = exchanges.length;
			const result = await run();
			return { result, requests: exchanges.slice(before) };
		},
	};
}

const inbound = (sandbox: Sandbox, conversation: Conversation, extra: { date?: number; body?: string } = {}) =>
	sandbox.state.addMessage(conversation, { direction: 'inbound', messageType: 'TYPE_SMS', body: extra.body ?? 'hello', date: extra.date });

const ids = (items: Array<{ json: unknown }>) => json(items).map((item) => String((item as IDataObject).id));

/** Conversations ordered as search shows them (most recent last message first). */
const byActivity = (sandbox: Sandbox) =>
	sandbox.state.listConversations().sort((a, b) => b.lastMessageDate - a.lastMessageDate || b.id.localeCompare(a.id));

describe('Conversations API Trigger against the sandbox: New Message', () => {
	let sandbox: Sandbox;
	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterEach(() => sandbox.close());
	afterAll(() => nock.disableNetConnect());

	it('ties at a search page boundary: the next page starts at the boundary value again, nothing is skipped', async () => {
		const env = await setup({ uniqueTimestamps: false });
		sandbox = env.sandbox;
		const trigger = env.trigger({ event: 'newMessage', direction: 'both' });
		await trigger.poll();
		env.clock.advance(30_000);
		const conversations = byActivity(sandbox);
		const older = env.clock.now();
		for (const conversation of conversations.slice(100, 160)) inbound(sandbox, conversation);
		env.clock.advance(1_000);
		const newer = env.clock.now();
		for (const conversation of conversations.slice(0, 60)) inbound(sandbox, conversation);

		const { result, requests } = await env.count(() => trigger.poll());
		expect(result.items).toHaveLength(120);
		expect(new Set(ids(result.items)).size).toBe(120);
		const searches = requests.filter((request) => request.path === '/conversations/search').map((request) => request.query.startAfterDate);
		// Page 1: 60 at `newer` + 40 of the 60 at `older`; page 2 from `older` + 1; then the recheck of the top.
		expect(searches).toEqual([undefined, String(older + 1), undefined]);
		expect(json(result.items).map((item) => Date.parse(String((item as IDataObject).dateAdded)))).toEqual([
			...Array(60).fill(older),
			...Array(60).fill(newer),
		]);
		void newer;
	});

	it('a page made entirely of one value: that value is read by creation-date ranges, nothing is skipped', async () => {
		const env = await setup({ uniqueTimestamps: false });
		sandbox = env.sandbox;
		const trigger = env.trigger({ event: 'newMessage', direction: 'both' });
		await trigger.poll();
		env.clock.advance(30_000);
		const tied = byActivity(sandbox).slice(0, 250);
		for (const conversation of tied) inbound(sandbox, conversation);

		const { result, requests } = await env.count(() => trigger.poll());
		expect(new Set(ids(result.items)).size).toBe(250);
		expect(result.items).toHaveLength(250);
		const split = requests.filter((request) => request.path === '/conversations/search' && request.query.endDate !== undefined);
		// Split at the median creation date of the rows read: 250 rows need 2 to 3 levels (the range
		// reaches past the sort value: a message can be dated before its conversation was created).
		expect(split.length).toBeGreaterThanOrEqual(2);
		expect(split.length).toBeLessThanOrEqual(12);
		for (const request of split) expect(request.query.startAfterDate).toBe(String(env.clock.now() + 1));
		// While the block is within the overlap, a poll reads it again (a few requests) and emits nothing;
		// once it is older, an idle poll is one request.
		env.clock.advance(30_000);
		const again = await env.count(() => trigger.poll());
		expect(again.result.returned).toBeNull();
		expect(again.requests.length).toBeLessThanOrEqual(split.length + 3); // + the page below it and the recheck
		env.clock.advance(31_000);
		inbound(sandbox, byActivity(sandbox)[260]);
		const after = await env.count(() => trigger.poll());
		expect(after.result.items).toHaveLength(1);
		const idle = await env.count(() => trigger.poll());
		expect(idle.result.returned).toBeNull();
		expect(idle.requests).toHaveLength(1);
	});

	it('a conversation that gets a message while a long window is read (moving above the pages still to read) is not missed', async () => {
		const env = await setup();
		sandbox = env.sandbox;
		const trigger = env.trigger({ event: 'newMessage', direction: 'both' });
		await trigger.poll();
		// n8n was down for 10 minutes; 150 conversations got a message meanwhile, 4 s apart.
		const start = env.clock.now();
		env.clock.advance(10 * 60_000);
		const conversations = byActivity(sandbox).slice(0, 150).reverse();
		const early = conversations.map((conversation, i) => inbound(sandbox, conversation, { date: start + 1_000 + i * 4_000 }));
		// While the poll reads its first search page, the conversation of the 11th oldest message gets a new one.
		const moving = conversations[10];
		let late: string | undefined;
		env.hooks.push((exchange) => {
			if (!late && exchange.path === '/conversations/search') late = inbound(sandbox, moving, { body: 'while polling' }).id;
		});
		const first = await trigger.poll();
		env.clock.advance(3 * 60_000);
		const second = await trigger.poll();
		const emitted = [...ids(first.items), ...ids(second.items)];
		expect(emitted.sort()).toEqual([...early.map((message) => message.id), late!].sort());
		expect(ids(first.items)).toContain(early[10].id);
	});

	it('first activation starts from now; with "Include Last Minutes" it first emits the last minutes, oldest first', async () => {
		const now = Math.floor(Date.now() / 60_000) * 60_000;
		const env = await setup({ start: now, conversations: 40 });
		sandbox = env.sandbox;
		const [a, b, c] = byActivity(sandbox).slice(5, 8);
		const twentyAgo = inbound(sandbox, a, { date: now - 20 * 60_000 });
		const fiveAgo = inbound(sandbox, b, { date: now - 5 * 60_000 });
		const oneAgo = inbound(sandbox, c, { date: now - 60_000 });

		const plain = await env.trigger({ event: 'newMessage', direction: 'both' }).poll();
		expect(plain.returned).toBeNull();

		const withLookback = await env.trigger({ event: 'newMessage', direction: 'both', options: { lookbackMinutes: 10 } }).poll();
		const emitted = json(withLookback.items) as IDataObject[];
		expect(emitted.map((item) => item.id)).toEqual(expect.arrayContaining([fiveAgo.id, oneAgo.id]));
		expect(emitted.map((item) => item.id)).not.toContain(twentyAgo.id);
		const times = emitted.map((item) => Date.parse(String(item.dateAdded)));
		expect(times).toEqual([...times].sort((x, y) => x - y));
		for (const time of times) expect(time).toBeGreaterThanOrEqual(now - 10 * 60_000 - 1_000);
	});

	it('a scheduled message is emitted once, when it is sent', async () => {
		const env = await setup({ conversations: 20 });
		sandbox = env.sandbox;
		const trigger = env.trigger({ event: 'newMessage', direction: 'outbound' });
		await trigger.poll();
		const conversation = sandbox.state.conversation(DEMO.smsConversationId)!;
		const scheduled = sandbox.state.addMessage(conversation, {
			direction: 'outbound',
			messageType: 'TYPE_SMS',
			body: 'See you tomorrow',
			scheduledAt: env.clock.now() + 2 * 60_000,
		});
		env.clock.advance(30_000);
		expect((await trigger.poll()).items).toEqual([]);
		env.clock.advance(2 * 60_000);
		const sent = await trigger.poll();
		expect(ids(sent.items)).toEqual([scheduled.id]);
		expect(json(sent.items)[0]).toMatchObject({ status: 'delivered', dateAdded: new Date(scheduled.dateAdded).toISOString() });
		env.clock.advance(30_000);
		expect((await trigger.poll()).items).toEqual([]);
	});

	it('continues from the saved state after a restart; another event starts afresh', async () => {
		const env = await setup({ conversations: 30 });
		sandbox = env.sandbox;
		const trigger = env.trigger({ event: 'newMessage', direction: 'inbound' });
		await trigger.poll();
		const conversations = byActivity(sandbox);
		env.clock.advance(10_000);
		const before = inbound(sandbox, conversations[3]);
		expect(ids((await trigger.poll()).items)).toEqual([before.id]);
		trigger.restart();
		env.clock.advance(10_000);
		const after = inbound(sandbox, conversations[4]);
		expect(ids((await trigger.poll()).items)).toEqual([after.id]);

		// The same workflow switched to New Conversation: its first poll is an activation.
		const switched = env.trigger({ event: 'newConversation' });
		switched.database = trigger.database;
		expect((await switched.poll()).returned).toBeNull();
		expect(switched.state?.key).toBe(`newConversation:${sandbox.locationId}`);
	});

	it('Fetch Test Event returns the newest matching message of the location, old or not', async () => {
		const env = await setup({ conversations: 30 });
		sandbox = env.sandbox;
		const trigger = env.trigger({ event: 'newMessage', direction: 'inbound', channels: ['TYPE_SMS'] });
		const { result, requests } = await env.count(() => trigger.fetchTestEvent());
		expect(result.error).toBeUndefined();
		const newest = [...sandbox.state.messages.values()]
			.filter((message) => message.direction === 'inbound' && message.messageType === 'TYPE_SMS' && message.status !== 'scheduled')
			.sort((a, b) => b.dateAdded - a.dateAdded)[0];
		expect(json(result.items)).toEqual([expect.objectContaining({ id: newest.id, channel: 'SMS', conversationId: newest.conversationId })]);
		expect(requests.length).toBeLessThanOrEqual(11);
		expect(trigger.database).toBe('{}');
	});
});

describe('Conversations API Trigger against the sandbox: New Conversation', () => {
	let sandbox: Sandbox;
	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterEach(() => sandbox.close());
	afterAll(() => nock.disableNetConnect());

	it('emits each new conversation once, oldest first, with or without a first message', async () => {
		const env = await setup({ conversations: 60 });
		sandbox = env.sandbox;
		const trigger = env.trigger({ event: 'newConversation' });
		await trigger.poll();
		env.clock.advance(5_000);
		const empty = sandbox.state.addConversation({ contactId: DEMO.newContactId });
		env.clock.advance(5_000);
		const simulated = await sandbox.simulate({ newConversations: 2 });
		env.clock.advance(5_000);
		const { result, requests } = await env.count(() => trigger.poll());
		expect(ids(result.items)).toEqual([empty.id, ...simulated.conversations]);
		expect(requests).toHaveLength(1);
		expect(json(result.items)[0]).toMatchObject({ id: empty.id, contactId: DEMO.newContactId });

		env.clock.advance(5_000);
		const idle = await env.count(() => trigger.poll());
		expect(idle.result.returned).toBeNull();
		expect(idle.requests).toHaveLength(1);

		const sample = await trigger.fetchTestEvent();
		expect(ids(sample.items)).toEqual([simulated.conversations[1]]);
	});
});

describe('Conversations API Trigger against the sandbox: Conversation Updated', () => {
	let sandbox: Sandbox;
	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterEach(() => sandbox.close());
	afterAll(() => nock.disableNetConnect());

	it('reports star, read and assignment changes of the watched conversations, with the previous values', async () => {
		const env = await setup({ conversations: 60 });
		sandbox = env.sandbox;
		const trigger = env.trigger({ event: 'conversationUpdated', options: { watchCount: 5 } });
		const onlyStars = env.trigger({ event: 'conversationUpdated', watchFor: ['starred'], options: { watchCount: 5 } });
		expect((await trigger.poll()).returned).toBeNull();
		await onlyStars.poll();

		const [first, second, third] = byActivity(sandbox);
		const old = byActivity(sandbox)[40];
		first.starred = !first.starred;
		second.unreadCount = second.unreadCount + 3;
		const assignedBefore = third.assignedTo ?? null;
		third.assignedTo = third.assignedTo === 'user-billing' ? 'user-sales' : 'user-billing';
		old.starred = !old.starred;

		const { result, requests } = await env.count(() => trigger.poll());
		expect(requests).toHaveLength(1);
		const changes = (json(result.items) as IDataObject[]).map(({ id, changes: what, previous }) => ({ id, what, previous }));
		expect(changes).toEqual(
			expect.arrayContaining([
				{ id: first.id, what: ['starred'], previous: { starred: !first.starred } },
				{ id: second.id, what: ['unreadCount'], previous: { unreadCount: second.unreadCount - 3 } },
				{ id: third.id, what: ['assignedTo'], previous: { assignedTo: assignedBefore } },
			]),
		);
		expect(changes).toHaveLength(3); // the star on an old conversation is not seen
		expect(ids((await onlyStars.poll()).items)).toEqual([first.id]);
		expect((await trigger.poll()).returned).toBeNull();

		// The old conversation gets a message and enters the watched set: seen for the first time, no event.
		inbound(sandbox, old);
		expect(ids((await trigger.poll()).items)).toEqual([]);
		// From then on its changes are seen.
		old.starred = !old.starred;
		const unstarred = await trigger.poll();
		expect(json(unstarred.items)).toEqual([
			expect.objectContaining({ id: old.id, changes: ['starred'], previous: { starred: !old.starred } }),
		]);

		const sample = await trigger.fetchTestEvent();
		expect(json(sample.items)).toEqual([expect.objectContaining({ id: old.id, changes: [], previous: {} })]);
	});
});
