/**
 * HighLevel's conversation events: which one a body is, whether the trigger's filters let it
 * through, and the item it becomes (the payload plus the fields a flow needs, named as the polling
 * trigger's New Message items name them).
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';
import { channelOf, messageItem } from '../ConversationsApi/shared/items';

export const EVENTS: INodePropertyOptions[] = [
	{
		name: 'Conversation Unread Update',
		value: 'ConversationUnreadUpdate',
		description: "A conversation's unread count, star, inbox or deleted state changed",
	},
	{ name: 'Inbound Message', value: 'InboundMessage', description: 'A contact sent a message (or a call came in)' },
	{
		name: 'Outbound Message',
		value: 'OutboundMessage',
		description: 'A message was sent to a contact (by a user, an automation or the API)',
	},
	{
		name: 'Provider Outbound Message',
		value: 'ProviderOutboundMessage',
		description: "A message to deliver through your custom conversation provider (sent to the provider's Delivery URL)",
	},
];

const MESSAGE_EVENTS = new Set(['InboundMessage', 'OutboundMessage', 'ProviderOutboundMessage']);

/**
 * The webhook's `messageType` as the API's message type, so that `channel` reads as the polling
 * trigger's does for the same message ("Facebook", "Live Chat", ...).
 */
const API_MESSAGE_TYPES: Record<string, string> = {
	SMS: 'TYPE_SMS',
	Email: 'TYPE_EMAIL',
	CALL: 'TYPE_CALL',
	Call: 'TYPE_CALL',
	Voicemail: 'TYPE_CALL',
	VoiceMail: 'TYPE_CALL',
	GMB: 'TYPE_GMB',
	FB: 'TYPE_FACEBOOK',
	IG: 'TYPE_INSTAGRAM',
	WhatsApp: 'TYPE_WHATSAPP',
	'Live Chat': 'TYPE_LIVE_CHAT',
	Live_Chat: 'TYPE_LIVE_CHAT',
	RCS: 'TYPE_RCS',
	TIKTOK: 'TYPE_TIKTOK',
};

/** A custom provider's outbound message: its `type` is the channel, SMS or Email. */
const PROVIDER_MESSAGE_TYPES: Record<string, string> = {
	SMS: 'TYPE_CUSTOM_PROVIDER_SMS',
	Email: 'TYPE_CUSTOM_PROVIDER_EMAIL',
};

/** The channels the Channels filter offers: the webhook's own `messageType` values. */
export const CHANNEL_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Call', value: 'CALL' },
	{ name: 'Email', value: 'Email' },
	{ name: 'Facebook', value: 'FB' },
	{ name: 'Google Business Profile', value: 'GMB' },
	{ name: 'Instagram', value: 'IG' },
	{ name: 'Live Chat', value: 'Live Chat' },
	{ name: 'SMS', value: 'SMS' },
	{ name: 'Voicemail', value: 'Voicemail' },
	{ name: 'WhatsApp', value: 'WhatsApp' },
];

/** The event a body is: its `type` when that names an event, else a provider message by its shape. */
export function eventOf(body: IDataObject): string {
	const type = typeof body.type === 'string' ? body.type : '';
	if (type === 'ConversationUnreadWebhook') return 'ConversationUnreadUpdate';
	if (EVENTS.some((event) => event.value === type)) return type;
	// ProviderOutboundMessage carries the channel in `type` and no conversation ID.
	if (type in PROVIDER_MESSAGE_TYPES && body.messageId !== undefined && body.conversationId === undefined) {
		return 'ProviderOutboundMessage';
	}
	return type || 'Unknown';
}

export interface EventFilters {
	events: string[];
	locationIds: string[];
	channels: string[];
	direction: 'both' | 'inbound' | 'outbound';
}

/** The channel value the Channels filter compares (voicemail spelled one way). */
function filterChannel(event: string, body: IDataObject): string {
	const type = String(event === 'ProviderOutboundMessage' ? body.type : (body.messageType ?? ''));
	return type === 'VoiceMail' ? 'Voicemail' : type === 'Call' ? 'CALL' : type === 'Live_Chat' ? 'Live Chat' : type;
}

/** The message's direction (a provider's outbound message carries none: it is outbound). */
function directionOf(event: string, body: IDataObject): string {
	if (event === 'ProviderOutboundMessage') return 'outbound';
	if (typeof body.direction === 'string' && body.direction) return body.direction;
	return event === 'InboundMessage' ? 'inbound' : event === 'OutboundMessage' ? 'outbound' : '';
}

/** Whether the event passes the trigger's filters. */
export function passes(event: string, body: IDataObject, filters: EventFilters): boolean {
	if (!filters.events.includes(event)) return false;
	if (filters.locationIds.length && !filters.locationIds.includes(String(body.locationId ?? ''))) return false;
	if (!MESSAGE_EVENTS.has(event)) return true;
	if (filters.channels.length && !filters.channels.includes(filterChannel(event, body))) return false;
	if (filters.direction !== 'both' && directionOf(event, body) !== filters.direction) return false;
	return true;
}

/** One output item: the payload, what identifies the event, and for messages the polling trigger's fields. */
export function eventItem(event: string, body: IDataObject, webhookId: string): IDataObject {
	const identity = { event, webhookId, locationId: body.locationId ?? '' };
	if (!MESSAGE_EVENTS.has(event)) {
		// An unread update names its conversation `id`.
		return { ...body, ...identity, conversationId: body.conversationId ?? body.id, contactId: body.contactId ?? '' };
	}
	const isProvider = event === 'ProviderOutboundMessage';
	const apiType = isProvider
		? (PROVIDER_MESSAGE_TYPES[String(body.type)] ?? String(body.type ?? ''))
		: (API_MESSAGE_TYPES[String(body.messageType)] ?? String(body.messageType ?? ''));
	const messageId = body.messageId ?? body.id ?? '';
	const emailTo = Array.isArray(body.emailTo) ? body.emailTo[0] : body.emailTo;
	// What the webhook tells of the conversation and contact (the polling trigger reads them from
	// the search row): IDs always, phone and email only in a provider's message.
	const row: IDataObject = {
		id: body.conversationId,
		contactId: body.contactId,
		locationId: body.locationId,
		...(body.phone !== undefined ? { phone: body.phone } : {}),
		...(emailTo !== undefined ? { email: emailTo } : {}),
	};
	const item = messageItem({ ...body, id: messageId }, row);
	return {
		...item,
		...identity,
		messageId,
		conversationId: body.conversationId ?? '',
		direction: directionOf(event, body),
		channel: channelOf(apiType),
	};
}
