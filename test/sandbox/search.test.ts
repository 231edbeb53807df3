import { DEMO, type Sandbox } from '../../sandbox';
import { newSandbox, type Client, type Query, type Row } from './helpers';

describe('sandbox: GET /conversations/search', () => {
	let sandbox: Sandbox;
	let api: Client;

	beforeAll(async () => {
		({ sandbox, api } = await newSandbox({ conversations: 300 }));
	});
	afterAll(() => sandbox.close());

	const rows = async (query: Query = {}) => {
		const response = await api.search(query);
		expect(response.statusCode).toBe(200);
		return response.json() as { conversations: Row[]; total: number };
	};

	/** Every page from startAfterDate, as the node pages. */
	const allPages = async (query: Query, limit: number) => {
		const pages: Row[][] = [];
		let cursor: number | undefined;
		for (;;) {
			const { conversations } = await rows({ ...query, limit, startAfterDate: cursor });
			pages.push(conversations);
			if (conversations.length < limit) break;
			cursor = conversations[conversations.length - 1].sort[0];
		}
		return pages;
	};

	it('answers the ConversationSchema rows, newest first, 20 by default, with the total', async () => {
		const { conversations, total } = await rows();
		expect(total).toBe(300);
		expect(conversations).toHaveLength(20);
		const first = conversations[0];
		expect(first).toEqual(
			expect.objectContaining({
				id: expect.any(String),
				contactId: expect.any(String),
				locationId: sandbox.locationId,
				lastMessageBody: expect.any(String),
				lastMessageType: expect.stringMatching(/^TYPE_/),
				type: expect.stringMatching(/^TYPE_(PHONE|EMAIL|FB_MESSENGER|REVIEW)$/),
				unreadCount: expect.any(Number),
				fullName: expect.any(String),
				contactName: expect.any(String),
				email: expect.any(String),
				phone: expect.any(String),
				lastMessageDate: expect.any(Number),
				dateAdded: expect.any(Number),
				dateUpdated: expect.any(Number),
				starred: expect.any(Boolean),
				lastMessageDirection: expect.stringMatching(/^(inbound|outbound)$/),
				sort: [first.lastMessageDate],
			}),
		);
		const dates = conversations.map((row) => row.lastMessageDate as number);
		expect(dates).toEqual([...dates].sort((a, b) => b - a));
	});

	it.each([
		['desc', 'last_message_date', 'lastMessageDate'],
		['asc', 'last_message_date', 'lastMessageDate'],
		['desc', 'last_manual_message_date', 'lastManualMessageDate'],
	])('pages with startAfterDate (%s, %s) without gaps or repeats', async (sort, sortBy, field) => {
		const pages = await allPages({ sort, sortBy }, 37);
		expect(pages.length).toBe(9);
		const ids = pages.flat().map((row) => row.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(new Set(ids)).toEqual(new Set(sandbox.state.listConversations().map((c) => c.id)));
		const values = pages.flat().map((row) => row[field] as number);
		expect(pages.flat().map((row) => row.sort[0])).toEqual(values);
		expect(values).toEqual([...values].sort((a, b) => (sort === 'asc' ? a - b : b - a)));
	});

	it('pages a filtered search and keeps the total of all filtered rows', async () => {
		const expected = sandbox.state.listConversations().filter((c) => c.assignedTo === 'user-billing');
		const pages = await allPages({ assignedTo: 'user-billing' }, 10);
		const ids = pages.flat().map((row) => row.id);
		expect(ids.sort()).toEqual(expected.map((c) => c.id).sort());
		expect((await rows({ assignedTo: 'user-billing', limit: 10 })).total).toBe(expected.length);
		const second = await rows({ assignedTo: 'user-billing', limit: 10, startAfterDate: pages[0][9].sort[0] });
		expect(second.total).toBe(expected.length);
		expect(second.conversations[0].id).toBe(pages[1][0].id);
	});

	it('filters by assignedTo (comma list and "unassigned"), followers and mentions', async () => {
		const all = sandbox.state.listConversations();
		const two = await rows({ assignedTo: 'user-sales,user-support', limit: 100 });
		expect(two.total).toBe(all.filter((c) => c.assignedTo === 'user-sales' || c.assignedTo === 'user-support').length);
		expect(two.conversations.every((row) => ['user-sales', 'user-support'].includes(row.assignedTo as string))).toBe(true);
		const unassigned = await rows({ assignedTo: 'unassigned', limit: 100 });
		expect(unassigned.total).toBe(all.filter((c) => !c.assignedTo).length);
		expect(unassigned.total).toBeGreaterThan(0);
		expect(unassigned.conversations.every((row) => row.assignedTo === undefined)).toBe(true);
		const followers = await rows({ followers: 'user-sales', limit: 100 });
		expect(followers.total).toBe(all.filter((c) => c.followers.includes('user-sales')).length);
		const mentions = await rows({ mentions: 'user-support,user-billing', limit: 100 });
		expect(mentions.total).toBe(all.filter((c) => c.mentions.some((m) => m !== 'user-sales')).length);
	});

	it('filters by status', async () => {
		const all = sandbox.state.listConversations();
		const unread = await rows({ status: 'unread', limit: 100 });
		expect(unread.total).toBe(all.filter((c) => c.unreadCount > 0).length);
		expect(unread.conversations.every((row) => (row.unreadCount as number) > 0)).toBe(true);
		const read = await rows({ status: 'read', limit: 100 });
		expect(read.total + unread.total).toBe(300);
		const starred = await rows({ status: 'starred', limit: 100 });
		expect(starred.total).toBeGreaterThan(0);
		expect(starred.conversations.every((row) => row.starred === true)).toBe(true);
		expect((await rows({ status: 'all' })).total).toBe(300);
		expect((await rows({ status: 'recents' })).total).toBe(300);
	});

	it('matches query case-insensitively on name, email, phone and the last message', async () => {
		const byEmail = await rows({ query: 'PRIYA.SHAH@example.org' });
		expect(byEmail.conversations.map((row) => row.id)).toEqual([DEMO.emailConversationId]);
		const byName = await rows({ query: 'marcus reed' });
		expect(byName.conversations.map((row) => row.id)).toContain(DEMO.callConversationId);
		const byPhone = await rows({ query: '(305) 555-0142' });
		expect(byPhone.conversations.map((row) => row.id)).toContain(DEMO.callConversationId);
		const refund = await rows({ query: 'Refund', limit: 100 });
		expect(refund.total).toBeGreaterThan(3);
		expect(refund.conversations.map((row) => row.id)).toContain(DEMO.smsConversationId);
		for (const row of refund.conversations) {
			const text = [row.fullName, row.email, row.phone, row.lastMessageBody, row.companyName].join(' ').toLowerCase();
			expect(text).toContain('refund');
		}
	});

	it('filters by the last message (type, direction, action), id, contact and dateAdded range', async () => {
		const all = sandbox.state.listConversations();
		const emails = await rows({ lastMessageType: 'TYPE_EMAIL', limit: 100 });
		expect(emails.total).toBe(all.filter((c) => c.lastMessageType === 'TYPE_EMAIL').length);
		expect(emails.conversations.every((row) => row.lastMessageType === 'TYPE_EMAIL')).toBe(true);
		const inbound = await rows({ lastMessageDirection: 'inbound', limit: 100 });
		expect(inbound.total).toBe(all.filter((c) => c.lastMessageDirection === 'inbound').length);
		const automated = await rows({ lastMessageAction: 'automated', limit: 100 });
		expect(automated.total).toBe(all.filter((c) => c.lastOutboundMessageAction === 'automated').length);
		expect(automated.total).toBeGreaterThan(0);

		expect((await rows({ id: DEMO.reviewConversationId })).conversations.map((row) => row.id)).toEqual([DEMO.reviewConversationId]);
		expect((await rows({ contactId: DEMO.emailContactId })).conversations.map((row) => row.id)).toEqual([DEMO.emailConversationId]);

		const added = all.map((c) => c.dateAdded).sort((a, b) => a - b);
		const [startDate, endDate] = [added[50], added[149]];
		const range = await rows({ startDate, endDate, limit: 100, sort: 'asc' });
		expect(range.total).toBe(100);
		expect(range.conversations.every((row) => (row.dateAdded as number) >= startDate && (row.dateAdded as number) <= endDate)).toBe(true);
	});

	it('caps the limit at 100 and refuses bad values with a 422', async () => {
		expect((await rows({ limit: 500 })).conversations).toHaveLength(100);
		const bad = await api.search({ sort: 'sideways', lastMessageDirection: 'up', limit: 0 });
		expect(bad.statusCode).toBe(422);
		expect(bad.json()).toEqual({
			statusCode: 422,
			error: 'Unprocessable Entity',
			message: expect.arrayContaining([
				'sort must be one of the following values: asc, desc',
				'lastMessageDirection must be one of the following values: inbound, outbound',
				'limit must not be less than 1',
			]),
		});
		const noLocation = await api.get('/conversations/search');
		expect(noLocation.statusCode).toBe(422);
		expect(noLocation.json().message).toEqual(['locationId should not be empty']);
		const badCursor = await api.search({ startAfterDate: 'yesterday' });
		expect(badCursor.statusCode).toBe(422);
	});

	it('accepts the cursor as text, as the list search sends it', async () => {
		const first = await rows({ limit: 5 });
		const next = await rows({ limit: 5, startAfterDate: String(first.conversations[4].sort[0]) });
		const both = await rows({ limit: 10 });
		expect([...first.conversations, ...next.conversations].map((row) => row.id)).toEqual(both.conversations.map((row) => row.id));
	});
});
