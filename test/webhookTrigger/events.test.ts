/**
 * What the trigger outputs for each of HighLevel's documented examples (specs/highlevel-api/webhooks),
 * and what its filters let through: real HTTP into n8n's stand-in webhook server, items read from
 * the execution (the node after the trigger).
 */
import type { IDataObject } from 'n8n-workflow';
import { channelOf } from '../../nodes/ConversationsApi/shared/items';
import { event, newSigner, postSigned, serve, useWebhookServers } from './helpers';

useWebhookServers();

const signer = newSigner();
const ALL = ['InboundMessage', 'OutboundMessage', 'ConversationUnreadUpdate', 'ProviderOutboundMessage'];

async function deliver(parameters: IDataObject, payloads: IDataObject[]) {
	const server = await serve({ publicKey: signer.publicKeyPem, ...parameters });
	const statuses = [];
	for (const payload of payloads) statuses.push((await postSigned(server.url, signer, JSON.stringify(payload))).status);
	const runs = await server.idle();
	return { statuses, items: runs.map((run) => run.json('Next')).flat() };
}

describe("items: the payload, the event, and the polling trigger's message fields", () => {
	it('InboundMessage (SMS): payload + event, webhookId, locationId, messageId, conversationId, contactId, channel, direction', async () => {
		const payload = event('InboundMessage', 0, { messageId: 'msg-1' });
		const { items } = await deliver({ events: ALL }, [payload]);
		expect(items).toEqual([
			{
				...payload,
				event: 'InboundMessage',
				webhookId: payload.webhookId,
				locationId: 'l1C08ntBrFjLS0elLIYU',
				id: 'msg-1',
				messageId: 'msg-1',
				conversationId: 'fcanlLgpbQgQhderivVs',
				contactId: 'cI08i1Bls3iTB9bKgFJh',
				contactName: '',
				email: '',
				phone: '',
				channel: 'SMS',
				direction: 'inbound',
				conversation: { id: 'fcanlLgpbQgQhderivVs', contactId: 'cI08i1Bls3iTB9bKgFJh', locationId: 'l1C08ntBrFjLS0elLIYU' },
			},
		]);
	});

	it("channel names are the polling trigger's (channelOf of the API type) for every webhook messageType", async () => {
		const types: Array<[string, string]> = [
			['SMS', 'TYPE_SMS'],
			['Email', 'TYPE_EMAIL'],
			['CALL', 'TYPE_CALL'],
			['FB', 'TYPE_FACEBOOK'],
			['IG', 'TYPE_INSTAGRAM'],
			['WhatsApp', 'TYPE_WHATSAPP'],
			['Live Chat', 'TYPE_LIVE_CHAT'],
			['GMB', 'TYPE_GMB'],
		];
		const { items } = await deliver(
			{ events: ALL },
			types.map(([messageType]) => event('InboundMessage', 0, { messageType })),
		);
		expect(items.map((item) => item.channel)).toEqual(types.map(([, apiType]) => channelOf(apiType)));
		expect(items.map((item) => item.channel)).toContain('Facebook');
		expect(items.map((item) => item.channel)).toContain('Live Chat');
	});

	it('OutboundMessage (call, email) and every documented example of both message events', async () => {
		const payloads = [0, 1, 2, 3].flatMap((index) => [event('InboundMessage', index), event('OutboundMessage', index)]);
		const { statuses, items } = await deliver({ events: ALL }, payloads);
		expect(statuses).toEqual(Array(8).fill(200));
		expect(items.map((item) => [item.event, item.messageType, item.direction])).toEqual(
			payloads.map((payload) => [payload.type, payload.messageType, payload.direction]),
		);
		const email = items.find((item) => item.messageType === 'Email' && item.event === 'OutboundMessage') as IDataObject;
		expect(email).toMatchObject({ subject: 'Order Confirmed', emailMessageId: 'sddfDSF3G56GHG', channel: 'Email' });
	});

	it('ConversationUnreadUpdate: payload + event, webhookId, locationId; the conversation ID as conversationId', async () => {
		const payload = event('ConversationUnreadWebhook');
		const { items } = await deliver({ events: ALL }, [payload]);
		expect(items).toEqual([
			{
				...payload,
				event: 'ConversationUnreadUpdate',
				webhookId: payload.webhookId,
				locationId: 'ADVlSQnPsdq3hinusd6C3',
				conversationId: 'MzKIpg0rEIH2ZUGKf6BS',
				contactId: 'zsYhPBOUsEHtrK508Wm9',
			},
		]);
	});

	it('ProviderOutboundMessage (no event name in the body: known by its shape): SMS and email', async () => {
		const sms = event('ProviderOutboundMessage', 0);
		const email = event('ProviderOutboundMessage', 1);
		const { items } = await deliver({ events: ['ProviderOutboundMessage'] }, [sms, email]);
		expect(items[0]).toMatchObject({
			...sms,
			event: 'ProviderOutboundMessage',
			messageId: 'GKJxs4P5L8dWc5CFUITM',
			contactId: 'GKBhT6BfwY9mjzXAU3sq',
			phone: '+15864603685',
			direction: 'outbound',
			channel: channelOf('TYPE_CUSTOM_PROVIDER_SMS'),
		});
		expect(items[1]).toMatchObject({
			event: 'ProviderOutboundMessage',
			email: 'abc@gmail.com',
			channel: channelOf('TYPE_CUSTOM_PROVIDER_EMAIL'),
		});
	});
});

describe('filters: answered 200, no execution', () => {
	it('events not selected', async () => {
		const { statuses, items } = await deliver({ events: ['InboundMessage'] }, [
			event('OutboundMessage'),
			event('ConversationUnreadWebhook'),
			event('ProviderOutboundMessage'),
			{ ...event(), type: 'ContactCreate' },
			event('InboundMessage'),
		]);
		expect(statuses).toEqual([200, 200, 200, 200, 200]);
		expect(items.map((item) => item.event)).toEqual(['InboundMessage']);
	});

	it('location IDs (comma-separated, spaces ignored)', async () => {
		const { statuses, items } = await deliver({ events: ALL, filters: { locationIds: ' loc-A , loc-B ' } }, [
			event('InboundMessage', 0, { locationId: 'loc-A' }),
			event('InboundMessage', 0, { locationId: 'loc-C' }),
			event('ConversationUnreadWebhook', 0, { locationId: 'loc-B' }),
			event('InboundMessage', 0, { locationId: undefined }),
		]);
		expect(statuses).toEqual([200, 200, 200, 200]);
		expect(items.map((item) => item.locationId)).toEqual(['loc-A', 'loc-B']);
	});

	it('channels (messageType; a provider message by its type) and direction', async () => {
		const { items } = await deliver({ events: ALL, filters: { channels: ['SMS', 'Voicemail'], direction: 'outbound' } }, [
			event('InboundMessage', 0, { messageType: 'SMS', direction: 'inbound' }),
			event('OutboundMessage', 0, { messageType: 'SMS', direction: 'outbound', body: 'kept 1' }),
			event('OutboundMessage', 2, { body: 'kept 2' }), // VoiceMail, outbound
			event('OutboundMessage', 3), // Email
			event('ProviderOutboundMessage', 0, { message: 'kept 3' }), // SMS, outbound
			event('ConversationUnreadWebhook', 0), // not a message: channel and direction do not apply
		]);
		expect(items.map((item) => item.body ?? item.message ?? item.event)).toEqual([
			'kept 1',
			'kept 2',
			'kept 3',
			'ConversationUnreadUpdate',
		]);
	});
});
