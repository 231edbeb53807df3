/** The JSON shapes the API answers with, built from the sandbox's state. */
import { conversationTypeNumber, messageTypeNumber } from './channels';
import { iso, type Json } from './http';
import type { Contact, Conversation, CustomSubtype, EmailRecord, Message, SandboxState } from './state';

function compact(object: Json): Json {
	for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
	return object;
}

function contactFields(contact: Contact | undefined): Json {
	const name = contact?.name || contact?.email || contact?.phone || '';
	return {
		fullName: name,
		contactName: name,
		email: contact?.email ?? '',
		phone: contact?.phone ?? '',
		companyName: contact?.companyName,
		tags: contact?.tags ?? [],
	};
}

/** The fields every conversation view shares (dates in ms, as the live API answers them). */
function conversationFields(state: SandboxState, conversation: Conversation): Json {
	return {
		id: conversation.id,
		contactId: conversation.contactId,
		locationId: conversation.locationId,
		...contactFields(state.contact(conversation.contactId)),
		lastMessageBody: conversation.lastMessageBody,
		lastMessageType: conversation.lastMessageType,
		lastMessageDate: conversation.lastMessageDate,
		lastMessageDirection: conversation.lastMessageDirection,
		lastOutboundMessageAction: conversation.lastOutboundMessageAction,
		lastManualMessageDate: conversation.lastManualMessageDate,
		unreadCount: conversation.unreadCount,
		starred: conversation.starred,
		assignedTo: conversation.assignedTo,
		followers: conversation.followers,
		mentions: conversation.mentions,
		inbox: conversation.inbox,
		deleted: conversation.deleted,
		dateAdded: conversation.dateAdded,
		dateUpdated: conversation.dateUpdated,
	};
}

/** The message type a conversation without messages shows (ConversationSchema requires one). */
const EMPTY_CONVERSATION_TYPE: Record<string, string> = {
	TYPE_PHONE: 'TYPE_SMS',
	TYPE_EMAIL: 'TYPE_EMAIL',
	TYPE_FB_MESSENGER: 'TYPE_FACEBOOK',
	TYPE_REVIEW: 'TYPE_REVIEW',
	TYPE_GROUP_SMS: 'TYPE_SMS',
};

/** A row of GET /conversations/search (ConversationSchema + dates + `sort`). */
export function searchRow(state: SandboxState, conversation: Conversation, sortValue: number): Json {
	return compact({
		...conversationFields(state, conversation),
		lastMessageBody: conversation.lastMessageBody ?? '',
		lastMessageType: conversation.lastMessageType ?? EMPTY_CONVERSATION_TYPE[conversation.type],
		type: conversation.type,
		sort: [sortValue],
	});
}

/** GET /conversations/{id} (GetConversationByIdResponse: `type` is a number). */
export function conversationDetail(state: SandboxState, conversation: Conversation): Json {
	return compact({
		...conversationFields(state, conversation),
		type: conversationTypeNumber(conversation.type),
		feedback: conversation.feedback,
	});
}

/** PUT /conversations/{id} → ConversationDto. */
export function conversationDto(conversation: Conversation): Json {
	return compact({
		id: conversation.id,
		locationId: conversation.locationId,
		contactId: conversation.contactId,
		assignedTo: conversation.assignedTo,
		lastMessageBody: conversation.lastMessageBody,
		lastMessageDate: String(conversation.lastMessageDate),
		lastMessageType: conversation.lastMessageType,
		unreadCount: conversation.unreadCount,
		inbox: conversation.inbox,
		starred: conversation.starred,
		deleted: conversation.deleted,
		feedback: conversation.feedback,
	});
}

/** POST /conversations/ → ConversationCreateResponseDto (ISO dates, as the spec shows them). */
export function conversationCreated(conversation: Conversation): Json {
	return compact({
		id: conversation.id,
		dateUpdated: iso(conversation.dateUpdated),
		dateAdded: iso(conversation.dateAdded),
		deleted: conversation.deleted,
		contactId: conversation.contactId,
		locationId: conversation.locationId,
		lastMessageDate: iso(conversation.lastMessageDate),
		assignedTo: conversation.assignedTo,
	});
}

/** MessageMeta: the spec types callDuration as a string. */
function metaView(meta: Message['meta']): Json | undefined {
	if (!meta) return undefined;
	return compact({ ...meta, callDuration: meta.callDuration === undefined ? undefined : String(meta.callDuration) });
}

/** GetMessageResponseDto. */
export function messageView(message: Message): Json {
	return compact({
		id: message.id,
		type: messageTypeNumber(message.messageType),
		messageType: message.messageType,
		locationId: message.locationId,
		contactId: message.contactId,
		conversationId: message.conversationId,
		dateAdded: iso(message.dateAdded),
		dateUpdated: iso(message.dateUpdated),
		body: message.body,
		direction: message.direction,
		status: message.status,
		contentType: message.contentType,
		attachments: message.attachments,
		meta: metaView(message.meta),
		source: message.source,
		userId: message.userId,
		conversationProviderId: message.conversationProviderId,
		altId: message.altId,
		chatWidgetId: message.chatWidgetId,
		error: message.error,
	});
}

/** GetEmailMessageResponseDto. */
export function emailView(email: EmailRecord): Json {
	return compact({
		id: email.id,
		altId: email.altId,
		threadId: email.threadId,
		locationId: email.locationId,
		contactId: email.contactId,
		conversationId: email.conversationId,
		dateAdded: iso(email.dateAdded),
		subject: email.subject,
		body: email.body,
		direction: email.direction,
		status: email.status,
		contentType: email.contentType,
		attachments: email.attachments,
		provider: email.provider,
		from: email.from,
		to: email.to,
		cc: email.cc,
		bcc: email.bcc,
		replyToMessageId: email.replyToMessageId,
		source: email.source,
		conversationProviderId: email.conversationProviderId,
		events: Object.keys(email.events).length ? email.events : undefined,
		recipients: email.recipients.length ? email.recipients : undefined,
	});
}

/** A contact as the Contacts API shows it (the sandbox's minimal stand-in). */
export function contactView(contact: Contact, assignedTo?: string): Json {
	return compact({
		assignedTo,
		id: contact.id,
		locationId: contact.locationId,
		contactName: contact.name,
		name: contact.name,
		firstName: contact.firstName,
		lastName: contact.lastName,
		email: contact.email,
		phone: contact.phone,
		companyName: contact.companyName,
		tags: contact.tags,
		source: contact.source,
		type: 'lead',
		dateAdded: iso(contact.dateAdded),
		dateUpdated: iso(contact.dateUpdated),
	});
}

export function customSubtypeView(subtype: CustomSubtype): Json {
	return compact({
		id: subtype.id,
		locationId: subtype.locationId,
		name: subtype.name,
		description: subtype.description,
		channel: subtype.channel,
		language: subtype.language,
		archived: subtype.archived,
		resubscription_legal_form_id: subtype.resubscription_legal_form_id,
		dateAdded: iso(subtype.dateAdded),
		dateUpdated: iso(subtype.dateUpdated),
	});
}
