import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';
import { messages } from './support';

describe('Message > Export', () => {
	it('sends the location, filters and sort, and outputs one item per message', async () => {
		const page = messages(0, 3);
		const scope = api()
			.get('/conversations/messages/export')
			.query({
				locationId: LOCATION_ID,
				limit: '50',
				channel: 'SMS',
				contactId: 'c-1',
				conversationId: 'conv-1',
				startDate: '2026-01-01T00:00:00.000Z',
				endDate: '2026-01-31T23:59:59.000Z',
				sortBy: 'updatedAt',
				sortOrder: 'asc',
			})
			.reply(200, { messages: page, total: 3 });

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'export',
				filters: {
					channel: 'SMS',
					contactId: 'c-1',
					conversationId: 'conv-1',
					startDate: '2026-01-01T00:00:00Z',
					endDate: '2026-01-31T23:59:59Z',
				},
				sortOptions: { sortBy: 'updatedAt', sortOrder: 'asc' },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual(page);
	});

	it('Return All passes each nextCursor as cursor until there is none', async () => {
		const first = messages(0, 500);
		const second = messages(500, 500);
		const third = messages(1000, 20);
		const scope = api()
			.get('/conversations/messages/export')
			.query({ locationId: 'loc-other', limit: '500' })
			.reply(200, { messages: first, nextCursor: 'cur-1', total: 1020 })
			.get('/conversations/messages/export')
			.query({ locationId: 'loc-other', limit: '500', cursor: 'cur-1' })
			.reply(200, { messages: second, nextCursor: 'cur-2', total: 1020 })
			.get('/conversations/messages/export')
			.query({ locationId: 'loc-other', limit: '500', cursor: 'cur-2' })
			.reply(200, { messages: third, nextCursor: null, total: 1020 });

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'export',
				returnAll: true,
				locationId: 'loc-other',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toHaveLength(1020);
		expect(json(items)).toEqual([...first, ...second, ...third]);
	});

	it('Limit below the smallest page asks for 10 and outputs the limit', async () => {
		const page = messages(0, 10);
		const scope = api()
			.get('/conversations/messages/export')
			.query({ locationId: LOCATION_ID, limit: '10' })
			.reply(200, { messages: page, nextCursor: 'cur-1', total: 900 });

		const { items } = await runNode({
			parameters: { resource: 'message', operation: 'export', limit: 5 },
		});

		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual(page.slice(0, 5));
	});

	it('Limit across a page boundary asks only for the missing count (at least 10)', async () => {
		const first = messages(0, 500);
		const second = messages(500, 10);
		const scope = api()
			.get('/conversations/messages/export')
			.query({ locationId: LOCATION_ID, limit: '500' })
			.reply(200, { messages: first, nextCursor: 'cur-1', total: 900 })
			.get('/conversations/messages/export')
			.query({ locationId: LOCATION_ID, limit: '10', cursor: 'cur-1' })
			.reply(200, { messages: second, nextCursor: 'cur-2', total: 900 });

		const { items, error } = await runNode({
			parameters: { resource: 'message', operation: 'export', limit: 503 },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([...first, ...second.slice(0, 3)]);
	});

	it('fails on an unreadable Start Date, naming the field', async () => {
		const { error } = await runNode({
			parameters: { resource: 'message', operation: 'export', filters: { startDate: 'soon' } },
		});

		expect(error?.message).toBe('The "Start Date" field is not a valid date: "soon"');
	});
});
