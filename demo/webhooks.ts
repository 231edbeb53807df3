/**
 * The webhook templates in the demo: the sandbox signs and delivers HighLevel's events over real
 * HTTP to the HighLevel Conversations Webhook Trigger, served the way n8n serves production
 * webhooks (test/support/webhook.ts), and each accepted event runs the template through the n8n
 * engine. Only what a user configures changes: the trigger's Public Key (the sandbox signs with its
 * own key) and the templates' Set nodes.
 */
import type { IDataObject } from 'n8n-workflow';
import type { Sandbox } from '../sandbox';
import { sendThroughProvider, startCarrier } from '../scripts/e2e/carrier';
import type { CredentialData } from '../test/support/engine';
import { startWebhookServer, withParameters, type N8nWebhookServer } from '../test/support/webhook';
import { loadTemplate, runWorkflow, withFields, type WorkflowJson } from '../test/support/workflow';

export interface WebhookDemoContext {
	sandbox: Sandbox;
	baseUrl: string;
	credentials: CredentialData;
	print: (line: string) => void;
}

const short = (text: unknown, max = 50) => {
	const line = String(text ?? '')
		.replace(/\s+/g, ' ')
		.trim();
	return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** Waits until the sandbox has nothing left to deliver and n8n nothing left to run (replies cause events). */
export async function settle(sandbox: Sandbox, server: N8nWebhookServer): Promise<void> {
	for (let round = 0; round < 10; round++) {
		const before = `${sandbox.webhooks.deliveries.length}/${server.executions.length}`;
		await sandbox.webhooks.idle();
		await server.idle();
		if (`${sandbox.webhooks.deliveries.length}/${server.executions.length}` === before) return;
	}
}

/** Instant reply: InboundMessage → a reply on the same channel. */
export async function instantReply({ sandbox, credentials, print }: WebhookDemoContext): Promise<IDataObject> {
	const workflow = withParameters(loadTemplate('instant-reply'), 'Inbound message', {
		publicKey: sandbox.webhooks.publicKeyPem,
	});
	const server = await startWebhookServer({ workflow, credentials });
	try {
		sandbox.webhooks.register(server.url);
		// HighLevel may deliver an event twice: the first one here comes twice, at once.
		sandbox.webhooks.injectNext('duplicate');
		const simulated = await sandbox.simulate({ inboundMessages: 4, newConversations: 1 });
		await settle(sandbox, server);
		const deliveries = sandbox.webhooks.deliveries.filter((delivery) => delivery.url === server.url);
		const runs = await server.idle();
		print(
			`5. Instant reply (HighLevel Conversations Webhook Trigger, signed InboundMessage → reply on the same channel): ` +
				`${deliveries.length} signed events delivered to ${server.path}, ${runs.length} executions`,
		);
		for (const id of simulated.messages) {
			const message = sandbox.state.message(id);
			if (!message) continue;
			const contact = sandbox.state.contact(message.contactId);
			const reply = sandbox.state
				.messagesOf(message.conversationId)
				.find((candidate) => candidate.direction === 'outbound' && candidate.dateAdded >= message.dateAdded);
			const delivered = deliveries.filter((delivery) => delivery.payload.messageId === id);
			const copies = delivered.reduce((sum, delivery) => sum + delivery.attempts.length, 0);
			print(
				`   - ${contact?.name ?? message.contactId} wrote by ${delivered[0]?.payload.messageType ?? '?'}: "${short(message.body, 40)}"` +
					(reply
						? ` → replied by ${reply.messageType.replace('TYPE_', '')} ${reply.dateAdded - message.dateAdded} ms later: "${short(reply.body, 40)}"`
						: ' → no reply channel, left alone') +
					(copies > 1 ? ` (delivered ${copies}×, run once)` : ''),
			);
		}
		const ignored = deliveries.length - runs.length;
		const duplicates = deliveries.filter((delivery) => delivery.fault === 'duplicate').length;
		print(
			`   ${ignored} other events (the replies' OutboundMessage, unread updates) and ${duplicates} duplicate delivery answered 200 without an execution`,
		);
		sandbox.webhooks.register(undefined);
		return { deliveries: deliveries.length, executions: runs.length };
	} finally {
		await server.close();
	}
}

export const DEMO_PROVIDER_ID = 'demo-carrier-provider';

/** The bridge template as a user configures it for the sandbox and a carrier. */
export function bridgeWorkflow(sandbox: Sandbox, baseUrl: string, carrierUrl: string): WorkflowJson {
	let workflow = loadTemplate('custom-provider-bridge');
	workflow = withParameters(workflow, 'Provider outbound message', { publicKey: sandbox.webhooks.publicKeyPem });
	workflow = withFields(workflow, 'Carrier settings', { carrierUrl });
	return withFields(workflow, 'Provider settings', {
		conversationProviderId: DEMO_PROVIDER_ID,
		locationId: sandbox.locationId,
		apiBaseUrl: baseUrl,
	});
}

/** Custom provider bridge: ProviderOutboundMessage → carrier → Update Status; carrier reply → Add Inbound. */
export async function providerBridge({ sandbox, baseUrl, credentials, print }: WebhookDemoContext): Promise<IDataObject> {
	const withPhones = sandbox.state.listConversations().flatMap((conversation) => {
		const contact = sandbox.state.contact(conversation.contactId);
		return contact?.phone && conversation.type === 'TYPE_PHONE' ? [contact] : [];
	});
	const [reachable, unreachable] = withPhones;
	const carrier = await startCarrier(String(unreachable.phone));
	const workflow = bridgeWorkflow(sandbox, baseUrl, carrier.url);
	const server = await startWebhookServer({ workflow, credentials, triggerName: 'Provider outbound message' });
	try {
		sandbox.webhooks.registerProvider(DEMO_PROVIDER_ID, server.url);
		print(
			`6. Custom provider bridge (Delivery URL ${server.path} → carrier ${new URL(carrier.url).pathname} → Update Status; carrier reply → Add Inbound)`,
		);
		const sent: Array<{ name: string; messageId: string }> = [];
		for (const contact of [reachable, unreachable]) {
			const message = `Hi ${contact.firstName ?? contact.name}, your order has shipped.`;
			sent.push({
				name: contact.name,
				messageId: await sendThroughProvider({ baseUrl, token: sandbox.token }, DEMO_PROVIDER_ID, contact.id, message),
			});
		}
		await settle(sandbox, server);
		const outcome: IDataObject = {};
		for (const { name, messageId } of sent) {
			const status = sandbox.state.message(messageId)?.status;
			outcome[messageId] = status;
			const handed = carrier.received.find((body) => body.reference === messageId);
			print(
				`   - to ${name}: signed ProviderOutboundMessage → carrier ${handed ? `got it for ${String(handed.to)}` : 'got nothing'} → status ${status}`,
			);
		}
		// The carrier reports a reply from the reachable contact.
		const reply = { from: reachable.phone, text: 'Great, thanks! Can you leave it at the door?' };
		const result = await runWorkflow(workflow, {
			credentials,
			startNode: 'Carrier reply',
			triggerItems: [
				{
					headers: { 'content-type': 'application/json' },
					params: {},
					query: {},
					body: reply,
					webhookUrl: 'http://localhost:5678/webhook/carrier-inbound',
					executionMode: 'production',
				},
			],
		});
		if (result.error)
			throw new Error(`node "${String((result.error as { node?: { name?: string } }).node?.name)}": ${result.error.message}`);
		const added = result.json('Add inbound')[0];
		const inbound = added ? sandbox.state.message(String(added.messageId)) : undefined;
		print(
			inbound
				? `   - carrier reply from ${reachable.name}: added to conversation ${inbound.conversationId} as inbound ${inbound.messageType.replace('TYPE_', '')} (provider ${inbound.conversationProviderId}): "${short(inbound.body)}"`
				: '   - carrier reply NOT added',
		);
		return { statuses: outcome, inboundMessageId: inbound?.id };
	} finally {
		sandbox.webhooks.providers.delete(DEMO_PROVIDER_ID);
		await server.close();
		await carrier.close();
	}
}
