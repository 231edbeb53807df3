import { runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

describe('Conversation > Delete', () => {
	it('sends DELETE /conversations/{conversationId}', async () => {
		const scope = api().delete('/conversations/conv-1').reply(200, { success: true });

		const { items, error } = await runNode({
			parameters: { resource: 'conversation', operation: 'delete', conversationId: rl('conv-1') },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ success: true }]);
	});
});
