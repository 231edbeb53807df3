import { buildMultipartBody } from '../../nodes/ConversationsApi/shared/multipart';
import { DEMO, type Sandbox } from '../../sandbox';
import { specValidator, type SpecValidator } from '../support/spec';
import { newSandbox, VERSION, type Call, type Client } from './helpers';

/** Every operation of the catalog (derived from specs/highlevel-api, see test/node/catalog.test.ts). */
const CATALOG = [
	'search-conversation',
	'get-conversation',
	'update-conversation',
	'delete-conversation',
	'get-all-custom-subtypes',
	'create-custom-subtype',
	'update-custom-subtype',
	'get-contact-unsubscription-status',
	'user-subscription-change',
	'get-email-by-id',
	'cancel-scheduled-email-message',
	'export-messages-by-location',
	'get-message',
	'get-messages',
	'send-a-new-message',
	'add-an-inbound-message',
	'add-an-outbound-message',
	'send-review-reply',
	'cancel-scheduled-message',
	'upload-file-attachments',
	'initiate-file-upload',
	'complete-file-upload',
	'update-message-status',
	'add-message-attachments',
	'get-message-recording',
	'get-message-transcription',
	'download-message-transcription',
	'live-chat-agent-typing',
	'create-conversation',
	'update-email-message-status',
];

describe('sandbox: every catalog operation answers as the spec says', () => {
	let sandbox: Sandbox;
	let api: Client;
	let validator: SpecValidator;
	let validatorV3: SpecValidator;
	const covered = new Map<string, number>();
	const problems: string[] = [];

	beforeAll(async () => {
		({ sandbox, api } = await newSandbox({ conversations: 20 }));
		// ajv warns about the spec's "date-time" formats while compiling; that is not the sandbox's concern.
		const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
		try {
			validator = await specValidator();
			validatorV3 = await specValidator('apps/v3/conversations-v3.json');
		} finally {
			warn.mockRestore();
		}
	});
	afterAll(() => sandbox.close());

	/** Calls the sandbox and checks the request and the answer against the spec. */
	async function check(call: Call, expectedStatus = 200, options: { badRequest?: boolean } = {}) {
		const response = await api.call(call);
		const version = call.headers?.version ?? VERSION;
		const contentType = String(response.headers['content-type'] ?? '');
		const multipart = Buffer.isBuffer(call.body);
		const exchange = {
			method: call.method ?? 'GET',
			path: call.url,
			query: Object.fromEntries(Object.entries(call.query ?? {}).map(([k, v]) => [k, String(v)])),
			headers: {
				version,
				authorization: `Bearer ${sandbox.token}`,
				...(multipart ? { 'content-type': call.headers?.['content-type'] } : {}),
				...(call.body !== undefined && !multipart ? { 'content-type': 'application/json' } : {}),
			},
			body: multipart ? {} : call.body,
			status: response.statusCode,
			responseHeaders: response.headers,
			responseBody: contentType.startsWith('application/json') ? response.json() : response.body,
		};
		// The one v3-only operation is described by the v3 spec.
		const spec = version === 'v3' ? validatorV3 : validator;
		const operationId = spec.operationOf(exchange);
		if (operationId) covered.set(operationId, (covered.get(operationId) ?? 0) + 1);
		problems.push(...spec.validate(exchange).filter((problem) => !(options.badRequest && problem.includes(') request '))));
		expect({ operationId, status: response.statusCode }).toEqual({ operationId, status: expectedStatus });
		return response;
	}

	it('covers all 30 operations without a deviation', async () => {
		const location = sandbox.locationId;
		const smsConversation = sandbox.state.listConversations().find((c) => !c.id.startsWith('demo-'))!;

		await check({ url: '/conversations/search', query: { locationId: location, limit: 5, status: 'unread', sort: 'desc' } });
		const page = (await check({ url: '/conversations/search', query: { locationId: location, limit: 2 } })).json();
		await check({ url: '/conversations/search', query: { locationId: location, limit: 2, startAfterDate: page.conversations[1].sort[0] } });
		await check({ url: `/conversations/${DEMO.callConversationId}` });
		await check({
			method: 'PUT',
			url: `/conversations/${DEMO.smsConversationId}`,
			body: { locationId: location, unreadCount: 0, starred: true },
		});
		await check({ method: 'DELETE', url: `/conversations/${smsConversation.id}` });
		const created = await check(
			{ method: 'POST', url: '/conversations/', body: { locationId: location, contactId: DEMO.newContactId } },
			201,
		);
		await check({ url: '/conversations/search', query: { locationId: location, id: created.json().conversation.id } });

		await check({ url: '/conversations/preferences/custom-subtypes', query: { locationId: location } });
		const subtype = await check(
			{
				method: 'POST',
				url: '/conversations/preferences/custom-subtypes',
				query: { locationId: location },
				body: { name: 'Tips', channel: 'sms', language: 'en' },
			},
			201,
		);
		await check({
			method: 'PUT',
			url: `/conversations/preferences/custom-subtypes/${subtype.json().id}`,
			query: { locationId: location },
			body: { description: 'Seasonal tips' },
		});
		await check({
			url: '/conversations/preferences/unsubscriptions/status',
			query: { locationId: location, contactId: DEMO.emailContactId },
		});
		await check(
			{
				method: 'POST',
				url: '/conversations/preferences/unsubscriptions/user-change',
				body: {
					locationId: location,
					contactId: DEMO.emailContactId,
					email: 'priya.shah@example.org',
					subscription_action: { type: 'default', subtype_name: 'One on One', subtype_status: 'unsubscribed' },
				},
			},
			201,
		);

		await check({ url: `/conversations/messages/email/${DEMO.emailId}` });
		await check({ url: '/conversations/messages/export', query: { locationId: location, limit: 10, channel: 'SMS', sortOrder: 'asc' } });
		await check({ url: `/conversations/messages/${DEMO.callMessageId}` });
		await check({ url: `/conversations/${DEMO.callConversationId}/messages`, query: { limit: 2 } });

		const sms = await check({
			method: 'POST',
			url: '/conversations/messages',
			body: { type: 'SMS', contactId: DEMO.smsContactId, message: 'Refund issued.' },
		});
		const email = await check({
			method: 'POST',
			url: '/conversations/messages',
			body: {
				type: 'Email',
				contactId: DEMO.emailContactId,
				subject: 'Invoice',
				html: '<p>Attached.</p>',
				scheduledTimestamp: Math.floor(sandbox.state.now() / 1000) + 3600,
			},
		});
		await check({ method: 'DELETE', url: `/conversations/messages/email/${email.json().emailMessageId}/schedule` });
		await check({ method: 'DELETE', url: `/conversations/messages/${DEMO.scheduledMessageId}/schedule` });
		await check({
			method: 'POST',
			url: '/conversations/messages/inbound',
			body: {
				type: 'SMS',
				conversationId: DEMO.smsConversationId,
				contactId: DEMO.smsContactId,
				conversationProviderId: DEMO.conversationProviderId,
				message: 'Thanks!',
			},
		});
		await check({
			method: 'POST',
			url: '/conversations/messages/outbound',
			body: {
				type: 'Call',
				conversationId: DEMO.callConversationId,
				conversationProviderId: DEMO.conversationProviderId,
				call: { to: '+13055550142', from: '+15125550100', status: 'completed' },
			},
		});
		await check({
			method: 'POST',
			url: '/conversations/messages/review-reply',
			body: { conversationId: DEMO.reviewConversationId, locationId: location, message: 'Thank you!' },
		});
		await check({ method: 'PUT', url: `/conversations/messages/${sms.json().messageId}/status`, body: { status: 'read' } });
		await check({
			method: 'PUT',
			url: `/conversations/messages/${sms.json().messageId}/attachments`,
			body: { attachments: ['https://files.example.com/a.pdf'] },
		});

		const form = buildMultipartBody([
			{ name: 'fileAttachment', fileName: 'photo.jpg', mimeType: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff]) },
			{ name: 'conversationId', value: DEMO.smsConversationId },
			{ name: 'contactId', value: DEMO.smsContactId },
			{ name: 'locationId', value: location },
		]);
		await check({ method: 'POST', url: '/conversations/messages/upload', body: form.body, headers: { 'content-type': form.contentType } });
		const initiated = await check({
			method: 'POST',
			url: '/conversations/messages/upload/initiate',
			body: {
				locationId: location,
				conversationId: DEMO.smsConversationId,
				filename: 'clip.mp4',
				contentType: 'video/mp4',
				channel: 'SMS',
			},
		});
		const { uploadUrl, uploadId, filePath } = initiated.json();
		await api.call({
			method: 'PUT',
			url: new URL(uploadUrl).pathname,
			body: Buffer.from('clip'),
			headers: { 'content-type': 'video/mp4' },
		});
		await check({
			method: 'POST',
			url: '/conversations/messages/upload/complete',
			body: { uploadId, filePath, locationId: location, conversationId: DEMO.smsConversationId, filename: 'clip.mp4' },
		});

		await check({ url: `/conversations/messages/${DEMO.callMessageId}/locations/${location}/recording` });
		await check({ url: `/conversations/locations/${location}/messages/${DEMO.callMessageId}/transcription` });
		await check({ url: `/conversations/locations/${location}/messages/${DEMO.callMessageId}/transcription/download` });
		await check(
			{
				method: 'POST',
				url: '/conversations/providers/live-chat/typing',
				body: { locationId: location, isTyping: 'true', visitorId: DEMO.liveChatVisitorId, conversationId: DEMO.liveChatConversationId },
			},
			201,
		);
		const v3 = await check({
			method: 'PUT',
			url: `/conversations/messages/email/${DEMO.emailId}/status`,
			body: { status: 'delivered', events: { delivered: 1 } },
			headers: { version: 'v3' },
		});
		expect(v3.json()).toEqual({ success: true, message: expect.any(String) });

		expect(problems).toEqual([]);
		expect([...covered.keys()].sort()).toEqual([...CATALOG].sort());
	});

	it('answers errors with the API error bodies', async () => {
		problems.length = 0;
		const notFound = await check({ url: '/conversations/nope' }, 404);
		expect(notFound.json()).toEqual({ statusCode: 404, message: 'Conversation not found' });
		const invalid = await check({ method: 'PUT', url: `/conversations/${DEMO.smsConversationId}`, body: { unreadCount: 'many' } }, 422, {
			badRequest: true,
		});
		expect(invalid.json()).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', message: expect.any(Array) });
		expect(problems).toEqual([]);
	});
});
