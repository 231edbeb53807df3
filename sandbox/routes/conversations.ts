/** Conversations: search, get, create, update, delete. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app';
import { MESSAGE_TYPES } from '../channels';
import { badRequest, Fields, jsonBody, list, notFound, paramsOf, queryOf, type Json } from '../http';
import type { Conversation, SandboxState } from '../state';
import { conversationCreated, conversationDetail, conversationDto, searchRow } from '../views';

const SORT_BY = ['last_manual_message_date', 'last_message_date', 'score_profile', 'overdue_at', 'due_at'] as const;
const STATUSES = ['all', 'read', 'unread', 'starred', 'recents'] as const;

export const SEARCH_DEFAULT_LIMIT = 20;
export const SEARCH_MAX_LIMIT = 100;

export interface SearchQuery {
	contactId?: string;
	assignedTo?: string[];
	followers?: string[];
	mentions?: string[];
	query?: string;
	id?: string;
	status: (typeof STATUSES)[number];
	lastMessageType?: string;
	lastMessageDirection?: string;
	lastMessageAction?: string;
	startDate?: number;
	endDate?: number;
	sortBy: (typeof SORT_BY)[number];
	sort: 'asc' | 'desc';
}

/** The value a conversation is sorted (and paged) by. Score and due dates fall back to the last message date. */
export function sortValueOf(conversation: Conversation, sortBy: SearchQuery['sortBy']): number {
	return sortBy === 'last_manual_message_date' ? conversation.lastManualMessageDate : conversation.lastMessageDate;
}

function matchesText(state: SandboxState, conversation: Conversation, text: string): boolean {
	const needle = text.trim().toLowerCase();
	if (!needle) return true;
	const contact = state.contact(conversation.contactId);
	const haystack = [contact?.name, contact?.email, contact?.phone, contact?.companyName, conversation.lastMessageBody];
	if (haystack.some((value) => value?.toLowerCase().includes(needle))) return true;
	const digits = needle.replace(/\D/g, '');
	return digits.length >= 4 && /^[\d\s()+.-]+$/.test(needle) && (contact?.phone ?? '').replace(/\D/g, '').includes(digits);
}

/** The conversations that match the filters, in sort order. */
export function searchConversations(state: SandboxState, query: SearchQuery): Conversation[] {
	const rows = state.listConversations().filter((conversation) => {
		if (query.id && conversation.id !== query.id) return false;
		if (query.contactId && conversation.contactId !== query.contactId) return false;
		if (query.assignedTo?.length) {
			const unassigned = query.assignedTo.includes('unassigned') && !conversation.assignedTo;
			if (!unassigned && !query.assignedTo.includes(conversation.assignedTo ?? '')) return false;
		}
		if (query.followers?.length && !query.followers.some((user) => conversation.followers.includes(user))) return false;
		if (query.mentions?.length && !query.mentions.some((user) => conversation.mentions.includes(user))) return false;
		if (query.status === 'read' && conversation.unreadCount > 0) return false;
		if (query.status === 'unread' && conversation.unreadCount === 0) return false;
		if (query.status === 'starred' && !conversation.starred) return false;
		if (query.lastMessageType && conversation.lastMessageType !== query.lastMessageType) return false;
		if (query.lastMessageDirection && conversation.lastMessageDirection !== query.lastMessageDirection) return false;
		if (query.lastMessageAction && conversation.lastOutboundMessageAction !== query.lastMessageAction) return false;
		if (query.startDate !== undefined && conversation.dateAdded < query.startDate) return false;
		if (query.endDate !== undefined && conversation.dateAdded > query.endDate) return false;
		if (query.query && !matchesText(state, conversation, query.query)) return false;
		return true;
	});
	const direction = query.sort === 'asc' ? 1 : -1;
	return rows.sort(
		(a, b) => direction * (sortValueOf(a, query.sortBy) - sortValueOf(b, query.sortBy)) || direction * a.id.localeCompare(b.id),
	);
}

/** `startAfterDate`: a number, or the first of a comma list / JSON array ("[1600854]"). */
function parseCursor(raw: string | undefined, fields: Fields): number | undefined {
	if (raw === undefined || raw.trim() === '') return undefined;
	const first = raw
		.replace(/^\[|\]$/g, '')
		.split(',')[0]
		.trim();
	const value = Number(first);
	if (!first || !Number.isFinite(value)) {
		fields.problem('startAfterDate must be the sort value of the last row of the previous page (a number)');
		return undefined;
	}
	return value;
}

export function registerConversationRoutes(app: FastifyInstance, { state }: AppContext): void {
	app.get('/conversations/search', { config: { kind: 'v2' } }, async (request) => {
		const q = queryOf(request);
		const fields = new Fields(q as Json);
		fields.string('locationId', { required: true });
		const search: SearchQuery = {
			contactId: fields.string('contactId'),
			assignedTo: list(q.assignedTo),
			followers: list(q.followers),
			mentions: list(q.mentions),
			query: fields.string('query'),
			id: fields.string('id'),
			status: fields.oneOf('status', STATUSES) ?? 'all',
			lastMessageType: fields.oneOf('lastMessageType', MESSAGE_TYPES),
			lastMessageDirection: fields.oneOf('lastMessageDirection', ['inbound', 'outbound']),
			lastMessageAction: fields.oneOf('lastMessageAction', ['automated', 'manual']),
			startDate: fields.number('startDate'),
			endDate: fields.number('endDate'),
			sortBy: fields.oneOf('sortBy', SORT_BY) ?? 'last_message_date',
			sort: fields.oneOf('sort', ['asc', 'desc']) ?? 'desc',
		};
		const limit = Math.min(SEARCH_MAX_LIMIT, Math.floor(fields.number('limit', { min: 1 }) ?? SEARCH_DEFAULT_LIMIT));
		const startAfter = parseCursor(q.startAfterDate, fields);
		fields.check();

		const rows = searchConversations(state, search);
		const after =
			startAfter === undefined
				? rows
				: rows.filter((conversation) => {
						const value = sortValueOf(conversation, search.sortBy);
						return search.sort === 'asc' ? value > startAfter : value < startAfter;
					});
		return {
			conversations: after.slice(0, limit).map((conversation) => searchRow(state, conversation, sortValueOf(conversation, search.sortBy))),
			total: rows.length,
		};
	});

	const create = async (request: FastifyRequest, reply: FastifyReply) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		fields.string('locationId', { required: true });
		const contactId = fields.string('contactId', { required: true });
		fields.check();
		const contact = state.contact(contactId as string);
		if (!contact) throw notFound('Contact');
		const existing = state.conversationOfContact(contact.id);
		if (existing) {
			throw badRequest('Conversation already exists for this contact', { conversationId: existing.id });
		}
		const conversation = state.addConversation({
			contactId: contact.id,
			type: contact.phone || !contact.email ? 'TYPE_PHONE' : 'TYPE_EMAIL',
		});
		return reply.code(201).send({ success: true, conversation: conversationCreated(conversation) });
	};
	app.post('/conversations/', { config: { kind: 'v2' } }, create);
	app.post('/conversations', { config: { kind: 'v2' } }, create);

	app.get('/conversations/:conversationId', { config: { kind: 'v2' } }, async (request) => {
		const conversation = state.conversation(paramsOf(request).conversationId);
		if (!conversation) throw notFound('Conversation');
		return conversationDetail(state, conversation);
	});

	app.put('/conversations/:conversationId', { config: { kind: 'v2' } }, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		fields.string('locationId', { required: true });
		const unreadCount = fields.number('unreadCount', { min: 0 });
		const starred = fields.boolean('starred');
		const feedback = fields.object('feedback');
		fields.check();
		const conversation = state.conversation(paramsOf(request).conversationId);
		if (!conversation) throw notFound('Conversation');
		const before = `${conversation.unreadCount}/${conversation.starred}`;
		if (unreadCount !== undefined) conversation.unreadCount = Math.floor(unreadCount);
		if (starred !== undefined) conversation.starred = starred;
		if (feedback !== undefined) conversation.feedback = feedback;
		conversation.dateUpdated = Math.max(conversation.dateUpdated, state.now());
		if (`${conversation.unreadCount}/${conversation.starred}` !== before) state.notify({ kind: 'unread', conversation });
		return { success: true, conversation: conversationDto(conversation) };
	});

	app.delete('/conversations/:conversationId', { config: { kind: 'v2' } }, async (request) => {
		if (!state.deleteConversation(paramsOf(request).conversationId)) throw notFound('Conversation');
		return { success: true };
	});
}
