/**
 * The trigger's requests, exactly (nock): what activation, an idle poll, a poll with news, retries
 * and a failed poll send, and what they emit and save. Polls run through n8n-core's PollContext and
 * TriggersAndPollers with the static data kept between polls as n8n keeps it (test/support/poll.ts).
 */
import type { IDataObject } from 'n8n-workflow';
import { LOCATION_ID, credentials } from '../support/engine';
import { api, json } from '../support/api';
import { TriggerHarness } from '../support/poll';
import { ConversationsApiTrigger } from '../../nodes/ConversationsApiTrigger/ConversationsApiTrigger.node';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import pkg from '../../package.json';
import { virtualClock } from '../support/clock';

const T0 = Date.UTC(2026, 2, 2, 12, 0, 0);
const SEARCH = { locationId: LOCATION_ID, limit: 100, sortBy: 'last_message_date', sort: 'desc' };

function row(id: string, lastMessageDate: number, extra: IDataObject = {}): IDataObject {
	return {
		id,
		contactId: `contact-${id}`,
		locationId: LOCATION_ID,
		fullName: `Name ${id}`,
		contactName: `Name ${id}`,
		email: `${id}@example.com`,
		phone: '+15550001234',
		lastMessageBody: `last of ${id} at ${lastMessageDate}`,
		lastMessageType: 'TYPE_SMS',
		lastMessageDirection: 'inbound',
		type: 'TYPE_PHONE',
		unreadCount: 1,
		starred: false,
		assignedTo: 'user-1',
		lastMessageDate,
		dateAdded: lastMessageDate - 86_400_000,
		dateUpdated: lastMessageDate,
		sort: [lastMessageDate],
		...extra,
	};
}

function message(id: string, conversationId: string, time: number, extra: IDataObject = {}): IDataObject {
	return {
		id,
		type: 2,
		messageType: 'TYPE_SMS',
		locationId: LOCATION_ID,
		contactId: `contact-${conversationId}`,
		conversationId,
		dateAdded: new Date(time).toISOString(),
		body: `text of ${id}`,
		direction: 'inbound',
		status: 'delivered',
		contentType: 'text/plain',
		attachments: [],
		...extra,
	};
}

/** A search row as the trigger outputs it (without the search's `sort` cursor). */
function withoutSort(searchRow: IDataObject): IDataObject {
	const copy = { ...searchRow };
	delete copy.sort;
	return copy;
}

/** The live API's nested shape. */
const page = (messages: IDataObject[], nextPage = false) => ({
	messages: { lastMessageId: messages.length ? messages[messages.length - 1].id : '', nextPage, messages },
});

const newMessageTrigger = (parameters: IDataObject = {}) =>
	new TriggerHarness({
		parameters: { event: 'newMessage', direction: 'both', ...parameters },
		credentials: credentials.privateIntegrationToken(),
	});

/** Activation against a location whose latest message is m1 in c1 at T0. */
async function activate(harness: TriggerHarness) {
	const scope = api()
		.get('/conversations/search')
		.query(SEARCH)
		.reply(200, { conversations: [row('c1', T0), row('c2', T0 - 5_000)], total: 2 })
		.get('/conversations/c1/messages')
		.query({ limit: 100 })
		.reply(200, page([message('m1', 'c1', T0), message('m0', 'c1', T0 - 60_000)]));
	const result = await harness.poll();
	expect(result.error).toBeUndefined();
	expect(scope.isDone()).toBe(true);
	return result;
}

describe('Conversations API Trigger: the node', () => {
	it('is a polling trigger with the action node credentials and icons, registered in the package', () => {
		const trigger = new ConversationsApiTrigger().description;
		const action = new ConversationsApi().description;
		expect(trigger).toMatchObject({ name: 'conversationsApiTrigger', polling: true, group: ['trigger'], inputs: [], outputs: ['main'] });
		expect(trigger.icon).toEqual(action.icon);
		expect(trigger.credentials).toEqual(action.credentials);
		expect(pkg.n8n.nodes).toContain('dist/nodes/ConversationsApiTrigger/ConversationsApiTrigger.node.js');
		const events = trigger.properties.find((property) => property.name === 'event');
		expect(events?.options?.map((option) => (option as { value: string }).value)).toEqual([
			'conversationUpdated',
			'newConversation',
			'newMessage',
		]);
	});
});

describe('Conversations API Trigger: requests of New Message', () => {
	it('activation: one search, and the messages of the latest millisecond recorded as seen; nothing emitted', async () => {
		const harness = newMessageTrigger();
		const result = await activate(harness);
		expect(result.returned).toBeNull();
		expect(harness.state).toMatchObject({ cursor: T0, floor: T0, seen: { m1: T0 } });
		expect(harness.saves).toBe(1);
	});

	it('an idle poll is exactly one request (the first search page) and saves nothing', async () => {
		const harness = newMessageTrigger();
		await activate(harness);
		const saved = harness.database;
		// The only interceptor: any other request would fail the poll (the network is closed).
		const scope = api()
			.get('/conversations/search')
			.query(SEARCH)
			.reply(200, { conversations: [row('c1', T0), row('c2', T0 - 5_000)], total: 2 });
		const result = await harness.poll();
		expect(result).toEqual({ items: [], returned: null });
		expect(scope.isDone()).toBe(true);
		expect(harness.database).toBe(saved);
		expect(harness.saves).toBe(1);
	});

	it('one new message: one search page and one message list; the item carries its conversation and contact', async () => {
		const harness = newMessageTrigger();
		await activate(harness);
		const at = T0 + 30_000;
		const scope = api()
			.get('/conversations/search')
			.query(SEARCH)
			.reply(200, { conversations: [row('c3', at, { assignedTo: 'user-2' }), row('c1', T0), row('c2', T0 - 5_000)], total: 3 })
			.get('/conversations/c3/messages')
			.query({ limit: 100 })
			.reply(200, page([message('m3', 'c3', at), message('m2', 'c3', T0 - 90_000)]));
		const result = await harness.poll();
		expect(scope.isDone()).toBe(true);
		expect(json(result.items)).toEqual([
			{
				...message('m3', 'c3', at),
				conversationId: 'c3',
				contactId: 'contact-c3',
				contactName: 'Name c3',
				email: 'c3@example.com',
				phone: '+15550001234',
				channel: 'SMS',
				conversation: withoutSort(row('c3', at, { assignedTo: 'user-2' })),
			},
		]);
		expect(harness.state?.cursor).toBe(at);
		expect(Object.keys(harness.state?.seen ?? {})).toEqual(expect.arrayContaining(['m1', 'm3']));
	});

	it('pages a conversation with more messages than a page (lastMessageId), accepts the flat shape, emits oldest first', async () => {
		const harness = newMessageTrigger();
		await activate(harness);
		const at = T0 + 60_000;
		const messages = Array.from({ length: 230 }, (_, i) => message(`n${String(i).padStart(3, '0')}`, 'c1', at - i * 10));
		const scope = api()
			.get('/conversations/search')
			.query(SEARCH)
			.reply(200, { conversations: [row('c1', at)], total: 1 })
			.get('/conversations/c1/messages')
			.query({ limit: 100 })
			.reply(200, page(messages.slice(0, 100), true))
			.get('/conversations/c1/messages')
			.query({ limit: 100, lastMessageId: 'n099' })
			// The spec's flat shape.
			.reply(200, { lastMessageId: 'n199', nextPage: true, messages: messages.slice(100, 200) })
			.get('/conversations/c1/messages')
			.query({ limit: 100, lastMessageId: 'n199' })
			.reply(200, page([...messages.slice(200), message('m1', 'c1', T0), message('m0', 'c1', T0 - 60_000)]));
		const result = await harness.poll();
		expect(scope.isDone()).toBe(true);
		expect(json(result.items).map((item) => (item as IDataObject).id)).toEqual(messages.map((m) => m.id).reverse());
	});

	it('skips scheduled messages and applies direction and channel filters', async () => {
		const harness = newMessageTrigger({ direction: 'inbound', channels: ['TYPE_WHATSAPP'] });
		await activate(harness);
		const at = T0 + 10_000;
		const scope = api()
			.get('/conversations/search')
			.query(SEARCH)
			.reply(200, { conversations: [row('c1', at)], total: 1 })
			.get('/conversations/c1/messages')
			.query({ limit: 100 })
			.reply(
				200,
				page([
					message('s1', 'c1', at + 5_000, { status: 'scheduled', messageType: 'TYPE_WHATSAPP' }),
					message('w1', 'c1', at, { messageType: 'TYPE_WHATSAPP' }),
					message('o1', 'c1', at, { messageType: 'TYPE_WHATSAPP', direction: 'outbound' }),
					message('x1', 'c1', at - 1, { messageType: 'TYPE_SMS' }),
					message('m1', 'c1', T0),
				]),
			);
		const result = await harness.poll();
		expect(scope.isDone()).toBe(true);
		expect(json(result.items).map((item) => (item as IDataObject).id)).toEqual(['w1']);
	});

	it('sends the conversation, contact and assigned-user filters to the search', async () => {
		const harness = newMessageTrigger({ filters: { conversationId: 'c1', contactId: 'contact-c1', assignedTo: 'user-1, user-2' } });
		await activate(harness); // activation reads the whole location: its latest message is the starting point
		const scope = api()
			.get('/conversations/search')
			.query({ ...SEARCH, id: 'c1', contactId: 'contact-c1', assignedTo: 'user-1,user-2' })
			.reply(200, { conversations: [row('c1', T0)], total: 1 });
		expect((await harness.poll()).returned).toBeNull();
		expect(scope.isDone()).toBe(true);
	});

	it('the Assigned To picker\'s users (an array, "Unassigned" included) go to the search as comma-separated IDs', async () => {
		const harness = newMessageTrigger({ filters: { assignedTo: ['user-1', 'unassigned'] } });
		await activate(harness);
		const scope = api()
			.get('/conversations/search')
			.query({ ...SEARCH, assignedTo: 'user-1,unassigned' })
			.reply(200, { conversations: [row('c1', T0)], total: 1 });
		expect((await harness.poll()).returned).toBeNull();
		expect(scope.isDone()).toBe(true);
	});

	it('retries a 5xx after a backoff and a 429 after Retry-After, within the poll', async () => {
		const harness = newMessageTrigger();
		await activate(harness);
		const at = T0 + 20_000;
		const scope = api()
			.get('/conversations/search')
			.query(SEARCH)
			.reply(503, { statusCode: 503, message: 'Service Unavailable' })
			.get('/conversations/search')
			.query(SEARCH)
			.reply(200, { conversations: [row('c2', at)], total: 1 })
			.get('/conversations/c2/messages')
			.query({ limit: 100 })
			.reply(429, { statusCode: 429, message: 'Too many requests' }, { 'Retry-After': '1' })
			.get('/conversations/c2/messages')
			.query({ limit: 100 })
			.reply(200, page([message('m5', 'c2', at)]));
		const started = virtualClock.now();
		const result = await harness.poll();
		// The backoff after the 503 (500-1,000 ms with the default first wait), then Retry-After's 1 s (+ up to 10% jitter).
		expect(virtualClock.now() - started).toBeGreaterThanOrEqual(1500);
		expect(virtualClock.now() - started).toBeLessThanOrEqual(2100);
		expect(scope.isDone()).toBe(true);
		expect(json(result.items).map((item) => (item as IDataObject).id)).toEqual(['m5']);
	});

	it('a request that keeps failing fails the poll: the state stays, the next poll reads the same window, nothing twice', async () => {
		const harness = newMessageTrigger();
		await activate(harness);
		const saved = harness.database;
		const rows = [row('c4', T0 + 40_000), row('c3', T0 + 30_000), row('c1', T0)];
		const c3 = page([message('m3', 'c3', T0 + 30_000)]);
		const c4 = page([message('m4b', 'c4', T0 + 40_000), message('m4a', 'c4', T0 + 35_000)]);
		const failing = api()
			.get('/conversations/search')
			.query(SEARCH)
			.reply(200, { conversations: rows, total: 3 })
			.get('/conversations/c4/messages')
			.query({ limit: 100 })
			.reply(200, c4)
			.get('/conversations/c3/messages')
			.query({ limit: 100 })
			.times(3)
			.reply(500, { statusCode: 500, message: 'Internal server error' });
		const failed = await harness.poll();
		expect(failing.isDone()).toBe(true);
		expect((failed.error as unknown as { httpCode: string }).httpCode).toBe('500');
		expect(failed.items).toEqual([]);
		expect(harness.database).toBe(saved);

		const again = api()
			.get('/conversations/search')
			.query(SEARCH)
			.reply(200, { conversations: rows, total: 3 })
			.get('/conversations/c4/messages')
			.query({ limit: 100 })
			.reply(200, c4)
			.get('/conversations/c3/messages')
			.query({ limit: 100 })
			.reply(200, c3);
		const recovered = await harness.poll();
		expect(again.isDone()).toBe(true);
		expect(json(recovered.items).map((item) => (item as IDataObject).id)).toEqual(['m3', 'm4a', 'm4b']);

		// And a restart of n8n (state from its database) changes nothing.
		harness.restart();
		const idle = api().get('/conversations/search').query(SEARCH).reply(200, { conversations: rows, total: 3 });
		expect((await harness.poll()).returned).toBeNull();
		expect(idle.isDone()).toBe(true);
	});

	it('a conversation deleted between the search and its messages is skipped', async () => {
		const harness = newMessageTrigger();
		await activate(harness);
		const scope = api()
			.get('/conversations/search')
			.query(SEARCH)
			.reply(200, { conversations: [row('gone', T0 + 1_000), row('c1', T0)], total: 2 })
			.get('/conversations/gone/messages')
			.query({ limit: 100 })
			.reply(404, { statusCode: 404, message: 'Conversation not found' });
		const result = await harness.poll();
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('Fetch Test Event returns the most recent matching message however old, and leaves the state alone', async () => {
		const harness = newMessageTrigger({ direction: 'outbound' });
		await activate(harness);
		const saved = JSON.parse(harness.database) as IDataObject;
		const old = T0 - 30 * 86_400_000;
		const scope = api()
			.get('/conversations/search')
			.query(SEARCH)
			.reply(200, { conversations: [row('c1', T0), row('c9', old)], total: 2 })
			.get('/conversations/c1/messages')
			.query({ limit: 100 })
			.reply(200, page([message('m1', 'c1', T0)]))
			.get('/conversations/c9/messages')
			.query({ limit: 100 })
			.reply(
				200,
				page([message('o9', 'c9', old, { direction: 'outbound' }), message('o8', 'c9', old - 1, { direction: 'outbound' })], true),
			);
		const result = await harness.fetchTestEvent();
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(result.items)).toEqual([
			expect.objectContaining({ id: 'o9', direction: 'outbound', conversationId: 'c9', contactName: 'Name c9' }),
		]);
		expect(result.staticData).toEqual(saved);
	});
});

describe('Conversations API Trigger: requests of New Conversation and Conversation Updated', () => {
	it('New Conversation: an idle poll is one search by creation date (startDate = cursor - overlap)', async () => {
		const harness = new TriggerHarness({ parameters: { event: 'newConversation' }, credentials: credentials.privateIntegrationToken() });
		const activation = api()
			.get('/conversations/search')
			.query(SEARCH)
			.reply(200, { conversations: [row('c1', T0)], total: 1 })
			.get('/conversations/search')
			.query({ ...SEARCH, startDate: T0 })
			.reply(200, { conversations: [], total: 0 });
		expect((await harness.poll()).returned).toBeNull();
		expect(activation.isDone()).toBe(true);

		const created = row('c7', T0 + 125_000, { dateAdded: T0 + 120_000 });
		const news = api()
			.get('/conversations/search')
			.query({ ...SEARCH, startDate: T0 })
			.reply(200, { conversations: [created], total: 1 });
		const result = await harness.poll();
		expect(news.isDone()).toBe(true);
		expect(json(result.items)).toEqual([withoutSort(created)]);

		const idle = api()
			.get('/conversations/search')
			.query({ ...SEARCH, startDate: T0 + 120_000 - 60_000 })
			.reply(200, { conversations: [created], total: 1 });
		expect((await harness.poll()).returned).toBeNull();
		expect(idle.isDone()).toBe(true);
	});

	it('Conversation Updated: an idle poll is one search page; changes come with their previous values', async () => {
		const harness = new TriggerHarness({
			parameters: { event: 'conversationUpdated' },
			credentials: credentials.privateIntegrationToken(),
		});
		const rows = [
			row('c1', T0, { unreadCount: 2 }),
			row('c2', T0 - 1_000, { starred: false }),
			row('c3', T0 - 2_000, { assignedTo: 'user-1' }),
		];
		api().get('/conversations/search').query(SEARCH).reply(200, { conversations: rows, total: 3 });
		expect((await harness.poll()).returned).toBeNull();

		const idle = api().get('/conversations/search').query(SEARCH).reply(200, { conversations: rows, total: 3 });
		expect((await harness.poll()).returned).toBeNull();
		expect(idle.isDone()).toBe(true);

		const changed = [
			row('c1', T0, { unreadCount: 0, dateUpdated: T0 + 3_000 }),
			row('c2', T0 - 1_000, { starred: true, dateUpdated: T0 + 1_000 }),
			row('c3', T0 - 2_000, { assignedTo: undefined, dateUpdated: T0 + 2_000 }),
		];
		api().get('/conversations/search').query(SEARCH).reply(200, { conversations: changed, total: 3 });
		const result = await harness.poll();
		expect(json(result.items).map((item) => (({ id, changes, previous }) => ({ id, changes, previous }))(item as IDataObject))).toEqual([
			{ id: 'c2', changes: ['starred'], previous: { starred: false } },
			{ id: 'c3', changes: ['assignedTo'], previous: { assignedTo: 'user-1' } },
			{ id: 'c1', changes: ['unreadCount'], previous: { unreadCount: 2 } },
		]);
	});
});
