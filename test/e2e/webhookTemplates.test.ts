/**
 * End to end: the webhook templates, driven by the sandbox's signed webhook deliveries over real
 * HTTP into n8n's stand-in webhook server (test/support/webhook.ts), each accepted event running the
 * template through the n8n engine against the sandbox. Assertions read the sandbox's state (what
 * HighLevel now holds) and what the stand-in carrier received.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { bridgeWorkflow, DEMO_PROVIDER_ID, settle as settleDeliveries } from '../../demo/webhooks';
import { createSandbox, DEMO, type Conversation, type Sandbox } from '../../sandbox';
import { sendThroughProvider as send, startCarrier } from '../../scripts/e2e/carrier';
import type { CredentialData } from '../support/engine';
import { startWebhookServer, withParameters, type N8nWebhookServer } from '../support/webhook';
import { loadTemplate, runWorkflow } from '../support/workflow';

let sandbox: Sandbox;
let baseUrl: string;
let credentials: CredentialData;
let server: N8nWebhookServer | undefined;

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());
beforeEach(async () => {
	sandbox = await createSandbox({ rateLimit: false, conversations: 40, webhooks: { timeScale: 0.0001 } });
	baseUrl = await sandbox.listen(0, '127.0.0.1');
	credentials = { conversationsApi: { privateIntegrationToken: sandbox.token, locationId: sandbox.locationId, baseUrl } };
});
afterEach(async () => {
	await server?.close();
	server = undefined;
	await sandbox.close();
});

const settle = async () => await settleDeliveries(sandbox, server as N8nWebhookServer);

function conversationOf(type: string): Conversation {
	const found = sandbox.state.listConversations().find((conversation) => conversation.lastMessageType === type);
	if (!found) throw new Error(`No ${type} conversation in the sandbox`);
	return found;
}

const outboundAfter = (conversationId: string, since: number) =>
	sandbox.state.messagesOf(conversationId).filter((message) => message.direction === 'outbound' && message.dateAdded >= since);

describe('instant-reply', () => {
	it('answers each inbound message once, on its own channel; calls and reviews get no reply', async () => {
		const workflow = withParameters(loadTemplate('instant-reply'), 'Inbound message', {
			publicKey: sandbox.webhooks.publicKeyPem,
		});
		server = await startWebhookServer({ workflow, credentials });
		sandbox.webhooks.register(server.url);
		const since = sandbox.state.now();
		const cases: Array<[string, string, string | undefined]> = [
			['TYPE_SMS', 'Is my order on its way?', 'TYPE_SMS'],
			['TYPE_EMAIL', 'Please send the invoice again', 'TYPE_EMAIL'],
			['TYPE_LIVE_CHAT', 'Hello, anyone there?', 'TYPE_LIVE_CHAT'],
			['TYPE_WHATSAPP', 'Can I change my booking?', 'TYPE_WHATSAPP'],
			['TYPE_REVIEW', 'Five stars, great service', undefined],
		];
		const conversations = cases.map(([type]) => conversationOf(type));
		// The SMS arrives three times at once (HighLevel may deliver an event more than once).
		sandbox.webhooks.injectNext('duplicate');
		cases.forEach(([type, body], index) =>
			sandbox.state.addMessage(conversations[index], { direction: 'inbound', messageType: type, body }),
		);
		await settle();

		cases.forEach(([, , replyType], index) => {
			const replies = outboundAfter(conversations[index].id, since);
			if (!replyType) return expect(replies).toEqual([]);
			expect(replies.map((reply) => [reply.messageType, reply.body])).toEqual([
				[replyType, 'Thanks for your message! We got it and will get back to you within the hour.'],
			]);
		});
		// 5 inbound messages → 5 executions; the replies' OutboundMessage and the unread updates start none.
		const runs = await server.idle();
		expect(runs.map((run) => run.json('Inbound message')[0].body)).toEqual(cases.map(([, body]) => body));
		expect(runs.every((run) => !run.error)).toBe(true);
		expect(sandbox.webhooks.deliveries.filter((delivery) => delivery.event === 'OutboundMessage')).toHaveLength(4);
		expect(sandbox.webhooks.deliveries.every((delivery) => delivery.delivered)).toBe(true);
	});
});

describe('custom-provider-bridge', () => {
	async function setUpBridge(unreachablePhone = '+10000000000') {
		const carrier = await startCarrier(unreachablePhone);
		const workflow = bridgeWorkflow(sandbox, baseUrl, carrier.url);
		server = await startWebhookServer({ workflow, credentials, triggerName: 'Provider outbound message' });
		sandbox.webhooks.registerProvider(DEMO_PROVIDER_ID, server.url);
		return { carrier, workflow };
	}

	const sendThroughProvider = async (contactId: string, message: string) =>
		await send({ baseUrl, token: sandbox.token }, DEMO_PROVIDER_ID, contactId, message);

	it('out: each provider message goes to the carrier once; delivered, or failed when the carrier refuses', async () => {
		const unreachable = sandbox.state.contact(DEMO.callContactId)!;
		const { carrier } = await setUpBridge(String(unreachable.phone));
		try {
			sandbox.webhooks.injectNext('duplicate', 'tampered');
			const delivered = await sendThroughProvider(DEMO.smsContactId, 'Your order has shipped.');
			const refused = await sendThroughProvider(DEMO.callContactId, 'Your appointment is confirmed.');
			expect(sandbox.state.message(delivered)?.status).toBe('pending');
			await settle();

			expect(carrier.received).toEqual([
				{ to: sandbox.state.contact(DEMO.smsContactId)?.phone, text: 'Your order has shipped.', reference: delivered },
				{ to: unreachable.phone, text: 'Your appointment is confirmed.', reference: refused },
			]);
			expect(sandbox.state.message(delivered)?.status).toBe('delivered');
			expect(sandbox.state.message(refused)?.status).toBe('failed');
			// The duplicate delivery was answered 200 without a second send; the tampered one 401, then retried.
			const attempts = sandbox.webhooks.deliveries
				.filter((delivery) => delivery.event === 'ProviderOutboundMessage')
				.map((delivery) => delivery.attempts.map((attempt) => attempt.status));
			expect(attempts).toEqual([
				[200, 200],
				[401, 200],
			]);
		} finally {
			await carrier.close();
		}
	});

	it("in: a carrier reply from a known phone is added to the contact's conversation; from a new phone, to a new one", async () => {
		const { carrier, workflow } = await setUpBridge();
		try {
			const reply = async (from: string, text: string): Promise<IDataObject> => {
				const result = await runWorkflow(workflow, {
					credentials,
					startNode: 'Carrier reply',
					triggerItems: [{ headers: {}, params: {}, query: {}, body: { from, text } }],
				});
				expect(result.error).toBeUndefined();
				return result.json('Add inbound')[0];
			};
			const known = sandbox.state.contact(DEMO.smsContactId)!;
			const first = await reply(String(known.phone), 'Thanks, see you then');
			const added = sandbox.state.message(String(first.messageId))!;
			expect(added).toMatchObject({
				conversationId: DEMO.smsConversationId,
				direction: 'inbound',
				messageType: 'TYPE_SMS',
				body: 'Thanks, see you then',
				conversationProviderId: DEMO_PROVIDER_ID,
			});

			const second = await reply('+1 415 555 0199', 'Who is this?');
			const message = sandbox.state.message(String(second.messageId))!;
			const contact = sandbox.state.contact(message.contactId)!;
			expect(contact.phone).toBe('+1 415 555 0199');
			expect(sandbox.state.messagesOf(message.conversationId).map((m) => m.body)).toEqual(['Who is this?']);
		} finally {
			await carrier.close();
		}
	});
});
