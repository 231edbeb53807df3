import { LOCATION_ID, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

describe('Conversation > Update', () => {
	it('sends PUT /conversations/{conversationId} with the chosen fields and outputs the conversation', async () => {
		const conversation = { id: 'conv-1', locationId: LOCATION_ID, starred: true, unreadCount: 0 };
		const scope = api()
			.put('/conversations/conv-1', {
				locationId: LOCATION_ID,
				starred: true,
				unreadCount: 0,
				feedback: { rating: 5 },
			})
			.reply(200, { success: true, conversation });

		const { items, error } = await runNode({
			parameters: {
				resource: 'conversation',
				operation: 'update',
				conversationId: rl('conv-1'),
				updateFields: { starred: true, unreadCount: 0, feedback: '{"rating": 5}' },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([conversation]);
	});
});
