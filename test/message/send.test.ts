import { runNode } from '../support/engine';
import { api, json } from '../support/api';
import { stopRecordingUnmatched, unmatchedRequests } from './support';

const sent = { conversationId: 'conv-1', messageId: 'msg-1', status: 'pending' };

describe('Message > Send', () => {
	afterEach(stopRecordingUnmatched);

	it('sends an SMS with its numbers and additional fields, and no subType or status', async () => {
		const scope = api()
			.post('/conversations/messages', {
				type: 'SMS',
				contactId: 'c-1',
				message: 'Hello there',
				attachments: ['https://example.com/a.jpg', 'https://example.com/b.pdf'],
				fromNumber: '+14155550100',
				toNumber: '+14155550123',
				replyMessageId: 'msg-0',
				templateId: 'tpl-1',
				appointmentId: 'appt-1',
				scheduledTimestamp: 1_772_357_400,
			})
			.matchHeader('content-type', /application\/json/)
			.reply(200, sent);

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: 'SMS',
				contactId: 'c-1',
				message: 'Hello there',
				additionalFields: {
					attachments: 'https://example.com/a.jpg, https://example.com/b.pdf',
					fromNumber: '+14155550100',
					toNumber: '+14155550123',
					replyMessageId: 'msg-0',
					templateId: 'tpl-1',
					appointmentId: 'appt-1',
					scheduledTimestamp: '2026-03-01T09:30:00.000Z',
				},
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([sent]);
	});

	it('sends an Email with every email field: subject, HTML, from, to, CC/BCC arrays, thread, reply mode, scheduling', async () => {
		const emailSent = { ...sent, emailMessageId: 'em-1' };
		const scope = api()
			.post('/conversations/messages', {
				type: 'Email',
				contactId: 'c-1',
				subject: 'Your invoice',
				message: 'Plain text body',
				html: '<p>Your invoice</p>',
				emailFrom: 'billing@company.com',
				emailTo: 'jane@example.com',
				emailCc: ['cc1@example.com', 'cc2@example.com'],
				emailBcc: ['bcc@example.com'],
				threadId: 'thread-1',
				emailReplyMode: 'reply_all',
				customSubtypeId: 'sub-1',
				scheduledTimestamp: 1_772_357_400,
				usesNativeSchedulingAi: true,
				optimizationPeriod: '48h',
				forward: { isForwarded: true, messageId: 'msg-9', toEmail: 'fwd@example.com' },
			})
			.reply(200, emailSent);

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: 'Email',
				contactId: 'c-1',
				subject: 'Your invoice',
				message: 'Plain text body',
				html: '<p>Your invoice</p>',
				additionalFields: {
					emailFrom: 'billing@company.com',
					emailTo: 'jane@example.com',
					emailCc: 'cc1@example.com, cc2@example.com',
					emailBcc: 'bcc@example.com',
					threadId: 'thread-1',
					emailReplyMode: 'reply_all',
					customSubtypeId: 'sub-1',
					scheduledTimestamp: '2026-03-01T09:30:00Z',
					usesNativeSchedulingAi: true,
					optimizationPeriod: '48h',
					forward: '{"isForwarded": true, "messageId": "msg-9", "toEmail": "fwd@example.com"}',
				},
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([emailSent]);
	});

	it('accepts CC given as an array from an expression', async () => {
		const scope = api()
			.post('/conversations/messages', {
				type: 'Email',
				contactId: 'c-1',
				html: '<p>Hi</p>',
				emailCc: ['a@example.com', 'b@example.com'],
			})
			.reply(200, sent);

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: 'Email',
				contactId: 'c-1',
				html: '<p>Hi</p>',
				additionalFields: { emailCc: '={{ $json.cc }}' },
			},
			input: [{ json: { cc: ['a@example.com', 'b@example.com'] } }],
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('sends an Email with only an HTML body, leaving out the empty message and subject', async () => {
		const scope = api().post('/conversations/messages', { type: 'Email', contactId: 'c-1', html: '<p>Hi</p>' }).reply(200, sent);

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: 'Email',
				contactId: 'c-1',
				message: '',
				subject: '',
				html: '<p>Hi</p>',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('leaves out email-only fields on an SMS', async () => {
		const scope = api().post('/conversations/messages', { type: 'SMS', contactId: 'c-1', message: 'Hi' }).reply(200, sent);

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: 'SMS',
				contactId: 'c-1',
				message: 'Hi',
				subject: 'ignored',
				additionalFields: { emailCc: 'x@example.com', threadId: 'thread-1' },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('sends a message of a custom provider with its Conversation Provider ID', async () => {
		const scope = api()
			.post('/conversations/messages', {
				type: 'Custom',
				contactId: 'c-1',
				conversationProviderId: 'prov-1',
				message: 'Hi',
			})
			.reply(200, sent);

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: 'Custom',
				contactId: 'c-1',
				conversationProviderId: 'prov-1',
				message: 'Hi',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('fails on an empty message text, naming the field, without sending a request', async () => {
		const unmatched = unmatchedRequests();

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: 'SMS',
				contactId: 'c-1',
				message: '   ',
			},
		});

		expect(error?.message).toBe('The "Message" field is empty');
		expect(unmatched).toEqual([]);
	});

	it('fails on an Email without message, HTML or subject', async () => {
		const unmatched = unmatchedRequests();

		const { error } = await runNode({
			parameters: { resource: 'message', operation: 'send', type: 'Email', contactId: 'c-1' },
		});

		expect(error?.message).toBe('The "Message" field is empty');
		expect(error?.description).toContain('"HTML"');
		expect(unmatched).toEqual([]);
	});

	it('fails on an unreadable Schedule At date', async () => {
		const unmatched = unmatchedRequests();

		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: 'SMS',
				contactId: 'c-1',
				message: 'Hi',
				additionalFields: { scheduledTimestamp: 'next tuesday-ish' },
			},
		});

		expect(error?.message).toBe('The "Schedule At" field is not a valid date: "next tuesday-ish"');
		expect(unmatched).toEqual([]);
	});

	it('with Continue On Fail, an item with an empty message fails alone', async () => {
		const scope = api().post('/conversations/messages', { type: 'SMS', contactId: 'c-2', message: 'Second' }).reply(200, sent);

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: 'SMS',
				contactId: '={{ $json.contact }}',
				message: '={{ $json.text }}',
			},
			input: [{ json: { contact: 'c-1', text: '' } }, { json: { contact: 'c-2', text: 'Second' } }],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ error: 'The "Message" field is empty' }, sent]);
	});

	it('takes the Channel from an expression: the Custom-only provider field is not demanded for SMS', async () => {
		const scope = api()
			.post('/conversations/messages', { type: 'SMS', contactId: 'c-1', message: 'Hi' })
			.reply(200, { conversationId: 'conv-1', messageId: 'm-1', status: 'pending' });

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: '={{ $json.channel }}',
				contactId: 'c-1',
				message: 'Hi',
			},
			input: [{ json: { channel: 'SMS' } }],
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ conversationId: 'conv-1', messageId: 'm-1', status: 'pending' }]);
	});

	it('a Custom-channel message without its provider fails with the field named, before any request', async () => {
		const { error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: '={{ $json.channel }}',
				contactId: 'c-1',
				message: 'Hi',
			},
			input: [{ json: { channel: 'Custom' } }],
		});

		expect(error?.message).toBe('The "Conversation Provider ID" field is empty');
	});
});
