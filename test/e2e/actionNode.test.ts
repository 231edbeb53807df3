/**
 * Every operation of the action node, executed by n8n's engine against the sandbox listening on
 * 127.0.0.1 (no nock): each one changes or reads the sandbox's state as the API would, and every
 * request the node sends and every answer the sandbox gives is checked against the official spec.
 */
import nock from 'nock';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { createSandbox, DEMO, type Sandbox, type SandboxExchange } from '../../sandbox';
import { credentials, runNode } from '../support/engine';
import { specValidator, type SpecValidator } from '../support/spec';

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

describe('e2e: every operation of the node against the sandbox, checked against the spec', () => {
	let sandbox: Sandbox;
	let baseUrl: string;
	let v2: SpecValidator;
	let v3: SpecValidator;
	const exchanges: SandboxExchange[] = [];

	beforeAll(async () => {
		nock.enableNetConnect('127.0.0.1');
		sandbox = await createSandbox({ conversations: 60, onExchange: (exchange) => exchanges.push(exchange) });
		baseUrl = await sandbox.listen();
		[v2, v3] = await Promise.all([specValidator(), specValidator('apps/v3/conversations-v3.json')]);
	});
	afterAll(async () => {
		await sandbox.close();
		nock.disableNetConnect();
	});

	async function run(parameters: INodeParameters, input?: INodeExecutionData[]) {
		const result = await runNode({
			parameters,
			input,
			credentials: credentials.privateIntegrationToken({
				privateIntegrationToken: sandbox.token,
				locationId: sandbox.locationId,
				baseUrl,
			}),
		});
		if (result.error) throw new Error(`${String(parameters.operation)}: ${result.error.message} ${result.error.description ?? ''}`);
		return result.items;
	}

	it('Conversation: create, get, update, search and delete', async () => {
		const created = await run({ resource: 'conversation', operation: 'create', contactId: DEMO.newContactId });
		const conversationId = created[0].json.id as string;
		expect(sandbox.state.conversationOfContact(DEMO.newContactId)?.id).toBe(conversationId);

		const [got] = await run({ resource: 'conversation', operation: 'get', conversationId: rl(conversationId) });
		expect(got.json).toMatchObject({ id: conversationId, contactId: DEMO.newContactId });

		const [updated] = await run({
			resource: 'conversation',
			operation: 'update',
			conversationId: rl(conversationId),
			updateFields: { starred: true, unreadCount: 2 },
		});
		expect(updated.json).toMatchObject({ id: conversationId, starred: true, unreadCount: 2 });

		const found = await run({
			resource: 'conversation',
			operation: 'getAll',
			limit: 5,
			filters: { query: 'refund' },
			sortOptions: {},
		});
		expect(found.map((item) => item.json.id)).toContain(DEMO.smsConversationId);

		await run({ resource: 'conversation', operation: 'delete', conversationId: rl(conversationId) });
		expect(sandbox.state.conversation(conversationId)).toBeUndefined();
	});

	it('Message: send, get, get many, export, inbound, status, attachments, review reply, cancel scheduled', async () => {
		const [sent] = await run({
			resource: 'message',
			operation: 'send',
			type: 'SMS',
			contactId: DEMO.smsContactId,
			message: 'We have refunded your order.',
		});
		const messageId = sent.json.messageId as string;
		expect(sandbox.state.message(messageId)?.body).toBe('We have refunded your order.');

		const [got] = await run({ resource: 'message', operation: 'get', messageId });
		expect(got.json).toMatchObject({ id: messageId, direction: 'outbound' });

		const history = await run({
			resource: 'message',
			operation: 'getAll',
			conversationId: rl(DEMO.smsConversationId),
			returnAll: true,
			filters: {},
		});
		expect(history[0].json.id).toBe(messageId);
		expect(history).toHaveLength(sandbox.state.messagesOf(DEMO.smsConversationId).length);

		const exported = await run({ resource: 'message', operation: 'export', limit: 15, filters: {}, sortOptions: {} });
		expect(exported).toHaveLength(15);

		const [inbound] = await run({
			resource: 'message',
			operation: 'addInbound',
			type: 'SMS',
			conversationId: rl(DEMO.smsConversationId),
			contactId: DEMO.smsContactId,
			conversationProviderId: 'sandbox-provider',
			message: 'Thanks, received it!',
		});
		expect(sandbox.state.message(inbound.json.messageId as string)?.direction).toBe('inbound');

		await run({ resource: 'message', operation: 'updateStatus', messageId, status: 'read' });
		expect(sandbox.state.message(messageId)?.status).toBe('read');

		await run({
			resource: 'message',
			operation: 'setAttachments',
			messageId,
			attachments: 'https://example.com/receipt.pdf',
		});
		expect(sandbox.state.message(messageId)?.attachments).toEqual(['https://example.com/receipt.pdf']);

		const [reply] = await run({
			resource: 'message',
			operation: 'sendReviewReply',
			conversationId: rl(DEMO.reviewConversationId),
			message: 'Thank you for the kind review!',
		});
		expect(reply.json.messageId).toBeTruthy();

		await run({ resource: 'message', operation: 'cancelScheduled', messageId: DEMO.scheduledMessageId });
		expect(sandbox.state.message(DEMO.scheduledMessageId)).toBeUndefined();
	});

	it('Call: add an outbound call, recording and transcription (JSON and file)', async () => {
		const [call] = await run({
			resource: 'call',
			operation: 'addOutbound',
			conversationId: rl(DEMO.callConversationId),
			conversationProviderId: 'sandbox-provider',
			callDetails: { from: '+15550000001', to: '+15550000002', status: 'completed' },
		});
		expect(sandbox.state.message(call.json.messageId as string)?.messageType).toBe('TYPE_CALL');

		const [recording] = await run({ resource: 'call', operation: 'getRecording', messageId: DEMO.callMessageId });
		expect(recording.binary?.data).toMatchObject({ mimeType: 'audio/x-wav', fileName: 'audio.wav' });
		expect(Buffer.from(recording.binary!.data.data, 'base64').subarray(0, 4).toString()).toBe('RIFF');

		const [transcription] = await run({ resource: 'call', operation: 'getTranscription', messageId: DEMO.callMessageId });
		expect(transcription.json.transcript).toContain('This call may be recorded');

		const [file] = await run({ resource: 'call', operation: 'downloadTranscription', messageId: DEMO.callMessageId });
		expect(file.binary?.data).toMatchObject({ mimeType: 'text/plain', fileName: 'transcription.txt' });
	});

	it('Email: get, update status (v3), cancel a scheduled email', async () => {
		const [email] = await run({ resource: 'email', operation: 'get', emailMessageId: DEMO.emailId });
		expect(email.json).toMatchObject({ id: DEMO.emailId, conversationId: DEMO.emailConversationId });

		const [updated] = await run({ resource: 'email', operation: 'updateStatus', emailMessageId: DEMO.emailId, status: 'opened' });
		expect(updated.json.success).toBe(true);

		const [scheduled] = await run({
			resource: 'message',
			operation: 'send',
			type: 'Email',
			contactId: DEMO.emailContactId,
			subject: 'Your invoice',
			message: 'Please find your invoice attached.',
			additionalFields: { scheduledTimestamp: new Date(Date.now() + 86_400_000).toISOString() },
		});
		const emailMessageId = scheduled.json.emailMessageId as string;
		expect(emailMessageId).toBeTruthy();
		const [cancelled] = await run({ resource: 'email', operation: 'cancelScheduled', emailMessageId });
		expect(cancelled.json.status).toBe(200);
	});

	it('Attachment: upload from a binary field, and initiate → PUT → complete', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
		const [uploaded] = await run(
			{ resource: 'attachment', operation: 'upload', conversationId: rl(DEMO.smsConversationId), contactId: DEMO.smsContactId },
			[{ json: {}, binary: { data: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'photo.png' } } }],
		);
		expect(Object.keys(uploaded.json.uploadedFiles as object)).toEqual(['photo.png']);

		const [initiated] = await run({
			resource: 'attachment',
			operation: 'initiateUpload',
			conversationId: rl(DEMO.smsConversationId),
			filename: 'clip.mp4',
			contentType: 'video/mp4',
			channel: 'SMS',
		});
		const put = await fetch(initiated.json.uploadUrl as string, { method: 'PUT', body: Buffer.from('fake video') });
		expect(put.status).toBe(200);
		const [completed] = await run({
			resource: 'attachment',
			operation: 'completeUpload',
			uploadId: initiated.json.uploadId as string,
			filePath: initiated.json.filePath as string,
			conversationId: rl(DEMO.smsConversationId),
			filename: 'clip.mp4',
		});
		expect(Object.keys(completed.json.uploadedFiles as object)).toEqual(['clip.mp4']);
	});

	it('Custom Subtype, Contact Subscription and Live Chat', async () => {
		const [created] = await run({ resource: 'customSubtype', operation: 'create', name: 'Product news', channel: 'email', language: 'en' });
		const subtypeId = created.json.id as string;
		await run({ resource: 'customSubtype', operation: 'update', customSubtypeId: subtypeId, updateFields: { description: 'Monthly' } });
		const subtypes = await run({ resource: 'customSubtype', operation: 'getAll', returnAll: true });
		expect(subtypes.map((item) => item.json.id)).toContain(subtypeId);

		const email = sandbox.state.contact(DEMO.emailContactId)!.email!;
		await run({ resource: 'contactSubscription', operation: 'change', contactId: DEMO.emailContactId, email });
		const [status] = await run({ resource: 'contactSubscription', operation: 'getStatus', contactId: DEMO.emailContactId, email });
		expect(status.json.contactId).toBe(DEMO.emailContactId);

		const [typing] = await run({
			resource: 'liveChat',
			operation: 'sendTyping',
			conversationId: rl(DEMO.liveChatConversationId),
			visitorId: DEMO.liveChatVisitorId,
		});
		expect(typing.json.success).toBe(true);
	});

	it('every request and answer above follows the spec, and all 30 catalog operations were exercised', () => {
		const problems: string[] = [];
		const operations = new Set<string>();
		for (const exchange of exchanges) {
			if (!exchange.path.startsWith('/conversations')) continue;
			const validator = exchange.headers.version === 'v3' ? v3 : v2;
			const operationId = validator.operationOf(exchange);
			if (operationId) operations.add(operationId);
			problems.push(...validator.validate(exchange));
		}
		expect(problems).toEqual([]);
		expect(operations.size).toBe(30);
	});
});
