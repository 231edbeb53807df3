import { runNode } from '../support/engine';
import { api, json, rl } from '../support/api';
import { stopRecordingUnmatched, unmatchedRequests } from './support';

const added = {
	success: true,
	conversationId: 'conv-1',
	messageId: 'msg-1',
	message: 'Message added',
	contactId: 'c-1',
	dateAdded: '2026-03-01T09:30:00.000Z',
};

describe('Message > Add Inbound', () => {
	afterEach(stopRecordingUnmatched);

	it('sends POST /conversations/messages/inbound with the SMS and outputs the result', async () => {
		const scope = api()
			.post('/conversations/messages/inbound', {
				type: 'SMS',
				conversationId: 'conv-1',
				conversationProviderId: 'prov-1',
				message: 'Hello from the customer',
				contactId: 'c-1',
				attachments: ['https://example.com/a.jpg'],
				date: '2026-03-01T09:30:00.000Z',
			})
			.matchHeader('content-type', /application\/json/)
			.reply(200, added);

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'addInbound',
				type: 'SMS',
				conversationId: rl('conv-1'),
				contactId: 'c-1',
				conversationProviderId: 'prov-1',
				message: 'Hello from the customer',
				additionalFields: {
					attachments: 'https://example.com/a.jpg',
					date: '2026-03-01T09:30:00Z',
				},
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([added]);
	});

	it('sends an inbound email with its fields', async () => {
		const scope = api()
			.post('/conversations/messages/inbound', {
				type: 'Email',
				conversationId: 'conv-1',
				contactId: 'c-1',
				conversationProviderId: 'prov-1',
				html: '<p>Reply</p>',
				subject: 'Re: invoice',
				emailFrom: 'jane@example.com',
				emailTo: 'billing@company.com',
				emailCc: ['a@example.com', 'b@example.com'],
				emailBcc: ['c@example.com'],
				emailMessageId: 'em-1',
				altId: 'ext-1',
			})
			.reply(200, added);

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'addInbound',
				type: 'Email',
				conversationId: rl('conv-1'),
				contactId: 'c-1',
				conversationProviderId: 'prov-1',
				message: '',
				additionalFields: {
					html: '<p>Reply</p>',
					subject: 'Re: invoice',
					emailFrom: 'jane@example.com',
					emailTo: 'billing@company.com',
					emailCc: 'a@example.com,b@example.com',
					emailBcc: 'c@example.com',
					emailMessageId: 'em-1',
					altId: 'ext-1',
				},
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('sends an inbound call with its call JSON', async () => {
		const scope = api()
			.post('/conversations/messages/inbound', {
				type: 'Call',
				conversationId: 'conv-1',
				contactId: 'c-1',
				conversationProviderId: 'prov-1',
				call: { to: '+15037081210', from: '+15037081211', status: 'completed' },
			})
			.reply(200, added);

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'addInbound',
				type: 'Call',
				conversationId: rl('conv-1'),
				contactId: 'c-1',
				conversationProviderId: 'prov-1',
				additionalFields: {
					call: '{"to": "+15037081210", "from": "+15037081211", "status": "completed"}',
				},
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('fails on a Conversation Provider ID that an expression leaves blank, without sending a request', async () => {
		const unmatched = unmatchedRequests();

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'addInbound',
				type: 'SMS',
				conversationId: rl('conv-1'),
				contactId: 'c-1',
				conversationProviderId: '={{ $json.provider }}',
				message: 'Hi',
			},
			input: [{ json: { provider: '' } }],
		});

		expect(error?.message).toBe('The "Conversation Provider ID" field is empty');
		expect(unmatched).toEqual([]);
	});

	it('fails on a Conversation that an expression leaves blank, without sending a request', async () => {
		const unmatched = unmatchedRequests();

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'addInbound',
				type: 'SMS',
				conversationId: rl('={{ $json.conversation }}'),
				contactId: 'c-1',
				conversationProviderId: 'prov-1',
				message: 'Hi',
			},
			input: [{ json: { conversation: ' ' } }],
		});

		expect(error?.message).toBe('The "Conversation" field is empty');
		expect(unmatched).toEqual([]);
	});

	it('fails on invalid call JSON, naming the field', async () => {
		const unmatched = unmatchedRequests();

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'addInbound',
				type: 'Call',
				conversationId: rl('conv-1'),
				contactId: 'c-1',
				conversationProviderId: 'prov-1',
				additionalFields: { call: '{to: nowhere' },
			},
		});

		expect(error?.message).toBe('The "Call (JSON)" field is not valid JSON');
		expect(unmatched).toEqual([]);
	});
});
