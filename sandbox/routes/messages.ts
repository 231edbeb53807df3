/**
 * Messages: list, get, export, send, inbound, outbound call, review reply, scheduled messages,
 * status, attachments, emails, live-chat typing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app';
import {
	CALL_MESSAGE_TYPES,
	CALL_STATUSES,
	callMessageStatus,
	EMAIL_MESSAGE_TYPES,
	EXPORT_CHANNELS,
	INBOUND_TYPES,
	SEND_TYPES,
} from '../channels';
import { BUSINESS_EMAIL, BUSINESS_NAME, callScript, escapeHtml, htmlToText, textVars } from '../content';
import { badRequest, Fields, jsonBody, list, notFound, paramsOf, parseDate, queryOf, type Json } from '../http';
import { transcriptFrom } from '../media';
import type { Conversation, Message, MessageDirection, NewEmail, NewMessage, SandboxState } from '../state';
import { emailView, messageView } from '../views';

export const MESSAGES_DEFAULT_LIMIT = 20;
export const MESSAGES_MAX_LIMIT = 100;
export const EXPORT_MIN_LIMIT = 10;
export const EXPORT_MAX_LIMIT = 500;
export const EXPORT_DEFAULT_LIMIT = 100;
export const MAX_ATTACHMENTS = 5;

const EMAIL_STATUSES = [
	'pending',
	'scheduled',
	'sent',
	'delivered',
	'read',
	'undelivered',
	'connected',
	'failed',
	'opened',
	'clicked',
] as const;
const MESSAGE_STATUSES = ['delivered', 'failed', 'pending', 'read'] as const;

interface ExportCursor {
	lastSort: [number];
	lastId: string;
}

function encodeCursor(cursor: ExportCursor): string {
	return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64');
}

function decodeCursor(raw: string): ExportCursor {
	try {
		const value = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as ExportCursor;
		if (Array.isArray(value.lastSort) && typeof value.lastSort[0] === 'number' && typeof value.lastId === 'string') {
			return value;
		}
	} catch {
		// Not base64 JSON: answered below.
	}
	throw badRequest('Invalid cursor: pass the nextCursor of the previous page');
}

/** The plain text of a message body: the text, else the HTML as text, else the subject. */
function textOf(message?: string, html?: string, subject?: string): string {
	if (message?.trim()) return message;
	if (html?.trim()) return htmlToText(html);
	return subject ?? '';
}

function htmlOf(message?: string, html?: string): string | undefined {
	if (html?.trim()) return html;
	if (message?.trim())
		return message
			.split(/\n{2,}/)
			.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
			.join('');
	return undefined;
}

/** A recording and transcript for a call that was answered. */
function recordedCall(
	state: SandboxState,
	conversation: Conversation,
	userId?: string,
): Pick<NewMessage, 'hasRecording' | 'transcription'> {
	const contact = state.contact(conversation.contactId);
	const agent = state.user(userId ?? conversation.assignedTo ?? 'user-support');
	const vars = textVars(state.random, contact?.firstName ?? contact?.name ?? 'there', agent?.firstName ?? 'Sue');
	vars.company = BUSINESS_NAME;
	return { hasRecording: true, transcription: transcriptFrom(callScript(conversation.topic, vars), state.random) };
}

function callMeta(call: Json | undefined): { meta: NewMessage['meta']; status: string; answered: boolean } {
	const callStatus = typeof call?.status === 'string' ? call.status : undefined;
	const meta: NewMessage['meta'] = { callStatus: callStatus ?? 'completed' };
	if (typeof call?.to === 'string') meta.to = call.to;
	if (typeof call?.from === 'string') meta.from = call.from;
	return {
		meta,
		status: callMessageStatus(callStatus),
		answered: callStatus === undefined || callStatus === 'completed' || callStatus === 'answered' || callStatus === 'voicemail',
	};
}

function checkCall(fields: Fields): Json | undefined {
	const call = fields.object('call');
	if (call) {
		const callFields = new Fields(call);
		callFields.string('to');
		callFields.string('from');
		const status = callFields.oneOf('status', CALL_STATUSES);
		if (call.status !== undefined && status === undefined) {
			fields.problem(`call.status must be one of the following values: ${CALL_STATUSES.join(', ')}`);
		}
	}
	return call;
}

/** Merges email event counters the way the v3 endpoint documents it (additive, with inference). */
function mergeEvents(stored: Record<string, number>, events: Record<string, number>): void {
	for (const [name, value] of Object.entries(events)) {
		if (value > 0) stored[name] = (stored[name] ?? 0) + value;
	}
	const has = (name: string) => (events[name] ?? 0) > 0;
	const atLeastOne = (name: string) => {
		if (!(stored[name] > 0)) stored[name] = 1;
	};
	if (['clicked', 'complained', 'unsubscribed', 'replied'].some(has)) {
		atLeastOne('opened');
		atLeastOne('delivered');
	}
	if (has('opened')) atLeastOne('delivered');
	if (['delivered', 'permanent_fail', 'temporary_fail'].some(has) || stored.delivered > 0) atLeastOne('accepted');
}

export function registerMessageRoutes(app: FastifyInstance, { state }: AppContext): void {
	const v2 = { config: { kind: 'v2' as const } };

	const conversationOr404 = (id: string | undefined): Conversation => {
		const conversation = id ? state.conversation(id) : undefined;
		if (!conversation) throw notFound('Conversation');
		return conversation;
	};
	const messageOr404 = (id: string | undefined): Message => {
		const message = id ? state.message(id) : undefined;
		if (!message) throw notFound('Message');
		return message;
	};

	// ----- reading ----------------------------------------------------------------------------

	app.get('/conversations/:conversationId/messages', v2, async (request) => {
		const q = queryOf(request);
		const fields = new Fields(q as Json);
		const limit = Math.min(MESSAGES_MAX_LIMIT, Math.floor(fields.number('limit', { min: 1 }) ?? MESSAGES_DEFAULT_LIMIT));
		fields.check();
		const conversation = conversationOr404(paramsOf(request).conversationId);
		const all = state.messagesOf(conversation.id).reverse(); // newest first
		let rest = all;
		if (q.lastMessageId) {
			const index = all.findIndex((message) => message.id === q.lastMessageId);
			if (index === -1) throw badRequest('lastMessageId is not a message of this conversation');
			rest = all.slice(index + 1);
		}
		const types = list(q.type);
		if (types.length) rest = rest.filter((message) => types.includes(message.messageType));
		const page = rest.slice(0, limit);
		return {
			messages: {
				// The spec requires it: the last message of the page, else the cursor that was given.
				lastMessageId: page.length ? page[page.length - 1].id : (q.lastMessageId ?? ''),
				nextPage: rest.length > page.length,
				messages: page.map(messageView),
			},
		};
	});

	app.get('/conversations/messages/:messageId', v2, async (request) => messageView(messageOr404(paramsOf(request).messageId)));

	app.get('/conversations/messages/export', v2, async (request) => {
		const q = queryOf(request);
		const fields = new Fields(q as Json);
		fields.string('locationId', { required: true });
		const limit = Math.floor(fields.number('limit', { min: EXPORT_MIN_LIMIT, max: EXPORT_MAX_LIMIT }) ?? EXPORT_DEFAULT_LIMIT);
		const sortBy = fields.oneOf('sortBy', ['createdAt', 'updatedAt']) ?? 'createdAt';
		const sortOrder = fields.oneOf('sortOrder', ['asc', 'desc']) ?? 'desc';
		const channel = fields.oneOf('channel', Object.keys(EXPORT_CHANNELS));
		const startDate = parseDate(q.startDate);
		const endDate = parseDate(q.endDate);
		if (q.startDate && startDate === undefined) fields.problem('startDate must be a valid date');
		if (q.endDate && endDate === undefined) fields.problem('endDate must be a valid date');
		fields.check();

		const types = channel ? EXPORT_CHANNELS[channel] : undefined;
		const key = (message: Message) => (sortBy === 'updatedAt' ? message.dateUpdated : message.dateAdded);
		const direction = sortOrder === 'asc' ? 1 : -1;
		const order = (a: Message, b: Message) => direction * (key(a) - key(b)) || direction * a.id.localeCompare(b.id);
		const rows = [...state.messages.values()]
			.filter((message) => {
				if (q.conversationId && message.conversationId !== q.conversationId) return false;
				if (q.contactId && message.contactId !== q.contactId) return false;
				if (types ? !types.includes(message.messageType) : EMAIL_MESSAGE_TYPES.includes(message.messageType)) return false;
				if (startDate !== undefined && message.dateAdded < startDate) return false;
				if (endDate !== undefined && message.dateAdded > endDate) return false;
				return true;
			})
			.sort(order);
		let rest = rows;
		if (q.cursor) {
			const cursor = decodeCursor(q.cursor);
			const [lastSort] = cursor.lastSort;
			rest = rows.filter(
				(message) =>
					direction * (key(message) - lastSort) > 0 ||
					(key(message) === lastSort && direction * message.id.localeCompare(cursor.lastId) > 0),
			);
		}
		const page = rest.slice(0, limit);
		const last = page[page.length - 1];
		return {
			messages: page.map(messageView),
			nextCursor: rest.length > page.length && last ? encodeCursor({ lastSort: [key(last)], lastId: last.id }) : undefined,
			total: rows.length,
		};
	});

	app.get('/conversations/messages/email/:emailMessageId', v2, async (request) => {
		const email = state.email(paramsOf(request).emailMessageId);
		if (!email) throw notFound('Email');
		return emailView(email);
	});

	// ----- sending ----------------------------------------------------------------------------

	app.post('/conversations/messages', v2, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		const type = fields.oneOf('type', Object.keys(SEND_TYPES), { required: true });
		const contactId = fields.string('contactId', { required: true });
		const message = fields.string('message');
		const html = fields.string('html');
		const subject = fields.string('subject');
		const attachments = fields.strings('attachments');
		const emailCc = fields.strings('emailCc');
		const emailBcc = fields.strings('emailBcc');
		const emailTo = fields.string('emailTo');
		const emailFrom = fields.string('emailFrom');
		const toNumber = fields.string('toNumber');
		const threadId = fields.string('threadId');
		const replyMessageId = fields.string('replyMessageId');
		const customSubtypeId = fields.string('customSubtypeId');
		const conversationProviderId = fields.string('conversationProviderId');
		const scheduledTimestamp = fields.number('scheduledTimestamp', { min: 0 });
		fields.oneOf('status', ['delivered', 'failed', 'pending', 'read']);
		const isEmail = type === 'Email';
		if (type && !message?.trim() && !attachments?.length && !(isEmail && (html?.trim() || subject?.trim()))) {
			fields.problem(isEmail ? 'message, html or subject should not be empty' : 'message should not be empty');
		}
		fields.check();

		const contact = state.contact(contactId as string);
		if (!contact) throw notFound('Contact');
		if (customSubtypeId && !state.customSubtype(customSubtypeId)) throw notFound('Custom subtype');
		const messageType = SEND_TYPES[type as string];
		if (isEmail && !contact.email && !emailTo) throw badRequest("The contact has no email address: set emailTo or the contact's email");
		if (['SMS', 'RCS', 'WhatsApp', 'Custom'].includes(type as string) && !contact.phone && !toNumber) {
			throw badRequest("The contact has no phone number: set toNumber or the contact's phone");
		}
		const replyTo = replyMessageId ? state.message(replyMessageId) : undefined;
		if (replyMessageId && !replyTo) throw notFound('Message');

		// Seconds (as the spec's example), or milliseconds when it is clearly a millisecond value.
		const scheduledAt =
			scheduledTimestamp === undefined ? undefined : scheduledTimestamp > 1e12 ? scheduledTimestamp : scheduledTimestamp * 1000;
		const { conversation } = state.conversationFor(contact.id, messageType);
		const replyEmail = replyTo?.emailId ? state.email(replyTo.emailId) : undefined;
		const email: NewEmail | undefined = isEmail
			? {
					subject: subject ?? (replyEmail ? `Re: ${replyEmail.subject.replace(/^Re:\s*/i, '')}` : ''),
					html: htmlOf(message, html),
					from: emailFrom ?? BUSINESS_EMAIL,
					to: [emailTo ?? contact.email ?? ''],
					cc: emailCc,
					bcc: emailBcc,
					threadId: threadId ?? replyEmail?.threadId,
					replyToMessageId: replyEmail?.id,
					provider: conversationProviderId ? 'custom' : undefined,
				}
			: undefined;
		const sent = state.addMessage(conversation, {
			direction: 'outbound',
			messageType,
			body: textOf(message, html, subject),
			contentType: isEmail && html ? 'text/html' : 'text/plain',
			attachments,
			source: 'api',
			scheduledAt,
			conversationProviderId,
			throughProvider: conversationProviderId !== undefined,
			email,
		});
		return {
			conversationId: conversation.id,
			messageId: sent.id,
			emailMessageId: sent.emailId,
			messageIds: [sent.id],
			msg: sent.status === 'scheduled' ? 'Message scheduled successfully.' : 'Message queued successfully.',
			// SendMessageResponseDto.status has no "scheduled": the message itself is `scheduled`.
			status: sent.status === 'scheduled' ? 'pending' : sent.status,
		};
	});

	app.post('/conversations/messages/inbound', v2, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		const type = fields.oneOf('type', Object.keys(INBOUND_TYPES), { required: true });
		const conversationId = fields.string('conversationId', { required: true });
		const contactId = fields.string('contactId', { required: true });
		const conversationProviderId = fields.string('conversationProviderId', { required: true });
		const message = fields.string('message');
		const html = fields.string('html');
		const subject = fields.string('subject');
		const attachments = fields.strings('attachments');
		const emailFrom = fields.string('emailFrom');
		const emailTo = fields.string('emailTo');
		const emailCc = fields.strings('emailCc');
		const emailBcc = fields.strings('emailBcc');
		const emailMessageId = fields.string('emailMessageId');
		const altId = fields.string('altId');
		const direction = fields.oneOf<MessageDirection>('direction', ['inbound', 'outbound']) ?? 'inbound';
		const date = parseDate(body.date);
		if (body.date !== undefined && date === undefined) fields.problem('date must be a valid ISO 8601 date string');
		const call = checkCall(fields);
		const messageType = type ? INBOUND_TYPES[type] : undefined;
		const isCall = messageType !== undefined && CALL_MESSAGE_TYPES.includes(messageType);
		if (type && !isCall && !message?.trim() && !attachments?.length && !html?.trim() && !subject?.trim()) {
			fields.problem('message should not be empty');
		}
		fields.check();

		const conversation = conversationOr404(conversationId);
		if (contactId && contactId !== conversation.contactId) {
			throw badRequest('contactId is not the contact of this conversation');
		}
		const contact = state.contact(conversation.contactId);
		const isEmail = messageType === 'TYPE_EMAIL';
		const replyTo = emailMessageId ? state.email(emailMessageId) : undefined;
		const callInfo = isCall ? callMeta(call) : undefined;
		const added = state.addMessage(conversation, {
			direction,
			messageType: messageType as string,
			body: textOf(message, html, subject),
			contentType: isEmail && html ? 'text/html' : 'text/plain',
			attachments,
			source: direction === 'outbound' ? 'api' : undefined,
			conversationProviderId,
			altId,
			date,
			status: callInfo?.status ?? 'delivered',
			meta: callInfo?.meta,
			...(callInfo?.answered && callInfo.status === 'connected' ? recordedCall(state, conversation) : {}),
			email: isEmail
				? {
						subject: subject ?? (replyTo ? `Re: ${replyTo.subject.replace(/^Re:\s*/i, '')}` : ''),
						html: htmlOf(message, html),
						from: emailFrom ?? (direction === 'inbound' ? contact?.email : BUSINESS_EMAIL),
						to: [emailTo ?? (direction === 'inbound' ? BUSINESS_EMAIL : (contact?.email ?? ''))],
						cc: emailCc,
						bcc: emailBcc,
						threadId: replyTo?.threadId,
						replyToMessageId: replyTo?.id,
						provider: 'custom',
						altId,
					}
				: undefined,
		});
		return {
			success: true,
			conversationId: conversation.id,
			messageId: added.id,
			message: 'Message added successfully',
			contactId: conversation.contactId,
			dateAdded: new Date(added.dateAdded).toISOString(),
			emailMessageId: added.emailId,
		};
	});

	app.post('/conversations/messages/outbound', v2, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		fields.oneOf('type', ['Call'], { required: true });
		const conversationId = fields.string('conversationId', { required: true });
		const conversationProviderId = fields.string('conversationProviderId', { required: true });
		const attachments = fields.strings('attachments');
		const altId = fields.string('altId');
		const date = parseDate(body.date);
		if (body.date !== undefined && date === undefined) fields.problem('date must be a valid ISO 8601 date string');
		const call = checkCall(fields);
		fields.check();

		const conversation = conversationOr404(conversationId);
		const callInfo = callMeta(call);
		const added = state.addMessage(conversation, {
			direction: 'outbound',
			messageType: 'TYPE_CALL',
			body: '',
			attachments,
			source: 'api',
			conversationProviderId,
			altId,
			date,
			status: callInfo.status,
			meta: callInfo.meta,
			...(callInfo.status === 'connected' ? recordedCall(state, conversation) : {}),
		});
		return {
			success: true,
			conversationId: conversation.id,
			messageId: added.id,
			message: 'Call added successfully',
			contactId: conversation.contactId,
			dateAdded: new Date(added.dateAdded).toISOString(),
		};
	});

	app.post('/conversations/messages/review-reply', v2, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		const conversationId = fields.string('conversationId', { required: true });
		fields.string('locationId', { required: true });
		const message = fields.string('message', { required: true });
		fields.check();
		const conversation = conversationOr404(conversationId);
		if (conversation.type !== 'TYPE_REVIEW') throw badRequest('The conversation is not a review conversation');
		const reply = state.addMessage(conversation, {
			direction: 'outbound',
			messageType: 'TYPE_REVIEW',
			body: message as string,
			source: 'api',
		});
		return { conversationId: conversation.id, messageId: reply.id, msg: 'Review reply sent successfully', status: 'delivered' };
	});

	// ----- scheduled messages -----------------------------------------------------------------

	const cancel = (message: Message, what: string) => {
		if (!state.isScheduled(message.id)) throw badRequest(`Only a scheduled ${what} can be cancelled (status: ${message.status})`);
		state.removeMessage(message.id);
	};

	app.delete('/conversations/messages/:messageId/schedule', v2, async (request) => {
		cancel(messageOr404(paramsOf(request).messageId), 'message');
		return { status: 200, message: 'Scheduled message cancelled successfully' };
	});

	app.delete('/conversations/messages/email/:emailMessageId/schedule', v2, async (request) => {
		const email = state.email(paramsOf(request).emailMessageId);
		if (!email) throw notFound('Email');
		cancel(messageOr404(email.messageId), 'email');
		return { status: 200, message: 'Scheduled email cancelled successfully' };
	});

	// ----- status and attachments -------------------------------------------------------------

	app.put('/conversations/messages/:messageId/status', v2, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		const status = fields.oneOf('status', MESSAGE_STATUSES, { required: true });
		const error = fields.object('error');
		const emailMessageId = fields.string('emailMessageId');
		fields.strings('recipients');
		fields.check();
		const message = messageOr404(paramsOf(request).messageId);
		const email = emailMessageId ? state.email(emailMessageId) : message.emailId ? state.email(message.emailId) : undefined;
		if (emailMessageId && !email) throw notFound('Email');
		message.status = status as string;
		message.error = status === 'failed' ? error : undefined;
		message.dateUpdated = state.now();
		if (email) email.status = status as string;
		return { conversationId: message.conversationId, messageId: message.id, emailMessageId: email?.id, status };
	});

	app.put('/conversations/messages/:messageId/attachments', v2, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		const attachments = fields.strings('attachments', { required: true, max: MAX_ATTACHMENTS });
		if (attachments?.some((url) => !/^https?:\/\/\S+$/i.test(url))) fields.problem('each value in attachments must be a URL address');
		fields.check();
		const message = messageOr404(paramsOf(request).messageId);
		message.attachments = [...(attachments as string[])];
		message.dateUpdated = state.now();
		const email = message.emailId ? state.email(message.emailId) : undefined;
		if (email) email.attachments = message.attachments;
		return { success: true };
	});

	app.put('/conversations/messages/email/:emailMessageId/status', { config: { kind: 'v3' } }, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		const status = fields.oneOf('status', EMAIL_STATUSES, { required: true });
		const events = fields.object('events');
		const counters: Record<string, number> = {};
		for (const [name, value] of Object.entries(events ?? {})) {
			if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
				fields.problem(`events.${name} must be a non-negative integer`);
			} else counters[name] = value;
		}
		const recipients = Array.isArray(body.recipients) ? (body.recipients as unknown[]) : undefined;
		if (body.recipients !== undefined && !recipients) fields.problem('recipients must be an array');
		for (const [index, entry] of (recipients ?? []).entries()) {
			const recipient = new Fields((entry ?? {}) as Json);
			recipient.string('emailId', { required: true });
			recipient.oneOf('status', EMAIL_STATUSES, { required: true });
			recipient.string('failReason');
			for (const message of recipient.issues()) fields.problem(`recipients.${index}.${message}`);
		}
		fields.check();
		const email = state.email(paramsOf(request).emailMessageId);
		if (!email) throw notFound('Email');
		mergeEvents(email.events, counters);
		for (const entry of (recipients ?? []) as Array<{ emailId: string; status: string; failReason?: string }>) {
			const existing = email.recipients.find((recipient) => recipient.emailId === entry.emailId);
			const value = { emailId: entry.emailId, status: entry.status, failReason: entry.failReason };
			if (existing) Object.assign(existing, value);
			else email.recipients.push(value);
		}
		email.status = status as string;
		const message = state.message(email.messageId);
		if (message) {
			message.status = status as string;
			message.dateUpdated = state.now();
		}
		return { success: true, message: 'Updated email message successfully' };
	});

	// ----- live chat --------------------------------------------------------------------------

	app.post('/conversations/providers/live-chat/typing', v2, async (request: FastifyRequest, reply: FastifyReply) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		fields.string('locationId', { required: true });
		const visitorId = fields.string('visitorId', { required: true });
		const conversationId = fields.string('conversationId', { required: true });
		const isTyping = fields.boolean('isTyping');
		if (body.isTyping === undefined || body.isTyping === null || body.isTyping === '') {
			fields.problem('isTyping should not be empty');
		}
		fields.check();
		const conversation = conversationOr404(conversationId);
		conversation.agentTyping = isTyping;
		conversation.visitorId = conversation.visitorId ?? visitorId;
		return reply.code(201).send({ success: true });
	});
}
