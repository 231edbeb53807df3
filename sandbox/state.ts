/** The sandbox's in-memory sub-account: contacts, conversations, messages, emails, files. */
import { conversationTypeFor, type Channel, type ConversationType } from './channels';
import type { Topic } from './content';
import type { TranscriptSentence } from './media';
import { Random } from './random';

export interface SandboxUser {
	id: string;
	name: string;
	firstName: string;
	lastName: string;
	email: string;
	role: string;
}

/** The three users of the sub-account; conversations are assigned among them. */
export const USERS: readonly SandboxUser[] = [
	{ id: 'user-sales', name: 'Sam Sales', firstName: 'Sam', lastName: 'Sales', email: 'sam.sales@northwind-home.example', role: 'sales' },
	{
		id: 'user-support',
		name: 'Sue Support',
		firstName: 'Sue',
		lastName: 'Support',
		email: 'sue.support@northwind-home.example',
		role: 'support',
	},
	{
		id: 'user-billing',
		name: 'Bill Billing',
		firstName: 'Bill',
		lastName: 'Billing',
		email: 'bill.billing@northwind-home.example',
		role: 'billing',
	},
];

/**
 * Further users of the sub-account, seen by the Users API and assignable, that the seeded data
 * does not use (so the seed stays as it was): the teams of the keyword-routing template.
 */
export const TEAM_MATES: readonly SandboxUser[] = [
	{
		id: 'user-sales-2',
		name: 'Sally Seller',
		firstName: 'Sally',
		lastName: 'Seller',
		email: 'sally.seller@northwind-home.example',
		role: 'sales',
	},
	{ id: 'user-support-2', name: 'Tom Tech', firstName: 'Tom', lastName: 'Tech', email: 'tom.tech@northwind-home.example', role: 'support' },
	{
		id: 'user-support-3',
		name: 'Ava Agent',
		firstName: 'Ava',
		lastName: 'Agent',
		email: 'ava.agent@northwind-home.example',
		role: 'support',
	},
];

export interface Contact {
	id: string;
	/** The contact's assigned user (its conversations' assignee); null: unassigned. */
	assignedTo?: string | null;
	locationId: string;
	firstName?: string;
	lastName?: string;
	/** Full name. */
	name: string;
	email?: string;
	phone?: string;
	companyName?: string;
	tags: string[];
	source?: string;
	dateAdded: number;
	dateUpdated: number;
}

export type MessageDirection = 'inbound' | 'outbound';
export type MessageSource = 'workflow' | 'bulk_actions' | 'campaign' | 'api' | 'app';

export interface Conversation {
	id: string;
	locationId: string;
	contactId: string;
	type: ConversationType;
	/** Sandbox-only: the channel the conversation mostly uses and what it is about. */
	channel: Channel;
	topic: Topic;
	assignedTo?: string;
	followers: string[];
	mentions: string[];
	starred: boolean;
	unreadCount: number;
	inbox: boolean;
	deleted: boolean;
	feedback?: Record<string, unknown>;
	dateAdded: number;
	dateUpdated: number;
	/** Derived from the messages (see SandboxState.refresh). */
	lastMessageId?: string;
	lastMessageBody?: string;
	lastMessageDate: number;
	lastMessageType?: string;
	lastMessageDirection?: MessageDirection;
	lastOutboundMessageAction?: 'manual' | 'automated';
	lastManualMessageDate: number;
	messageIds: string[];
	/** Live chat: the visitor, and whether an agent is typing. */
	visitorId?: string;
	agentTyping?: boolean;
	emailThreadId?: string;
}

export interface MessageMeta {
	callDuration?: number;
	callStatus?: string;
	email?: { messageIds: string[] };
	[key: string]: unknown;
}

export interface Message {
	id: string;
	conversationId: string;
	contactId: string;
	locationId: string;
	messageType: string;
	direction: MessageDirection;
	status: string;
	body: string;
	contentType: string;
	attachments: string[];
	dateAdded: number;
	dateUpdated: number;
	source?: MessageSource;
	userId?: string;
	conversationProviderId?: string;
	altId?: string;
	chatWidgetId?: string;
	meta?: MessageMeta;
	error?: Record<string, unknown>;
	/** Sandbox-only. */
	seq: number;
	scheduledAt?: number;
	emailId?: string;
	transcription?: TranscriptSentence[];
	hasRecording?: boolean;
	throughProvider?: boolean;
}

export interface EmailRecord {
	id: string;
	messageId: string;
	conversationId: string;
	contactId: string;
	locationId: string;
	threadId: string;
	altId?: string;
	subject: string;
	/** HTML (or plain text when contentType is text/plain). */
	body: string;
	direction: MessageDirection;
	status: string;
	contentType: string;
	attachments: string[];
	provider: string;
	from: string;
	to: string[];
	cc: string[];
	bcc: string[];
	replyToMessageId?: string;
	source?: MessageSource;
	conversationProviderId?: string;
	dateAdded: number;
	events: Record<string, number>;
	recipients: Array<{ emailId: string; status: string; failReason?: string }>;
}

export interface CustomSubtype {
	id: string;
	locationId: string;
	name: string;
	description?: string;
	channel: 'email' | 'sms';
	language: string;
	archived: boolean;
	resubscription_legal_form_id?: string;
	dateAdded: number;
	dateUpdated: number;
}

export interface PendingUpload {
	id: string;
	conversationId: string;
	filename: string;
	contentType: string;
	filePath: string;
	expiresAt: number;
	maxFileSize: number;
	data?: Buffer;
	receivedContentType?: string;
}

export interface StoredFile {
	id: string;
	name: string;
	contentType: string;
	data: Buffer;
	conversationId?: string;
	dateAdded: number;
}

export type SubscriptionStatus = 'subscribed' | 'unsubscribed';

export interface NewEmail {
	id?: string;
	subject?: string;
	html?: string;
	text?: string;
	from?: string;
	to?: string[];
	cc?: string[];
	bcc?: string[];
	threadId?: string;
	replyToMessageId?: string;
	provider?: string;
	altId?: string;
}

export interface NewMessage {
	id?: string;
	direction: MessageDirection;
	messageType: string;
	body?: string;
	contentType?: string;
	attachments?: string[];
	status?: string;
	source?: MessageSource;
	userId?: string;
	/** When the message happened (ms); default now. Made unique within the sandbox. */
	date?: number;
	/** A future send time (ms): the message stays `scheduled` until then. */
	scheduledAt?: number;
	conversationProviderId?: string;
	altId?: string;
	chatWidgetId?: string;
	meta?: MessageMeta;
	/** Inbound messages raise the unread count unless this is false. */
	countUnread?: boolean;
	transcription?: TranscriptSentence[];
	hasRecording?: boolean;
	email?: NewEmail;
	/** Sent by the location on a custom provider's channel: the provider delivers it (webhooks.ts). */
	throughProvider?: boolean;
}

export interface NewContact {
	id?: string;
	firstName?: string;
	lastName?: string;
	name?: string;
	email?: string;
	phone?: string;
	companyName?: string;
	tags?: string[];
	source?: string;
	date?: number;
}

export interface NewConversation {
	id?: string;
	contactId: string;
	type?: ConversationType;
	channel?: Channel;
	topic?: Topic;
	assignedTo?: string;
	followers?: string[];
	mentions?: string[];
	starred?: boolean;
	date?: number;
	visitorId?: string;
}

/** A change the sandbox's webhooks report (sandbox/webhooks.ts listens). */
export type StateChange =
	| { kind: 'message'; message: Message; conversation: Conversation }
	| { kind: 'unread'; conversation: Conversation };

const AUTOMATED_SOURCES: ReadonlySet<string> = new Set(['workflow', 'campaign', 'bulk_actions']);

/** The last 10 digits of a phone number, for matching "+1 (415) 555-0101" to "+14155550101". */
export function phoneKey(phone: string | undefined): string {
	const digits = String(phone ?? '').replace(/\D/g, '');
	return digits.slice(-10);
}

/** Orders messages oldest first (ties: the one added first). */
function chronological(a: Message, b: Message): number {
	return a.dateAdded - b.dateAdded || a.seq - b.seq;
}

export class SandboxState {
	readonly locationId: string;
	readonly users: readonly SandboxUser[] = [...USERS, ...TEAM_MATES];
	readonly contacts = new Map<string, Contact>();
	readonly conversations = new Map<string, Conversation>();
	readonly messages = new Map<string, Message>();
	readonly emails = new Map<string, EmailRecord>();
	readonly customSubtypes = new Map<string, CustomSubtype>();
	/** contactId → email (lower case) → subscription key ("default:One on One", "custom:<id>") → status. */
	readonly subscriptions = new Map<string, Map<string, Map<string, SubscriptionStatus>>>();
	readonly uploads = new Map<string, PendingUpload>();
	readonly files = new Map<string, StoredFile>();
	/** Runtime randomness (IDs, simulated traffic): seeded, so runs are reproducible too. */
	readonly random: Random;
	private readonly clock: () => number;
	private readonly usedTimes = new Set<number>();
	private readonly scheduled = new Set<string>();
	private sequence = 0;
	/** Called after each message that is sent or received and each unread/star change. */
	readonly listeners: Array<(change: StateChange) => void> = [];

	private readonly uniqueTimes: boolean;

	constructor(options: { locationId: string; now: () => number; seed: number; uniqueTimestamps?: boolean }) {
		this.locationId = options.locationId;
		this.clock = options.now;
		this.random = new Random(options.seed, 1);
		this.uniqueTimes = options.uniqueTimestamps ?? true;
	}

	now(): number {
		return this.clock();
	}

	notify(change: StateChange): void {
		for (const listener of this.listeners) listener(change);
	}

	// ----- look-ups -------------------------------------------------------------------------

	conversation(id: string): Conversation | undefined {
		return this.conversations.get(id);
	}

	/**
	 * The conversation's messages in the order they happened, oldest first (so `.at(-1)` is the
	 * latest); scheduled ones are included at the time they were created. The API answers newest first.
	 */
	messagesOf(conversationId: string): Message[] {
		const conversation = this.conversations.get(conversationId);
		if (!conversation) return [];
		return conversation.messageIds
			.map((id) => this.messages.get(id))
			.filter((message): message is Message => message !== undefined)
			.sort(chronological);
	}

	message(id: string): Message | undefined {
		return this.messages.get(id);
	}

	email(id: string): EmailRecord | undefined {
		return this.emails.get(id);
	}

	contact(id: string): Contact | undefined {
		return this.contacts.get(id);
	}

	contactByEmail(email: string): Contact | undefined {
		const wanted = email.trim().toLowerCase();
		if (!wanted) return undefined;
		for (const contact of this.contacts.values()) {
			if (contact.email?.toLowerCase() === wanted) return contact;
		}
		return undefined;
	}

	contactByPhone(phone: string): Contact | undefined {
		const wanted = phoneKey(phone);
		if (!wanted) return undefined;
		for (const contact of this.contacts.values()) {
			if (contact.phone && phoneKey(contact.phone) === wanted) return contact;
		}
		return undefined;
	}

	/** A contact has (at most) one conversation in the sub-account. */
	conversationOfContact(contactId: string): Conversation | undefined {
		for (const conversation of this.conversations.values()) {
			if (conversation.contactId === contactId) return conversation;
		}
		return undefined;
	}

	user(id: string): SandboxUser | undefined {
		return this.users.find((user) => user.id === id);
	}

	/** The contact's assigned user, as its conversations show it (PUT /contacts/{id} sets both). */
	assigneeOf(contact: Contact): string | undefined {
		if (contact.assignedTo !== undefined) return contact.assignedTo ?? undefined;
		return this.conversationOfContact(contact.id)?.assignedTo;
	}

	/** Assigns the contact, and so its conversations, to a user (null: unassigns). */
	assignContact(contact: Contact, userId: string | null): void {
		const now = this.now();
		contact.assignedTo = userId;
		contact.dateUpdated = now;
		for (const conversation of this.conversations.values()) {
			if (conversation.contactId !== contact.id) continue;
			conversation.assignedTo = userId ?? undefined;
			if (userId && !conversation.followers.includes(userId)) conversation.followers.push(userId);
			conversation.dateUpdated = now;
		}
	}

	customSubtype(id: string): CustomSubtype | undefined {
		return this.customSubtypes.get(id);
	}

	listConversations(): Conversation[] {
		return [...this.conversations.values()];
	}

	// ----- IDs and time ---------------------------------------------------------------------

	/** A new HighLevel-shaped ID not used by anything yet. */
	newId(random: Random = this.random): string {
		for (;;) {
			const id = random.id();
			if (!this.isUsedId(id)) return id;
		}
	}

	private isUsedId(id: string): boolean {
		return (
			this.contacts.has(id) ||
			this.conversations.has(id) ||
			this.messages.has(id) ||
			this.emails.has(id) ||
			this.customSubtypes.has(id) ||
			this.uploads.has(id) ||
			this.files.has(id)
		);
	}

	/**
	 * A millisecond timestamp for a new event (default: now), unique in the sandbox: two events
	 * never share a time, so every sort (and the search's date cursor) is strict. With
	 * `uniqueTimestamps: false` events at the same time share it, as on the live API (ties).
	 */
	timestamp(at?: number): number {
		let time = Math.round(at ?? this.now());
		if (!this.uniqueTimes) return time;
		while (this.usedTimes.has(time)) time++;
		this.usedTimes.add(time);
		return time;
	}

	// ----- contacts -------------------------------------------------------------------------

	addContact(input: NewContact, random?: Random): Contact {
		const date = input.date ?? this.now();
		const name = (input.name ?? [input.firstName, input.lastName].filter(Boolean).join(' ')).trim();
		const contact: Contact = {
			id: input.id ?? this.newId(random),
			locationId: this.locationId,
			firstName: input.firstName,
			lastName: input.lastName,
			name,
			email: input.email?.trim().toLowerCase() || undefined,
			phone: input.phone?.trim() || undefined,
			companyName: input.companyName,
			tags: input.tags ?? [],
			source: input.source,
			dateAdded: date,
			dateUpdated: date,
		};
		this.contacts.set(contact.id, contact);
		return contact;
	}

	/** Finds the contact by email, else by phone; updates it with the given fields, or creates it. */
	upsertContact(input: NewContact): { contact: Contact; created: boolean } {
		const existing =
			(input.email ? this.contactByEmail(input.email) : undefined) ?? (input.phone ? this.contactByPhone(input.phone) : undefined);
		if (!existing) return { contact: this.addContact(input), created: true };
		if (input.firstName !== undefined) existing.firstName = input.firstName;
		if (input.lastName !== undefined) existing.lastName = input.lastName;
		if (input.email) existing.email = input.email.trim().toLowerCase();
		if (input.phone) existing.phone = input.phone.trim();
		if (input.companyName !== undefined) existing.companyName = input.companyName;
		if (input.source !== undefined) existing.source = input.source;
		if (input.tags) existing.tags = [...new Set([...existing.tags, ...input.tags])];
		if (input.name) existing.name = input.name.trim();
		else if (input.firstName !== undefined || input.lastName !== undefined) {
			existing.name = [existing.firstName, existing.lastName].filter(Boolean).join(' ');
		}
		existing.dateUpdated = this.now();
		return { contact: existing, created: false };
	}

	// ----- conversations --------------------------------------------------------------------

	addConversation(input: NewConversation, random?: Random): Conversation {
		const date = this.timestamp(input.date);
		const type = input.type ?? (input.channel === 'Email' ? 'TYPE_EMAIL' : 'TYPE_PHONE');
		const conversation: Conversation = {
			id: input.id ?? this.newId(random),
			locationId: this.locationId,
			contactId: input.contactId,
			type,
			channel: input.channel ?? (type === 'TYPE_EMAIL' ? 'Email' : type === 'TYPE_REVIEW' ? 'GMB' : 'SMS'),
			topic: input.topic ?? 'support',
			assignedTo: input.assignedTo,
			followers: input.followers ?? (input.assignedTo ? [input.assignedTo] : []),
			mentions: input.mentions ?? [],
			starred: input.starred ?? false,
			unreadCount: 0,
			inbox: true,
			deleted: false,
			dateAdded: date,
			dateUpdated: date,
			lastMessageDate: date,
			lastManualMessageDate: date,
			messageIds: [],
			visitorId: input.visitorId,
		};
		this.conversations.set(conversation.id, conversation);
		return conversation;
	}

	/** The contact's conversation, or a new one of the type the message type calls for. */
	conversationFor(contactId: string, messageType: string): { conversation: Conversation; created: boolean } {
		const existing = this.conversationOfContact(contactId);
		if (existing) return { conversation: existing, created: false };
		return {
			conversation: this.addConversation({ contactId, type: conversationTypeFor(messageType) }),
			created: true,
		};
	}

	deleteConversation(id: string): boolean {
		const conversation = this.conversations.get(id);
		if (!conversation) return false;
		for (const messageId of conversation.messageIds) this.forgetMessage(messageId);
		this.conversations.delete(id);
		return true;
	}

	// ----- messages -------------------------------------------------------------------------

	addMessage(conversation: Conversation, input: NewMessage, random?: Random): Message {
		const date = this.timestamp(input.date);
		const scheduled = input.scheduledAt !== undefined && input.scheduledAt > this.now();
		const message: Message = {
			id: input.id ?? this.newId(random),
			conversationId: conversation.id,
			contactId: conversation.contactId,
			locationId: this.locationId,
			messageType: input.messageType,
			direction: input.direction,
			status: scheduled ? 'scheduled' : (input.status ?? 'delivered'),
			body: input.body ?? '',
			contentType: input.contentType ?? 'text/plain',
			attachments: input.attachments ?? [],
			dateAdded: date,
			dateUpdated: date,
			source: input.source,
			userId: input.userId,
			conversationProviderId: input.conversationProviderId,
			altId: input.altId,
			chatWidgetId: input.chatWidgetId,
			meta: input.meta,
			seq: ++this.sequence,
			scheduledAt: scheduled ? input.scheduledAt : undefined,
			transcription: input.transcription,
			hasRecording: input.hasRecording,
			throughProvider: input.throughProvider,
		};
		if (input.email) this.attachEmail(conversation, message, input.email, random);
		this.messages.set(message.id, message);
		conversation.messageIds.push(message.id);
		const countsUnread = !scheduled && message.direction === 'inbound' && input.countUnread !== false;
		if (scheduled) this.scheduled.add(message.id);
		else if (countsUnread) conversation.unreadCount += 1;
		conversation.dateUpdated = Math.max(conversation.dateUpdated, date);
		this.refresh(conversation);
		if (!scheduled) this.notify({ kind: 'message', message, conversation });
		if (countsUnread) this.notify({ kind: 'unread', conversation });
		return message;
	}

	private attachEmail(conversation: Conversation, message: Message, input: NewEmail, random?: Random): void {
		const contact = this.contacts.get(conversation.contactId);
		const id = input.id ?? this.newId(random);
		const html = input.html ?? input.text ?? message.body;
		if (!conversation.emailThreadId) conversation.emailThreadId = input.threadId ?? id;
		const record: EmailRecord = {
			id,
			messageId: message.id,
			conversationId: conversation.id,
			contactId: conversation.contactId,
			locationId: this.locationId,
			threadId: input.threadId ?? conversation.emailThreadId,
			altId: input.altId,
			subject: input.subject ?? '',
			body: html,
			direction: message.direction,
			status: message.status,
			contentType: input.html !== undefined ? 'text/html' : 'text/plain',
			attachments: message.attachments,
			provider: input.provider ?? 'Leadconnector Email',
			from: input.from ?? (message.direction === 'inbound' ? (contact?.email ?? '') : ''),
			to: input.to ?? (message.direction === 'inbound' ? [] : contact?.email ? [contact.email] : []),
			cc: input.cc ?? [],
			bcc: input.bcc ?? [],
			replyToMessageId: input.replyToMessageId,
			source: message.source,
			conversationProviderId: message.conversationProviderId,
			dateAdded: message.dateAdded,
			events: {},
			recipients: [],
		};
		this.emails.set(id, record);
		message.emailId = id;
		message.contentType = record.contentType;
		message.meta = { ...(message.meta ?? {}), email: { messageIds: [id] } };
	}

	/** Delivers the scheduled messages whose time has come; returns how many. */
	deliverDue(): number {
		if (!this.scheduled.size) return 0;
		const now = this.now();
		let delivered = 0;
		for (const id of [...this.scheduled]) {
			const message = this.messages.get(id);
			if (!message) {
				this.scheduled.delete(id);
				continue;
			}
			if ((message.scheduledAt ?? 0) > now) continue;
			this.scheduled.delete(id);
			message.status = 'delivered';
			message.dateAdded = this.timestamp(message.scheduledAt);
			message.dateUpdated = now;
			const email = message.emailId ? this.emails.get(message.emailId) : undefined;
			if (email) {
				email.status = 'delivered';
				email.dateAdded = message.dateAdded;
			}
			const conversation = this.conversations.get(message.conversationId);
			if (conversation) {
				conversation.dateUpdated = Math.max(conversation.dateUpdated, message.dateAdded);
				this.refresh(conversation);
				this.notify({ kind: 'message', message, conversation });
			}
			delivered++;
		}
		return delivered;
	}

	/** Removes a message (e.g. a cancelled scheduled one) and its email. */
	removeMessage(id: string): boolean {
		const message = this.messages.get(id);
		if (!message) return false;
		this.forgetMessage(id);
		const conversation = this.conversations.get(message.conversationId);
		if (conversation) {
			conversation.messageIds = conversation.messageIds.filter((messageId) => messageId !== id);
			conversation.dateUpdated = Math.max(conversation.dateUpdated, this.now());
			this.refresh(conversation);
		}
		return true;
	}

	private forgetMessage(id: string): void {
		const message = this.messages.get(id);
		if (message?.emailId) this.emails.delete(message.emailId);
		this.messages.delete(id);
		this.scheduled.delete(id);
	}

	isScheduled(id: string): boolean {
		return this.scheduled.has(id);
	}

	/** Recomputes a conversation's last-message fields from its (sent) messages. */
	refresh(conversation: Conversation): void {
		const sent = conversation.messageIds
			.map((id) => this.messages.get(id))
			.filter((message): message is Message => message !== undefined && message.status !== 'scheduled')
			.sort(chronological);
		const last = sent[sent.length - 1];
		conversation.lastMessageId = last?.id;
		conversation.lastMessageBody = last?.body;
		conversation.lastMessageDate = last?.dateAdded ?? conversation.dateAdded;
		conversation.lastMessageType = last?.messageType;
		conversation.lastMessageDirection = last?.direction;
		const lastOutbound = [...sent].reverse().find((message) => message.direction === 'outbound');
		conversation.lastOutboundMessageAction = lastOutbound
			? AUTOMATED_SOURCES.has(lastOutbound.source ?? '')
				? 'automated'
				: 'manual'
			: undefined;
		const lastManual = [...sent]
			.reverse()
			.find((message) => message.direction === 'inbound' || !AUTOMATED_SOURCES.has(message.source ?? ''));
		conversation.lastManualMessageDate = lastManual?.dateAdded ?? conversation.dateAdded;
	}

	// ----- subscriptions --------------------------------------------------------------------

	/** Subscription statuses of a contact by email; unknown entries are `subscribed`. */
	subscriptionsOf(contactId: string): Map<string, Map<string, SubscriptionStatus>> {
		let byEmail = this.subscriptions.get(contactId);
		if (!byEmail) {
			byEmail = new Map();
			this.subscriptions.set(contactId, byEmail);
		}
		const contact = this.contacts.get(contactId);
		if (contact?.email && !byEmail.has(contact.email)) byEmail.set(contact.email, new Map());
		return byEmail;
	}

	setSubscription(contactId: string, email: string, key: string, status: SubscriptionStatus): void {
		const byEmail = this.subscriptionsOf(contactId);
		const address = email.trim().toLowerCase();
		let statuses = byEmail.get(address);
		if (!statuses) {
			statuses = new Map();
			byEmail.set(address, statuses);
		}
		statuses.set(key, status);
	}
}
