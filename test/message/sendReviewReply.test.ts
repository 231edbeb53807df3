import { LOCATION_ID, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';
import { stopRecordingUnmatched, unmatchedRequests } from './support';

const sent = { conversationId: 'conv-1', messageId: 'msg-1', status: 'delivered' };

describe('Message > Send Review Reply', () => {
	afterEach(stopRecordingUnmatched);

	it('sends POST /conversations/messages/review-reply with the conversation, location and text', async () => {
		const scope = api()
			.post('/conversations/messages/review-reply', {
				conversationId: 'conv-1',
				message: 'Thank you for your review!',
				locationId: LOCATION_ID,
			})
			.matchHeader('content-type', /application\/json/)
			.reply(200, sent);

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'sendReviewReply',
				conversationId: rl('conv-1'),
				message: 'Thank you for your review!',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([sent]);
	});

	it('uses the node Location ID over the credential one', async () => {
		const scope = api()
			.post('/conversations/messages/review-reply', {
				conversationId: 'conv-1',
				message: 'Thanks!',
				locationId: 'loc-other',
			})
			.reply(200, sent);

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'sendReviewReply',
				conversationId: rl('conv-1'),
				message: 'Thanks!',
				locationId: 'loc-other',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('with Continue On Fail, an item whose reply is blank fails alone, naming the field', async () => {
		const unmatched = unmatchedRequests();
		const scope = api()
			.post('/conversations/messages/review-reply', {
				conversationId: 'conv-2',
				message: 'Thanks!',
				locationId: LOCATION_ID,
			})
			.reply(200, sent);

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'sendReviewReply',
				conversationId: rl('={{ $json.conversation }}'),
				message: '={{ $json.reply }}',
			},
			input: [{ json: { conversation: 'conv-1', reply: '  ' } }, { json: { conversation: 'conv-2', reply: 'Thanks!' } }],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(unmatched).toEqual([]);
		expect(json(items)).toEqual([{ error: 'The "Message" field is empty' }, sent]);
	});
});
