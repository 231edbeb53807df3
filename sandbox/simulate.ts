/* eslint-disable @n8n/community-nodes/no-restricted-globals -- sandbox: a dev tool, never shipped (events are spread over time with timers) */
/** Simulated traffic: customers write into existing conversations, and new customers start new ones. */
import { CHANNELS, type Channel } from './channels';
import {
	AREA_CODES,
	BUSINESS_EMAIL,
	EMAIL_DOMAINS,
	emailHtml,
	fill,
	FIRST_NAMES,
	FOLLOW_UPS,
	htmlToText,
	LAST_NAMES,
	OPENERS,
	textVars,
	TOPICS,
	type Topic,
} from './content';
import type { Conversation, Message, NewMessage, SandboxState } from './state';

export interface SimulateOptions {
	/** Inbound messages into existing conversations. */
	inboundMessages?: number;
	/** New contacts, each with a new conversation and a first inbound message. */
	newConversations?: number;
	/** Time between events (ms); 0 adds them all at once. */
	intervalMs?: number;
}

export interface SimulateResult {
	/** Every message added (including the first messages of new conversations). */
	messages: string[];
	/** The new conversations. */
	conversations: string[];
}

export type SimulatedEvent =
	| { kind: 'inbound'; conversation: Conversation; message: Message }
	| { kind: 'newConversation'; conversation: Conversation; message: Message };

export class Simulator {
	private closed = false;
	private readonly waits = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();

	constructor(
		private readonly state: SandboxState,
		private readonly onEvent?: (event: SimulatedEvent) => void,
	) {}

	async run(options: SimulateOptions): Promise<SimulateResult> {
		const result: SimulateResult = { messages: [], conversations: [] };
		const random = this.state.random;
		const events = random.shuffle([
			...Array.from({ length: Math.max(0, Math.floor(options.inboundMessages ?? 0)) }, () => 'inbound' as const),
			...Array.from({ length: Math.max(0, Math.floor(options.newConversations ?? 0)) }, () => 'new' as const),
		]);
		const interval = Math.max(0, options.intervalMs ?? 0);
		for (const [index, kind] of events.entries()) {
			if (index > 0 && interval > 0) await this.wait(interval);
			if (this.closed) break;
			const event = kind === 'new' || this.state.conversations.size === 0 ? this.newConversation() : this.inbound();
			if (event.kind === 'newConversation') result.conversations.push(event.conversation.id);
			result.messages.push(event.message.id);
			this.onEvent?.(event);
		}
		return result;
	}

	/** Stops running simulations (they resolve with what was added so far). */
	close(): void {
		this.closed = true;
		for (const wait of this.waits) {
			clearTimeout(wait.timer);
			wait.resolve();
		}
		this.waits.clear();
	}

	private wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const entry = {
				timer: setTimeout(() => {
					this.waits.delete(entry);
					resolve();
				}, ms),
				resolve,
			};
			this.waits.add(entry);
		});
	}

	/** A customer writes into a random existing conversation, on its channel. */
	inbound(): SimulatedEvent {
		const random = this.state.random;
		const conversation = random.pick(this.state.listConversations());
		const contact = this.state.contact(conversation.contactId);
		const vars = textVars(random, contact?.firstName ?? contact?.name ?? 'there', 'Sue');
		const text = fill(random.pick(FOLLOW_UPS[conversation.topic]), vars);
		const lastEmail = this.state
			.messagesOf(conversation.id)
			.reverse()
			.map((message) => (message.emailId ? this.state.email(message.emailId) : undefined))
			.find((email) => email !== undefined);
		const subject = lastEmail ? `Re: ${lastEmail.subject.replace(/^Re:\s*/i, '')}` : 'Question';
		const message = this.state.addMessage(
			conversation,
			messageFor(conversation.channel, text, contact?.name ?? '', contact?.email, subject, lastEmail?.threadId),
		);
		return { kind: 'inbound', conversation, message };
	}

	/** A new customer (contact), a new conversation and its first inbound message. */
	newConversation(): SimulatedEvent {
		const random = this.state.random;
		const channel = random.weighted<Channel>([
			['SMS', 35],
			['Email', 20],
			['Facebook', 10],
			['Instagram', 10],
			['WhatsApp', 12],
			['LiveChat', 8],
			['GMB', 5],
		]);
		const topic: Topic = channel === 'GMB' ? 'review' : random.pick(TOPICS);
		const firstName = random.pick(FIRST_NAMES);
		const lastName = random.pick(LAST_NAMES);
		const contact = this.state.addContact({
			firstName,
			lastName,
			email: this.freeEmail(firstName, lastName),
			phone: this.freePhone(),
			source: CHANNELS[channel].label,
			tags: [topic],
		});
		const conversation = this.state.addConversation({
			contactId: contact.id,
			type: CHANNELS[channel].conversationType,
			channel,
			topic,
			visitorId: channel === 'LiveChat' ? random.id() : undefined,
		});
		const vars = textVars(random, firstName, 'Sue');
		let text = fill(random.pick(OPENERS[topic]), vars);
		if (channel === 'GMB') text = `${/terrible|slow/i.test(text) ? '★★☆☆☆' : '★★★★★'} ${text}`;
		const subject = fill(topic === 'review' ? 'Review' : `About my ${vars.product}`, vars);
		const message = this.state.addMessage(conversation, messageFor(channel, text, contact.name, contact.email, subject));
		return { kind: 'newConversation', conversation, message };
	}

	private freeEmail(firstName: string, lastName: string): string {
		const local = `${firstName}.${lastName}`.toLowerCase();
		const domain = this.state.random.pick(EMAIL_DOMAINS);
		let email = `${local}@${domain}`;
		for (let n = 2; this.state.contactByEmail(email); n++) email = `${local}${n}@${domain}`;
		return email;
	}

	private freePhone(): string {
		const random = this.state.random;
		for (let attempt = 0; ; attempt++) {
			const line = attempt < 20 ? `01${String(random.int(0, 99)).padStart(2, '0')}` : String(random.int(1000, 9999));
			const phone = `+1${random.pick(AREA_CODES)}555${line}`;
			if (!this.state.contactByPhone(phone)) return phone;
		}
	}
}

function messageFor(
	channel: Channel,
	text: string,
	name: string,
	email: string | undefined,
	subject: string,
	threadId?: string,
): NewMessage {
	if (channel !== 'Email') {
		return {
			direction: 'inbound',
			messageType: CHANNELS[channel].messageType,
			body: text,
			chatWidgetId: channel === 'LiveChat' ? 'sandbox-chat-widget' : undefined,
		};
	}
	const html = emailHtml('Hello', text, name);
	return {
		direction: 'inbound',
		messageType: 'TYPE_EMAIL',
		body: htmlToText(html),
		email: { subject, html, from: email, to: [BUSINESS_EMAIL], threadId },
	};
}
