import { runNode } from '../support/engine';
import { api, json } from '../support/api';

describe('Message > Cancel Scheduled', () => {
	it('sends DELETE /conversations/messages/{messageId}/schedule and outputs the answer', async () => {
		const answer = { status: 200, message: 'Scheduled message cancelled' };
		const scope = api().delete('/conversations/messages/msg-1/schedule').reply(200, answer);

		const { items, error } = await runNode({
			parameters: { resource: 'message', operation: 'cancelScheduled', messageId: 'msg-1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([answer]);
	});

	it('outputs success when the API answers without a body', async () => {
		const scope = api().delete('/conversations/messages/msg-1/schedule').reply(204);

		const { items, error } = await runNode({
			parameters: { resource: 'message', operation: 'cancelScheduled', messageId: 'msg-1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ success: true }]);
	});

	it("reports an API error with the API's message", async () => {
		const scope = api()
			.delete('/conversations/messages/msg-1/schedule')
			.reply(400, { statusCode: 400, message: 'Message is not scheduled' });

		const { error } = await runNode({
			parameters: { resource: 'message', operation: 'cancelScheduled', messageId: 'msg-1' },
		});

		expect(scope.isDone()).toBe(true);
		expect(error?.description).toBe('Message is not scheduled');
	});
});
