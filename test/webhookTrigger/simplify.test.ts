/**
 * The webhook trigger's Simplify option (shared/simplify.ts): off by default (the payload and all
 * added fields, as before); on, the fields to act on first with the date in the workflow's time
 * zone. Real HTTP into n8n's stand-in webhook server, items read from the execution.
 */
import type { IDataObject } from 'n8n-workflow';
import { event, newSigner, postSigned, serve, useWebhookServers } from './helpers';

useWebhookServers();

const signer = newSigner();
const ALL = ['InboundMessage', 'OutboundMessage', 'ConversationUnreadUpdate', 'ProviderOutboundMessage'];

async function deliver(parameters: IDataObject, payload: IDataObject) {
	const server = await serve({ publicKey: signer.publicKeyPem, events: ALL, ...parameters });
	await postSigned(server.url, signer, JSON.stringify(payload));
	const runs = await server.idle();
	return runs.map((run) => run.json('Next')).flat() as IDataObject[];
}

describe('Webhook trigger: Simplify', () => {
	it('off by default: the full item (payload included)', async () => {
		const payload = event('InboundMessage', 0, { messageId: 'msg-1' });
		const [item] = await deliver({}, payload);
		expect(item).toMatchObject({ ...payload, event: 'InboundMessage', channel: 'SMS' });
		expect(item.conversation).toBeDefined();
	});

	it("on, a message event: text, direction, channel, status, the date in the workflow time zone (n8n's default, New York), IDs, the event", async () => {
		const payload = event('InboundMessage', 0, { messageId: 'msg-1' });
		expect(await deliver({ simplify: true }, payload)).toEqual([
			{
				id: 'msg-1',
				body: 'This is a test message',
				direction: 'inbound',
				channel: 'SMS',
				status: 'delivered',
				// The example's 2021-04-21T11:31:45.750Z; New York is 4 hours behind in April.
				dateAdded: '2021-04-21T07:31:45.750-04:00',
				attachments: [],
				contactId: 'cI08i1Bls3iTB9bKgFJh',
				conversationId: 'fcanlLgpbQgQhderivVs',
				event: 'InboundMessage',
			},
		]);
	});

	it("on, a conversation event: the conversation's fields and the event", async () => {
		const payload = event('ConversationUnreadWebhook');
		const [item] = await deliver({ simplify: true }, payload);
		expect(item).toMatchObject({ id: 'MzKIpg0rEIH2ZUGKf6BS', contactId: 'zsYhPBOUsEHtrK508Wm9', event: 'ConversationUnreadUpdate' });
		expect(item).not.toHaveProperty('webhookId');
	});
});
