import { runNode } from '../support/engine';
import { api, json } from '../support/api';
import { stopRecordingUnmatched, unmatchedRequests } from './support';

const urls = (count: number) => Array.from({ length: count }, (_, i) => `https://example.com/file-${i}.mp3`);

describe('Message > Set Attachments', () => {
	afterEach(stopRecordingUnmatched);

	it('sends PUT /conversations/messages/{messageId}/attachments with the URLs', async () => {
		const answer = { success: true };
		const scope = api()
			.put('/conversations/messages/msg-1/attachments', { attachments: urls(5) })
			.matchHeader('content-type', /application\/json/)
			.reply(200, answer);

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'setAttachments',
				messageId: 'msg-1',
				attachments: urls(5).join(', '),
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([answer]);
	});

	it('accepts the URLs as an array from an expression; an empty answer outputs success', async () => {
		const scope = api()
			.put('/conversations/messages/msg-1/attachments', { attachments: urls(2) })
			.reply(200);

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'setAttachments',
				messageId: 'msg-1',
				attachments: '={{ $json.urls }}',
			},
			input: [{ json: { urls: urls(2) } }],
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ success: true }]);
	});

	it('fails on more than 5 URLs, naming the field, without sending a request', async () => {
		const unmatched = unmatchedRequests();

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'setAttachments',
				messageId: 'msg-1',
				attachments: urls(6).join(','),
			},
		});

		expect(error?.message).toBe('The "Attachment URLs" field has 6 URLs, at most 5 are allowed');
		expect(unmatched).toEqual([]);
	});

	it('fails on no URLs without sending a request', async () => {
		const unmatched = unmatchedRequests();

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'setAttachments',
				messageId: 'msg-1',
				attachments: ' , ',
			},
		});

		expect(error?.message).toBe('The "Attachment URLs" field is empty');
		expect(unmatched).toEqual([]);
	});
});
