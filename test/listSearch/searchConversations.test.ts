import { LOCATION_ID, credentials, runListSearch } from '../support/engine';
import { api, oauthApi } from '../support/api';

const conversation = (i: number, extra: Record<string, unknown> = {}) => ({
	id: `conv-${i}`,
	fullName: `Contact ${i}`,
	lastMessageBody: `Last message ${i}`,
	sort: [1_700_000_000_000 - i],
	...extra,
});

describe('List search: conversations (resource locator "From List")', () => {
	it('lists the newest conversations of the location, named by contact and last message', async () => {
		const scope = api()
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: '100', sortBy: 'last_message_date', sort: 'desc', query: 'anna' })
			.reply(200, {
				conversations: [conversation(1), conversation(2, { fullName: '', contactName: '', email: 'b@example.com' })],
				total: 2,
			});

		const result = await runListSearch({ method: 'searchConversations', parameters: {}, filter: 'anna' });

		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({
			results: [
				{ name: 'Contact 1 · Last message 1', value: 'conv-1' },
				{ name: 'b@example.com · Last message 2', value: 'conv-2' },
			],
			paginationToken: undefined,
		});
	});

	it('a full page hands back where to go on: the next call reads the last sort value again (ties) and leaves out what was shown', async () => {
		const page = Array.from({ length: 100 }, (_, i) => conversation(i));
		const last = String(page[99].sort[0] + 1);
		const scope = oauthApi()
			.get('/conversations/search')
			.query({ locationId: 'loc-FROM-TOKEN', limit: '100', sortBy: 'last_message_date', sort: 'desc' })
			.reply(200, { conversations: page, total: 150 })
			.get('/conversations/search')
			.query({
				locationId: 'loc-FROM-TOKEN',
				limit: '100',
				sortBy: 'last_message_date',
				sort: 'desc',
				startAfterDate: last,
			})
			.reply(200, { conversations: [conversation(99), conversation(100)], total: 150 });

		const first = await runListSearch({
			method: 'searchConversations',
			parameters: {},
			credentials: credentials.oAuth2(),
		});
		const second = await runListSearch({
			method: 'searchConversations',
			parameters: {},
			paginationToken: first.paginationToken as string,
			credentials: credentials.oAuth2(),
		});

		expect(scope.isDone()).toBe(true);
		expect(first.results).toHaveLength(100);
		expect(JSON.parse(first.paginationToken as string)).toEqual({ after: Number(last), returned: ['conv-99'] });
		expect(second.results).toEqual([{ name: 'Contact 100 · Last message 100', value: 'conv-100' }]);
		expect(second.paginationToken).toBeUndefined();
	});

	it('a failure says what to do (403: the scope), after the retries a read gets (503, then 429)', async () => {
		const query = { locationId: LOCATION_ID, limit: '100', sortBy: 'last_message_date', sort: 'desc' };
		const scope = api()
			.get('/conversations/search')
			.query(query)
			.reply(503, { message: 'Service Unavailable' })
			.get('/conversations/search')
			.query(query)
			.reply(429, { message: 'Too many requests' }, { 'retry-after': '1' })
			.get('/conversations/search')
			.query(query)
			.reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' });

		await expect(runListSearch({ method: 'searchConversations', parameters: {} })).rejects.toMatchObject({
			message: `Access denied (403): this operation needs the scope "conversations.readonly", or the token has no access to location "${LOCATION_ID}"`,
		});
		expect(scope.isDone()).toBe(true);
	});
});
