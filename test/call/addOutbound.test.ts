import { runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

const created = {
	success: true,
	conversationId: 'conv-1',
	messageId: 'msg-9',
	message: 'Message queued successfully.',
};

describe('Call > Add Outbound Call', () => {
	it('sends POST /conversations/messages/outbound with type Call and every field', async () => {
		const scope = api()
			.post('/conversations/messages/outbound', {
				type: 'Call',
				conversationId: 'conv-1',
				conversationProviderId: 'prov-1',
				call: { from: '+15037081210', to: '+15037081211', status: 'no-answer' },
				altId: 'ext-call-77',
				attachments: ['https://provider.com/rec/a.mp3', 'https://provider.com/rec/b.mp3'],
				date: '2026-03-05T14:30:00.000Z',
			})
			.matchHeader('content-type', /application\/json/)
			.reply(200, created);

		const { items, error } = await runNode({
			parameters: {
				resource: 'call',
				operation: 'addOutbound',
				conversationId: rl('conv-1'),
				conversationProviderId: ' prov-1 ',
				callDetails: { from: '+15037081210', to: '+15037081211', status: 'no-answer' },
				additionalFields: {
					altId: 'ext-call-77',
					attachments: 'https://provider.com/rec/a.mp3, https://provider.com/rec/b.mp3',
					date: '2026-03-05T14:30:00.000Z',
				},
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([created]);
	});

	it('sends only the required fields when nothing else is set', async () => {
		const scope = api()
			.post('/conversations/messages/outbound', {
				type: 'Call',
				conversationId: 'conv-from-list',
				conversationProviderId: 'prov-1',
			})
			.reply(200, created);

		const { error } = await runNode({
			parameters: {
				resource: 'call',
				operation: 'addOutbound',
				conversationId: { __rl: true, mode: 'list', value: 'conv-from-list' },
				conversationProviderId: 'prov-1',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('reads a date without a time zone in the workflow time zone (America/New_York by default)', async () => {
		const scope = api()
			.post('/conversations/messages/outbound', {
				type: 'Call',
				conversationId: 'conv-1',
				conversationProviderId: 'prov-1',
				date: '2026-07-01T14:00:00.000Z',
			})
			.reply(200, created);

		const { error } = await runNode({
			parameters: {
				resource: 'call',
				operation: 'addOutbound',
				conversationId: rl('conv-1'),
				conversationProviderId: 'prov-1',
				additionalFields: { date: '2026-07-01T10:00:00' },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('an invalid date is an error naming the field, and nothing is sent', async () => {
		const { error } = await runNode({
			parameters: {
				resource: 'call',
				operation: 'addOutbound',
				conversationId: rl('conv-1'),
				conversationProviderId: 'prov-1',
				additionalFields: { date: 'yesterday-ish' },
			},
		});

		expect(error?.message).toBe('The "Date" field is not a valid date: "yesterday-ish"');
	});

	it('a blank Conversation or Conversation Provider ID is an error naming the field', async () => {
		const noConversation = await runNode({
			parameters: {
				resource: 'call',
				operation: 'addOutbound',
				conversationId: rl('  '),
				conversationProviderId: 'prov-1',
			},
		});
		expect(noConversation.error?.message).toBe('The "Conversation" field is empty');

		const noProvider = await runNode({
			parameters: {
				resource: 'call',
				operation: 'addOutbound',
				conversationId: rl('conv-1'),
				conversationProviderId: '={{ $json.provider }}',
			},
		});
		expect(noProvider.error?.message).toBe('The "Conversation Provider ID" field is empty');
	});
});
