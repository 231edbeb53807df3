import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';

const conversations = (from: number, count: number) =>
	Array.from({ length: count }, (_, i) => ({
		id: `conv-${from + i}`,
		contactId: `c-${from + i}`,
		sort: [1_700_000_000_000 - (from + i) * 1000],
	}));

describe('Conversation > Get Many (search)', () => {
	it('sends the filters and the location, and outputs one item per conversation', async () => {
		const page = conversations(0, 3);
		const scope = api()
			.get('/conversations/search')
			.query({
				locationId: LOCATION_ID,
				limit: 10,
				query: 'invoice',
				status: 'unread',
				lastMessageType: 'TYPE_SMS',
				assignedTo: 'u-1,u-2',
				startDate: String(Date.parse('2026-01-01T00:00:00.000Z')),
				sortBy: 'last_message_date',
				sort: 'desc',
			})
			.reply(200, { conversations: page, total: 3 });

		const { items, error } = await runNode({
			parameters: {
				resource: 'conversation',
				operation: 'getAll',
				limit: 10,
				filters: {
					query: 'invoice',
					status: 'unread',
					lastMessageType: 'TYPE_SMS',
					assignedTo: 'u-1,u-2',
					startDate: '2026-01-01T00:00:00.000Z',
				},
				sortOptions: { sortBy: 'last_message_date', sort: 'desc' },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual(page);
	});

	it('Return All follows startAfterDate across pages until a short page (no ties seen and a total: strictly past each last value)', async () => {
		const first = conversations(0, 100);
		const second = conversations(100, 100);
		const third = conversations(200, 7);
		const scope = api()
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: 100 })
			.reply(200, { conversations: first, total: 207 })
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: 100, startAfterDate: String(first[99].sort[0]) })
			.reply(200, { conversations: second, total: 207 })
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: 100, startAfterDate: String(second[99].sort[0]) })
			.reply(200, { conversations: third, total: 207 });

		const { items } = await runNode({
			parameters: { resource: 'conversation', operation: 'getAll', returnAll: true },
		});

		expect(scope.isDone()).toBe(true);
		expect(items).toHaveLength(207);
		expect(json(items)).toEqual([...first, ...second, ...third]);
	});

	it('Limit across a page boundary asks only for what is missing (plus the boundary row it reads again)', async () => {
		const first = conversations(0, 100);
		const second = conversations(100, 30);
		const scope = api()
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: 100 })
			.reply(200, { conversations: first, total: 500 })
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: 31, startAfterDate: String(first[99].sort[0] + 1) })
			.reply(200, { conversations: second, total: 500 });

		const { items } = await runNode({
			parameters: { resource: 'conversation', operation: 'getAll', limit: 130 },
		});

		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([...first, ...second]);
	});

	it('stops when the API returns an empty page', async () => {
		const scope = api()
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: 100 })
			.reply(200, { conversations: [], total: 0 });

		const { items, error } = await runNode({
			parameters: { resource: 'conversation', operation: 'getAll', returnAll: true },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toEqual([]);
	});

	it('leaves filters out of the query when their expressions yield nothing', async () => {
		const scope = api()
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: 10, status: 'unread' })
			.reply(200, { conversations: conversations(0, 1), total: 1 });

		const { items, error } = await runNode({
			parameters: {
				resource: 'conversation',
				operation: 'getAll',
				limit: 10,
				filters: { query: '={{ $json.keyword }}', assignedTo: '={{ $json.assignee }}', status: 'unread' },
			},
			input: [{ json: { keyword: '', assignee: null } }],
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toHaveLength(1);
	});
});
