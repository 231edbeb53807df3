import nock from 'nock';
import { DEMO, type Sandbox } from '../../sandbox';
import { credentials, runNode } from '../support/engine';
import { newSandbox } from './helpers';

/** The package's node, run by n8n's engine, against a sandbox listening on 127.0.0.1. */
describe('sandbox: the node against a listening sandbox', () => {
	let sandbox: Sandbox;
	let baseUrl: string;

	beforeAll(async () => {
		nock.enableNetConnect('127.0.0.1');
		({ sandbox } = await newSandbox({ conversations: 300, rateLimit: undefined }));
		baseUrl = await sandbox.listen();
	});
	afterAll(async () => {
		await sandbox.close();
		nock.disableNetConnect();
	});

	const run = (parameters: Record<string, unknown>) =>
		runNode({
			parameters: parameters as never,
			credentials: credentials.privateIntegrationToken({
				privateIntegrationToken: sandbox.token,
				locationId: sandbox.locationId,
				baseUrl,
			}),
		});

	it('listens on 127.0.0.1 and answers plain HTTP', async () => {
		expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const response = await fetch(`${baseUrl}/sandbox/health`);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ status: 'ok', conversations: 300 });
	});

	it('Conversation > Get Many with Return All pages through every conversation', async () => {
		const { items, error } = await run({ resource: 'conversation', operation: 'getAll', returnAll: true, filters: {}, sortOptions: {} });
		expect(error).toBeUndefined();
		const ids = items.map((item) => item.json.id as string);
		expect(ids).toHaveLength(300);
		expect(new Set(ids).size).toBe(300);
	});

	it('Conversation > Get Many with filters and a limit', async () => {
		const { items, error } = await run({
			resource: 'conversation',
			operation: 'getAll',
			returnAll: false,
			limit: 5,
			filters: { query: 'refund', status: 'all' },
			sortOptions: {},
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(items[0].json.id).toBe(DEMO.smsConversationId);
	});

	it('Message > Send, then Message > Get Many shows it first', async () => {
		const sent = await run({
			resource: 'message',
			operation: 'send',
			type: 'SMS',
			contactId: DEMO.smsContactId,
			message: 'Your refund for order #20417 was issued today.',
			additionalFields: {},
		});
		expect(sent.error).toBeUndefined();
		const { messageId, conversationId } = sent.items[0].json as { messageId: string; conversationId: string };
		expect(conversationId).toBe(DEMO.smsConversationId);

		const listed = await run({
			resource: 'message',
			operation: 'getAll',
			conversationId: { __rl: true, mode: 'id', value: DEMO.smsConversationId },
			returnAll: true,
			filters: {},
		});
		expect(listed.error).toBeUndefined();
		expect(listed.items[0].json.id).toBe(messageId);
		expect(listed.items).toHaveLength(sandbox.state.messagesOf(DEMO.smsConversationId).length);
	});

	it('Message > Export pages with the cursor', async () => {
		const { items, error } = await run({
			resource: 'message',
			operation: 'export',
			returnAll: false,
			limit: 730,
			filters: {},
			sortOptions: {},
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(730);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(730);
	});

	it('Call > Get Recording returns the WAV as binary data', async () => {
		const { items, error } = await run({
			resource: 'call',
			operation: 'getRecording',
			messageId: DEMO.callMessageId,
			binaryPropertyName: 'data',
		});
		expect(error).toBeUndefined();
		expect(items[0].binary?.data).toMatchObject({ mimeType: 'audio/x-wav', fileName: 'audio.wav' });
	});
});
