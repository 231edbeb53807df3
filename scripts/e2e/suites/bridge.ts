/**
 * templates/custom-provider-bridge.json in real n8n, active: the sandbox, as HighLevel, hands
 * messages sent on a custom provider's channel to the trigger's production URL as signed
 * ProviderOutboundMessage events (one delivered twice at once, one tampered on the way and then
 * retried, as HighLevel retries); the template sends each to a stand-in carrier once and sets the
 * message's status (delivered, or failed when the carrier refuses). Then the carrier posts two
 * replies to the template's Carrier reply webhook: one from a known phone (added to that contact's
 * conversation) and one from a new phone (a new contact and conversation).
 */
import { outputItems, type ExecutionDetail } from '../n8n';
import { waitFor } from '../proc';
import { expect } from '../report';
import { sendThroughProvider, startCarrier } from '../carrier';
import { loadTemplate, withCredential, withFields } from '../workflows';
import type { RunningN8n } from './regular';

const PROVIDER_ID = 'e2e-carrier-provider';
const NEW_PHONE = '+1 415 555 0199';

export async function providerBridgeTemplate(n8n: RunningN8n): Promise<void> {
	await n8n.report.check(
		n8n.suite,
		'template custom-provider-bridge (active: signed ProviderOutboundMessage → carrier → status; carrier replies → Add Inbound)',
		async () => {
			const { sandbox, api } = n8n;
			const phones = sandbox.state.listConversations().flatMap((conversation) => {
				const contact = sandbox.state.contact(conversation.contactId);
				return contact?.phone && conversation.type === 'TYPE_PHONE' ? [contact] : [];
			});
			const [reachable, unreachable, other] = phones;
			expect(other !== undefined, `the sandbox has ${phones.length} contacts with a phone conversation, 3 needed`);
			const carrier = await startCarrier(String(unreachable.phone));
			try {
				let template = withCredential(loadTemplate('custom-provider-bridge'), n8n.credentialId);
				template = withFields(template, 'Carrier settings', { carrierUrl: carrier.url });
				template = withFields(template, 'Provider settings', {
					conversationProviderId: PROVIDER_ID,
					locationId: sandbox.locationId,
					apiBaseUrl: n8n.sandboxUrl,
				});
				const trigger = template.nodes.find((node) => node.name === 'Provider outbound message');
				const replyHook = template.nodes.find((node) => node.name === 'Carrier reply');
				expect(trigger !== undefined && replyHook !== undefined, 'the template has no "Provider outbound message" or "Carrier reply" node');
				if (!trigger || !replyHook) return '';
				trigger.parameters = { ...trigger.parameters, publicKey: sandbox.webhooks.publicKeyPem };
				const workflow = await api.createWorkflow(template);
				await api.activate(workflow);
				const deliveryUrl = `${n8n.n8nUrl}/webhook/${String(trigger.webhookId)}/highlevel`;
				// Registered a moment after activation (404 until then); an unsigned probe gets 401 and starts nothing.
				await waitFor(
					'the Delivery URL to be registered',
					async () => {
						const response = await fetch(deliveryUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
						await response.arrayBuffer();
						return response.status === 404 ? undefined : true;
					},
					60_000,
					500,
				);
				sandbox.webhooks.registerProvider(PROVIDER_ID, deliveryUrl);

				// Out: three messages on the provider's channel; the first event comes twice at once, the second tampered (then retried).
				sandbox.webhooks.injectNext('duplicate', 'tampered');
				const sends = [
					{ contact: reachable, text: 'Your order has shipped.', expected: 'delivered' },
					{ contact: unreachable, text: 'Your appointment is confirmed.', expected: 'failed' },
					{ contact: other, text: 'Your invoice is ready.', expected: 'delivered' },
				];
				const sent: string[] = [];
				for (const { contact, text } of sends)
					sent.push(await sendThroughProvider({ baseUrl: n8n.sandboxUrl, token: sandbox.token }, PROVIDER_ID, contact.id, text));
				await sandbox.webhooks.idle();
				const outbound = await settledExecutions(n8n, workflow.id, sends.length);

				// In: the carrier's replies, through n8n's production webhook.
				const replyUrl = `${n8n.n8nUrl}/webhook/${String(replyHook.parameters.path)}`;
				const replies = [
					{ from: String(reachable.phone), text: 'Great, thanks! Can you leave it at the door?' },
					{ from: NEW_PHONE, text: 'Who is this?' },
				];
				const replyAnswers: number[] = [];
				for (const { from, text } of replies) replyAnswers.push(await carrier.reply(replyUrl, from, text));
				const all = await settledExecutions(n8n, workflow.id, sends.length + replies.length);
				await api.deactivate(workflow);
				sandbox.webhooks.providers.delete(PROVIDER_ID);

				const attempts = sandbox.webhooks.deliveries
					.filter((delivery) => delivery.event === 'ProviderOutboundMessage' && sent.includes(String(delivery.payload.messageId)))
					.map((delivery) => delivery.attempts.map((attempt) => attempt.status).join('/'));
				const statuses = sent.map((id) => sandbox.state.message(id)?.status);
				const handed = sent.map((id) => carrier.received.filter((body) => body.reference === id).length);
				const added = all
					.flatMap((execution) => outputItems(execution, 'Add inbound'))
					.map((item) => sandbox.state.message(String(item.messageId)));
				const [known, fresh] = added;
				const freshContact = fresh ? sandbox.state.contact(fresh.contactId) : undefined;
				const figures = [
					`${sends.length} messages on the provider's channel → deliveries answered ${attempts.join(', ')} (duplicate, tampered then retried, plain)`,
					`carrier got ${carrier.received.length} requests (${handed.join('/')} per message)`,
					`statuses ${statuses.join('/')}`,
					`${replies.length} carrier replies answered ${replyAnswers.join('/')} → known phone: inbound ${known?.messageType ?? 'none'} in conversation ${known?.conversationId ?? '-'}; new phone: contact ${freshContact?.id ?? 'none'}, conversation ${fresh?.conversationId ?? '-'}`,
					`${all.length} executions (${outbound.length} per message + ${all.length - outbound.length} per reply): ${all.filter((execution) => execution.status === 'success').length} success`,
				].join('; ');

				expect(JSON.stringify(attempts) === JSON.stringify(['200/200', '401/200', '200']), `deliveries: ${figures}`);
				expect(outbound.length === sends.length, `not one execution per message: ${figures}`);
				const branches = outbound.map((execution) => [
					String(outputItems(execution, 'Provider outbound message')[0]?.messageId),
					outputItems(execution, 'Mark delivered').length
						? 'delivered'
						: outputItems(execution, 'Mark failed').length
							? 'failed'
							: 'neither',
				]);
				expect(
					JSON.stringify(branches.sort()) === JSON.stringify(sent.map((id, index) => [id, sends[index].expected]).sort()),
					`executions took the branches ${JSON.stringify(branches)}: ${figures}`,
				);
				// In any order: the deliveries run concurrently (and the tampered one's retry comes seconds later).
				const byReference = (bodies: Array<Record<string, unknown>>) =>
					JSON.stringify([...bodies].sort((a, b) => String(a.reference).localeCompare(String(b.reference))));
				const expectedBodies = sent.map((id, index) => ({ to: sends[index].contact.phone, text: sends[index].text, reference: id }));
				expect(
					byReference(carrier.received) === byReference(expectedBodies),
					`carrier got ${JSON.stringify(carrier.received)}: ${figures}`,
				);
				expect(JSON.stringify(statuses) === JSON.stringify(sends.map((send) => send.expected)), `statuses: ${figures}`);
				expect(
					all.length === sends.length + replies.length && all.every((execution) => execution.status === 'success'),
					`executions: ${figures}`,
				);
				expect(
					replyAnswers.every((status) => status === 200),
					`carrier replies: ${figures}`,
				);
				expect(
					known?.contactId === reachable.id &&
						sandbox.state.conversation(known.conversationId)?.contactId === reachable.id &&
						known.direction === 'inbound' &&
						known.messageType === 'TYPE_SMS' &&
						known.body === replies[0].text &&
						known.conversationProviderId === PROVIDER_ID,
					`the known phone's reply: ${JSON.stringify(known)}: ${figures}`,
				);
				const freshMessages = fresh ? sandbox.state.messagesOf(fresh.conversationId).map((message) => message.body) : [];
				expect(
					freshContact?.phone === NEW_PHONE &&
						freshContact.id !== reachable.id &&
						JSON.stringify(freshMessages) === JSON.stringify([replies[1].text]),
					`the new phone's reply: contact ${JSON.stringify(freshContact)}, its conversation holds ${JSON.stringify(freshMessages)}: ${figures}`,
				);
				return figures;
			} finally {
				await carrier.close();
			}
		},
	);
}

/** The workflow's executions, in full, once they have all finished (and no more came), oldest first. */
async function settledExecutions(n8n: RunningN8n, workflowId: string, atLeast: number): Promise<ExecutionDetail[]> {
	const details: ExecutionDetail[] = [];
	for (const summary of await n8n.api.settledExecutions(workflowId, atLeast, 2000))
		details.push(await n8n.api.waitForExecution(summary.id));
	return details;
}
