import { runNode } from '../support/engine';
import { api, json } from '../support/api';
import { stopRecordingUnmatched, unmatchedRequests } from './support';

const updated = { conversationId: 'conv-1', messageId: 'msg-1', status: 'failed' };

describe('Message > Update Status', () => {
	afterEach(stopRecordingUnmatched);

	it('sends PUT /conversations/messages/{messageId}/status with the status', async () => {
		const scope = api()
			.put('/conversations/messages/msg-1/status', { status: 'delivered' })
			.matchHeader('content-type', /application\/json/)
			.reply(200, { ...updated, status: 'delivered' });

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'updateStatus',
				messageId: 'msg-1',
				status: 'delivered',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ ...updated, status: 'delivered' }]);
	});

	it('sends the error, the email message ID and the recipients', async () => {
		const scope = api()
			.put('/conversations/messages/msg-1/status', {
				status: 'failed',
				emailMessageId: 'em-1',
				error: { code: '1', type: 'saas', message: 'Mailbox full' },
				recipients: ['a@example.com', 'b@example.com'],
			})
			.reply(200, updated);

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'updateStatus',
				messageId: 'msg-1',
				status: 'failed',
				additionalFields: {
					emailMessageId: 'em-1',
					error: '{"code": "1", "type": "saas", "message": "Mailbox full"}',
					recipients: 'a@example.com, b@example.com',
				},
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([updated]);
	});

	it('fails on an error that is not a JSON object, naming the field', async () => {
		const unmatched = unmatchedRequests();

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'updateStatus',
				messageId: 'msg-1',
				status: 'failed',
				additionalFields: { error: '["not", "an", "object"]' },
			},
		});

		expect(error?.message).toBe('The "Error (JSON)" field must be a JSON object');
		expect(unmatched).toEqual([]);
	});
});
