/**
 * Simplify (shared/simplify.ts), through n8n's engine: on by default for the lists of nodes made
 * with version 1.1, off for version 1 (saved workflows keep their output), and off gives the API's
 * answer untouched. Dates become ISO strings in the workflow's time zone whatever the API sent
 * (milliseconds, digits, ISO), the `sort` cursor goes, and fields the API leaves out stay out.
 */
import { LOCATION_ID, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

/** A search row as the live API answers it: dates in ms, the `sort` cursor, the IDs first. */
const row = {
	id: 'conv-1',
	contactId: 'contact-1',
	locationId: LOCATION_ID,
	assignedTo: 'user-1',
	fullName: 'Ana Lima',
	contactName: 'ana lima',
	email: 'ana@example.com',
	phone: '+14155550100',
	tags: ['vip'],
	lastMessageBody: 'Is my order ready?',
	lastMessageType: 'TYPE_SMS',
	lastMessageDirection: 'inbound',
	lastMessageDate: 1795986388924,
	unreadCount: 2,
	starred: false,
	inbox: true,
	type: 'TYPE_PHONE',
	dateAdded: '1795900000000',
	dateUpdated: '2026-11-29T18:00:00.000Z',
	sort: [1795986388924],
};

const simplifiedRow = {
	id: 'conv-1',
	contactName: 'Ana Lima',
	lastMessageBody: 'Is my order ready?',
	// 1795986388924 ms is 2026-11-29T21:06:28.924Z: New York is 5 hours behind in November.
	lastMessageDate: '2026-11-29T16:06:28.924-05:00',
	channel: 'SMS',
	lastMessageDirection: 'inbound',
	unreadCount: 2,
	starred: false,
	assignedTo: 'user-1',
	contactId: 'contact-1',
	email: 'ana@example.com',
	phone: '+14155550100',
	type: 'TYPE_PHONE',
	dateAdded: '2026-11-28T16:06:40.000-05:00', // '1795900000000' (digits): 2026-11-28T21:06:40Z
	dateUpdated: '2026-11-29T13:00:00.000-05:00',
	locationId: LOCATION_ID,
};

const search = () =>
	api()
		.get('/conversations/search')
		.query({ locationId: LOCATION_ID, limit: 10 })
		.reply(200, { conversations: [row], total: 1 });

const getMany = { resource: 'conversation', operation: 'getAll', limit: 10 };

describe('Simplify: Conversation > Get Many', () => {
	it('version 1.1 simplifies by default: fields to act on first, ISO dates in the workflow time zone, no sort cursor', async () => {
		const scope = search();
		const { items, error } = await runNode({ parameters: getMany, typeVersion: 1.1, timezone: 'America/New_York' });
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([simplifiedRow]);
		expect(Object.keys(items[0].json)).toEqual(Object.keys(simplifiedRow));
	});

	it('in another time zone the same instants read in that zone', async () => {
		search();
		const { items } = await runNode({ parameters: getMany, typeVersion: 1.1, timezone: 'Asia/Kolkata' });
		expect(json(items)[0]).toMatchObject({
			lastMessageDate: '2026-11-30T02:36:28.924+05:30',
			dateUpdated: '2026-11-29T23:30:00.000+05:30',
		});
	});

	it("off: the API's answer untouched", async () => {
		search();
		const { items } = await runNode({ parameters: { ...getMany, simplify: false }, typeVersion: 1.1, timezone: 'America/New_York' });
		expect(json(items)).toEqual([row]);
	});

	it('version 1 (saved workflows) keeps the raw output unless Simplify is turned on', async () => {
		search();
		const saved = await runNode({ parameters: getMany, timezone: 'America/New_York' });
		expect(json(saved.items)).toEqual([row]);
		search();
		const optedIn = await runNode({ parameters: { ...getMany, simplify: true }, timezone: 'America/New_York' });
		expect(json(optedIn.items)).toEqual([simplifiedRow]);
	});

	it('fields the API leaves out stay out, and a date it garbles is kept as sent', async () => {
		api()
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: 10 })
			.reply(200, { conversations: [{ id: 'conv-2', lastMessageDate: 'soon', contactName: 'bo', sort: [5] }], total: 1 });
		const { items } = await runNode({ parameters: getMany, typeVersion: 1.1, timezone: 'UTC' });
		expect(json(items)).toEqual([{ id: 'conv-2', contactName: 'bo', lastMessageDate: 'soon' }]);
	});
});

describe('Simplify: Message > Get Many', () => {
	const message = {
		id: 'msg-1',
		type: 2,
		messageType: 'TYPE_WHATSAPP',
		locationId: LOCATION_ID,
		contactId: 'contact-1',
		conversationId: 'conv-1',
		dateAdded: '2026-07-01T12:00:00.000Z',
		dateUpdated: '2026-07-01T12:00:05.000Z',
		body: 'See you at 5',
		direction: 'outbound',
		status: 'delivered',
		contentType: 'text/plain',
		attachments: [],
		source: 'workflow',
		userId: 'user-1',
		meta: { foo: 1 },
	};
	const page = () =>
		api()
			.get('/conversations/conv-1/messages')
			.query({ limit: '10' })
			.reply(200, { messages: { lastMessageId: 'msg-1', nextPage: false, messages: [message] } });
	const parameters = { resource: 'message', operation: 'getAll', conversationId: rl('conv-1'), limit: 10 };

	it('version 1.1 simplifies by default (summer time: New York 4 hours behind)', async () => {
		const scope = page();
		const { items, error } = await runNode({ parameters, typeVersion: 1.1, timezone: 'America/New_York' });
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([
			{
				id: 'msg-1',
				body: 'See you at 5',
				direction: 'outbound',
				channel: 'WhatsApp',
				status: 'delivered',
				dateAdded: '2026-07-01T08:00:00.000-04:00',
				attachments: [],
				contactId: 'contact-1',
				conversationId: 'conv-1',
				userId: 'user-1',
				source: 'workflow',
			},
		]);
	});

	it("off: the API's answer untouched", async () => {
		page();
		const { items } = await runNode({ parameters: { ...parameters, simplify: false }, typeVersion: 1.1 });
		expect(json(items)).toEqual([message]);
	});
});
