/** Shaping API records into output items: shared by Simplify, the polling trigger and the webhook trigger. */
import type { IDataObject } from 'n8n-workflow';
import { LAST_MESSAGE_TYPES } from './messageTypes';

const CHANNEL_NAMES = new Map(LAST_MESSAGE_TYPES.map((option) => [String(option.value), option.name]));

/** A message type as a channel name: TYPE_SMS → "SMS", TYPE_LIVE_CHAT → "Live Chat". */
export function channelOf(messageType: unknown): string {
	const type = String(messageType ?? '');
	return CHANNEL_NAMES.get(type) ?? type.replace(/^TYPE_/, '');
}

/** A search row as an output object (without the search's `sort` cursor). */
export function conversationItem(row: IDataObject): IDataObject {
	const conversation = { ...row };
	delete conversation.sort;
	return conversation;
}

/**
 * A message with what a workflow needs of its conversation and contact, so that it needs no
 * extra lookup: the conversation's and contact's IDs, the contact's name, email and phone, the
 * channel, and the whole conversation row under `conversation`.
 */
export function messageItem(message: IDataObject, row: IDataObject): IDataObject {
	return {
		...message,
		conversationId: message.conversationId ?? row.id,
		contactId: message.contactId ?? row.contactId,
		contactName: row.fullName || row.contactName || '',
		email: row.email ?? '',
		phone: row.phone ?? '',
		channel: channelOf(message.messageType),
		conversation: conversationItem(row),
	};
}
