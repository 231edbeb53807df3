import { LOCATION_ID, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

describe('Conversation > Get', () => {
	it('sends GET /conversations/{conversationId} and outputs the conversation', async () => {
		const conversation = { id: 'conv-1', contactId: 'c-1', locationId: LOCATION_ID, unreadCount: 0 };
		const scope = api().get('/conversations/conv-1').reply(200, conversation);

		const { items, error } = await runNode({
			parameters: { resource: 'conversation', operation: 'get', conversationId: rl('conv-1') },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([conversation]);
	});

	it('runs once per input item, each with its own ID', async () => {
		const scope = api().get('/conversations/a').reply(200, { id: 'a' }).get('/conversations/b').reply(200, { id: 'b' });

		const { items } = await runNode({
			parameters: {
				resource: 'conversation',
				operation: 'get',
				conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			input: [{ json: { id: 'a' } }, { json: { id: 'b' } }],
		});

		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ id: 'a' }, { id: 'b' }]);
	});
});
