import nock from 'nock';
import { BASE_URL, LOCATION_ID, TOKEN, runNode } from '../support/engine';

describe('Conversation > Get', () => {
	it('sends GET /conversations/{id} with the token and Version header', async () => {
		const scope = nock(BASE_URL, {
			reqheaders: { authorization: `Bearer ${TOKEN}`, version: '2021-04-15', accept: 'application/json' },
		})
			.get('/conversations/conv-1')
			.reply(200, { id: 'conv-1', contactId: 'c-1', locationId: LOCATION_ID, unreadCount: 0 });

		const { items, error } = await runNode({
			parameters: {
				resource: 'conversation',
				operation: 'get',
				conversationId: { __rl: true, mode: 'id', value: 'conv-1' },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items.map((item) => item.json)).toEqual([
			{ id: 'conv-1', contactId: 'c-1', locationId: LOCATION_ID, unreadCount: 0 },
		]);
	});
});
