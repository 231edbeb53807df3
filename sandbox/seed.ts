/**
 * Demo data, reproducible from a seed: contacts, conversations over every channel, 1-12 messages
 * each over the last ~60 days, calls with recordings and transcripts, emails, custom subtypes.
 * Dates are relative to the clock's current minute, so two sandboxes made in the same minute
 * (or on the same fake clock) with the same seed hold the same data.
 */
import { callMessageStatus, CHANNELS, type Channel } from './channels';
import {
	AREA_CODES,
	AUTOMATED,
	BUSINESS_EMAIL,
	BUSINESS_NAME,
	callScript,
	COMPANIES,
	EMAIL_DOMAINS,
	EMAIL_SUBJECTS,
	emailHtml,
	FIRST_NAMES,
	fill,
	FOLLOW_UPS,
	htmlToText,
	LAST_NAMES,
	OPENERS,
	REPLIES,
	textVars,
	TOPIC_OWNER,
	TOPICS,
	type TextVars,
	type Topic,
} from './content';
import { transcriptFrom } from './media';
import { Random } from './random';
import {
	USERS,
	type Contact,
	type Conversation,
	type MessageDirection,
	type MessageSource,
	type NewMessage,
	type SandboxState,
} from './state';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Well-known IDs, the same for every seed (present when the sandbox has at least 5 conversations). */
export const DEMO = {
	/** SMS conversation about a refund: two unread inbound messages and one scheduled reply. */
	smsConversationId: 'demo-conv-sms',
	smsContactId: 'demo-contact-sms',
	/** The latest inbound SMS ("... I would like a refund for order #20417 ..."). */
	smsRefundMessageId: 'demo-msg-sms-refund',
	/** An outbound SMS scheduled three days ahead (cancel it with DELETE .../schedule). */
	scheduledMessageId: 'demo-msg-sms-scheduled',
	/** Phone conversation with a completed call that has a recording and a transcription. */
	callConversationId: 'demo-conv-call',
	callContactId: 'demo-contact-call',
	callMessageId: 'demo-msg-call',
	/** Email conversation about an invoice (starred). */
	emailConversationId: 'demo-conv-email',
	emailContactId: 'demo-contact-email',
	/** The outbound email as a message (GET /conversations/messages/{id}). */
	emailMessageId: 'demo-msg-email',
	/** The same email as an email (GET /conversations/messages/email/{id}). */
	emailId: 'demo-email',
	/** Google review conversation, not yet replied to (POST .../review-reply). */
	reviewConversationId: 'demo-conv-review',
	reviewContactId: 'demo-contact-review',
	reviewMessageId: 'demo-msg-review',
	/** Live chat conversation with a visitor (POST .../live-chat/typing). */
	liveChatConversationId: 'demo-conv-livechat',
	liveChatContactId: 'demo-contact-livechat',
	liveChatVisitorId: 'demo-visitor-1',
	/** A contact without a conversation (POST /conversations/ creates one). */
	newContactId: 'demo-contact-new',
	/** Custom subtypes: an email newsletter and SMS promotions. */
	customSubtypeId: 'demo-subtype-newsletter',
	smsSubtypeId: 'demo-subtype-promotions',
	/** Any non-empty conversationProviderId is accepted; this one reads well in examples. */
	conversationProviderId: 'sandbox-provider',
} as const;

export const FILES_HOST = 'https://files.northwind-home.example';
const CHAT_WIDGET_ID = 'sandbox-chat-widget';

interface Person {
	firstName: string;
	lastName: string;
	email: string;
	phone: string;
	companyName?: string;
}

/** Unique names, emails and phone numbers. */
class People {
	private readonly names = new Set<string>();
	private readonly emails = new Set<string>();
	private readonly phones = new Set<string>();

	constructor(private readonly random: Random) {}

	reserve(person: Person): void {
		this.names.add(`${person.firstName} ${person.lastName}`);
		this.emails.add(person.email);
		this.phones.add(person.phone);
	}

	next(): Person {
		let firstName = '';
		let lastName = '';
		for (let attempt = 0; ; attempt++) {
			firstName = this.random.pick(FIRST_NAMES);
			lastName = this.random.pick(LAST_NAMES);
			if (!this.names.has(`${firstName} ${lastName}`) || attempt > 50) break;
		}
		this.names.add(`${firstName} ${lastName}`);
		const local = `${firstName}.${lastName}`.toLowerCase();
		let email = `${local}@${this.random.pick(EMAIL_DOMAINS)}`;
		for (let n = 2; this.emails.has(email); n++) email = `${local}${n}@${this.random.pick(EMAIL_DOMAINS)}`;
		this.emails.add(email);
		let phone = '';
		do {
			phone = `+1${this.random.pick(AREA_CODES)}55501${String(this.random.int(0, 99)).padStart(2, '0')}`;
		} while (this.phones.has(phone));
		this.phones.add(phone);
		return {
			firstName,
			lastName,
			email,
			phone,
			companyName: this.random.chance(0.2) ? this.random.pick(COMPANIES) : undefined,
		};
	}
}

/** Increasing message times that end at `end` and start no earlier than `earliest`. */
function timesEndingAt(random: Random, count: number, end: number, earliest: number): number[] {
	const gaps = Array.from({ length: count }, (_, index) =>
		index === 0 ? 0 : random.chance(0.6) ? random.int(2 * MINUTE, 3 * HOUR) : random.int(3 * HOUR, 40 * HOUR),
	);
	const total = gaps.reduce((sum, gap) => sum + gap, 0);
	const scale = total > end - earliest ? (end - earliest) / total : 1;
	let elapsed = 0;
	return gaps.map((gap) => {
		elapsed += Math.floor(gap * scale);
		return end - Math.floor(total * scale) + elapsed;
	});
}

function outboundStatus(random: Random, channel: Channel): string {
	return random.weighted<string>([
		['delivered', 85],
		[channel === 'SMS' || channel === 'Email' ? 'delivered' : 'read', 10],
		['failed', 3],
		['undelivered', 2],
	]);
}

/** Seeds the sub-account. */
export function seedState(state: SandboxState, options: { seed: number; conversations: number }): void {
	const random = new Random(options.seed);
	const anchor = Math.floor(state.now() / MINUTE) * MINUTE;
	const people = new People(random);

	seedCustomSubtypes(state, anchor);
	const demoCount = seedDemo(state, anchor, people, Math.max(0, options.conversations));
	for (let i = demoCount; i < options.conversations; i++) seedConversation(state, random, anchor, people);

	// Contacts without a conversation yet (for create conversation / send to a new contact).
	const extra = Math.max(3, Math.round(options.conversations * 0.05));
	for (let i = 0; i < extra; i++) {
		const person = people.next();
		state.addContact({ ...person, source: 'Website form', tags: ['lead'], date: anchor - random.int(1 * HOUR, 20 * DAY) }, random);
	}

	// A few contacts opted out of something.
	for (const contact of state.contacts.values()) {
		if (!contact.email || !random.chance(0.05)) continue;
		const key = random.chance(0.5) ? 'default:One on One' : `custom:${DEMO.customSubtypeId}`;
		state.setSubscription(contact.id, contact.email, key, 'unsubscribed');
	}
}

function seedCustomSubtypes(state: SandboxState, anchor: number): void {
	const date = anchor - 90 * DAY;
	state.customSubtypes.set(DEMO.customSubtypeId, {
		id: DEMO.customSubtypeId,
		locationId: state.locationId,
		name: 'Newsletter',
		description: 'Monthly home maintenance tips and news',
		channel: 'email',
		language: 'en',
		archived: false,
		dateAdded: date,
		dateUpdated: date,
	});
	state.customSubtypes.set(DEMO.smsSubtypeId, {
		id: DEMO.smsSubtypeId,
		locationId: state.locationId,
		name: 'SMS Promotions',
		description: 'Seasonal offers by text message',
		channel: 'sms',
		language: 'en',
		archived: false,
		dateAdded: date + HOUR,
		dateUpdated: date + HOUR,
	});
}

function seedConversation(state: SandboxState, random: Random, anchor: number, people: People): void {
	const channel = random.weighted<Channel>([
		['SMS', 34],
		['Email', 20],
		['Facebook', 10],
		['Instagram', 9],
		['WhatsApp', 11],
		['LiveChat', 8],
		['GMB', 8],
	]);
	const topic: Topic = channel === 'GMB' ? 'review' : random.pick(TOPICS);
	const person = people.next();
	const count = channel === 'GMB' ? random.int(1, 3) : random.int(1, 12);
	// The last activity: recent more often than not, up to ~60 days ago.
	const lastAt = anchor - MINUTE - Math.floor(random.next() ** 1.5 * 59 * DAY);
	const times = timesEndingAt(random, count, lastAt, anchor - 62 * DAY);
	const start = times[0];
	const contact = state.addContact(
		{
			firstName: person.firstName,
			lastName: person.lastName,
			email: channel === 'Email' || random.chance(0.8) ? person.email : undefined,
			phone: channel === 'SMS' || channel === 'WhatsApp' || random.chance(0.6) ? person.phone : undefined,
			companyName: person.companyName,
			tags: [topic],
			source: CHANNELS[channel].label,
			date: start - random.int(MINUTE, 30 * DAY),
		},
		random,
	);
	const roll = random.next();
	const assignedTo = roll < 0.12 ? undefined : roll < 0.8 ? TOPIC_OWNER[topic] : random.pick(USERS.map((user) => user.id));
	const followers = assignedTo ? [assignedTo] : [];
	if (random.chance(0.2)) {
		const other = random.pick(USERS.map((user) => user.id));
		if (!followers.includes(other)) followers.push(other);
	}
	const conversation = state.addConversation(
		{
			contactId: contact.id,
			type: CHANNELS[channel].conversationType,
			channel,
			topic,
			assignedTo,
			followers,
			mentions: random.chance(0.06) ? [random.pick(USERS.map((user) => user.id))] : [],
			starred: random.chance(0.06),
			date: start,
			visitorId: channel === 'LiveChat' ? random.id() : undefined,
		},
		random,
	);

	const agent = state.user(assignedTo ?? 'user-support');
	const vars = textVars(random, person.firstName, agent?.firstName ?? 'Sue');
	const subject = fill(random.pick(EMAIL_SUBJECTS[topic]), vars);
	const callAt = channel === 'SMS' && count > 1 && random.chance(0.35) ? random.int(1, count - 1) : -1;

	let direction: MessageDirection = channel === 'GMB' || random.chance(0.82) ? 'inbound' : 'outbound';
	let inboundSoFar = 0;
	let outboundSoFar = 0;
	for (let i = 0; i < count; i++) {
		if (i > 0) direction = random.chance(0.72) ? (direction === 'inbound' ? 'outbound' : 'inbound') : direction;
		const base = { direction, date: times[i], countUnread: false } as const;
		let input: NewMessage;
		if (i === callAt) {
			input = { ...base, ...callMessage(random, topic, vars, direction) };
		} else if (direction === 'inbound') {
			const template = inboundSoFar === 0 ? random.pick(OPENERS[topic]) : random.pick(FOLLOW_UPS[topic]);
			input = {
				...base,
				...channelMessage(channel, fill(template, vars), {
					subject: inboundSoFar === 0 ? subject : `Re: ${subject}`,
					greeting: 'Hello',
					signature: `${person.firstName} ${person.lastName}`,
					from: contact.email ?? person.email,
					to: [BUSINESS_EMAIL],
				}),
				attachments:
					(topic === 'refund' || topic === 'support') && random.chance(0.15)
						? [`${FILES_HOST}/uploads/photo-${random.int(1000, 9999)}.jpg`]
						: undefined,
			};
			if (channel === 'GMB' && inboundSoFar === 0) input.body = reviewText(random, input.body ?? '');
			inboundSoFar++;
		} else {
			const automated = (outboundSoFar === 0 && i === 0) || random.chance(0.15);
			const source: MessageSource = automated ? random.pick<MessageSource>(['workflow', 'workflow', 'campaign']) : 'app';
			const template = automated ? random.pick(AUTOMATED[topic]) : random.pick(REPLIES[topic]);
			input = {
				...base,
				...channelMessage(channel, fill(template, vars), {
					subject: `Re: ${subject}`,
					greeting: `Hi ${person.firstName}`,
					signature: `${agent?.name ?? 'The team'}, ${BUSINESS_NAME}`,
					from: BUSINESS_EMAIL,
					to: contact.email ? [contact.email] : [],
				}),
				source,
				userId: automated ? undefined : (assignedTo ?? random.pick(USERS.map((user) => user.id))),
				status: outboundStatus(random, channel),
			};
			outboundSoFar++;
		}
		if (channel === 'LiveChat') input.chatWidgetId = CHAT_WIDGET_ID;
		state.addMessage(conversation, input, random);
	}
	finishUnread(state, conversation, random.chance(0.45));
}

/** A review's text with its star rating. */
function reviewText(random: Random, text: string): string {
	const rating = /terrible|slow/i.test(text) ? random.int(1, 3) : random.int(4, 5);
	return `${'★'.repeat(rating)}${'☆'.repeat(5 - rating)} ${text}`;
}

interface EmailParts {
	subject: string;
	greeting: string;
	signature: string;
	from: string;
	to: string[];
}

/** The message fields for a text on a channel (emails get an HTML body and an email record). */
function channelMessage(channel: Channel, text: string, email: EmailParts): Partial<NewMessage> & { messageType: string } {
	if (channel !== 'Email') return { messageType: CHANNELS[channel].messageType, body: text };
	const html = emailHtml(email.greeting, text, email.signature);
	return {
		messageType: 'TYPE_EMAIL',
		body: htmlToText(html),
		email: { subject: email.subject, html, from: email.from, to: email.to },
	};
}

function callMessage(
	random: Random,
	topic: Topic,
	vars: TextVars,
	direction: MessageDirection,
): Partial<NewMessage> & { messageType: string } {
	const status = random.weighted<string>([
		['completed', 60],
		['no-answer', 20],
		[direction === 'inbound' ? 'voicemail' : 'busy', 20],
	]);
	if (status === 'completed') {
		const transcription = transcriptFrom(callScript(topic, vars), random);
		const duration = transcription[transcription.length - 1].endTime + random.int(5, 240);
		return {
			messageType: 'TYPE_CALL',
			body: '',
			status: callMessageStatus('completed'),
			meta: { callDuration: duration, callStatus: 'completed' },
			hasRecording: true,
			transcription,
			source: direction === 'outbound' ? 'app' : undefined,
		};
	}
	if (status === 'voicemail') {
		const transcription = transcriptFrom(
			[{ speaker: 'contact', text: `Hi, this is ${vars.first}. Please call me back about my ${vars.product}, thanks.` }],
			random,
		);
		return {
			messageType: 'TYPE_CALL',
			body: '',
			status: callMessageStatus('voicemail'),
			meta: { callDuration: transcription[0].endTime + 2, callStatus: 'voicemail' },
			hasRecording: true,
			transcription,
		};
	}
	return {
		messageType: 'TYPE_CALL',
		body: '',
		status: callMessageStatus(status),
		meta: { callDuration: 0, callStatus: status },
		source: direction === 'outbound' ? 'app' : undefined,
	};
}

/** Unread count = the inbound messages after the last outbound one (when `unread`), else 0. */
function finishUnread(state: SandboxState, conversation: Conversation, unread: boolean): void {
	const messages = state
		.messagesOf(conversation.id)
		.filter((message) => message.status !== 'scheduled')
		.reverse();
	let trailing = 0;
	for (const message of messages) {
		if (message.direction !== 'inbound') break;
		trailing++;
	}
	conversation.unreadCount = unread ? trailing : 0;
}

function demoContact(state: SandboxState, people: People, id: string, person: Person, date: number): Contact {
	people.reserve(person);
	return state.addContact({ id, ...person, source: 'Demo', tags: ['demo'], date });
}

/** The DEMO conversations (the first `max` of them); returns how many were made. */
function seedDemo(state: SandboxState, anchor: number, people: People, max: number): number {
	const random = new Random(20417); // fixed: the demo data is the same for every seed
	const makers: Array<() => void> = [
		() => demoSms(state, anchor, people),
		() => demoEmail(state, anchor, people),
		() => demoCall(state, anchor, people, random),
		() => demoReview(state, anchor, people),
		() => demoLiveChat(state, anchor, people),
	];
	const count = Math.min(max, makers.length);
	for (let i = 0; i < count; i++) makers[i]();
	const noah: Person = { firstName: 'Noah', lastName: 'Fischer', email: 'noah.fischer@example.com', phone: '+17025550177' };
	demoContact(state, people, DEMO.newContactId, noah, anchor - 6 * HOUR);
	return count;
}

function demoSms(state: SandboxState, anchor: number, people: People): void {
	const person: Person = { firstName: 'Olivia', lastName: 'Bennett', email: 'olivia.bennett@example.com', phone: '+14155550101' };
	const contact = demoContact(state, people, DEMO.smsContactId, person, anchor - 40 * DAY);
	const conversation = state.addConversation({
		id: DEMO.smsConversationId,
		contactId: contact.id,
		type: 'TYPE_PHONE',
		channel: 'SMS',
		topic: 'refund',
		assignedTo: 'user-billing',
		date: anchor - 3 * DAY,
	});
	const sms = { messageType: 'TYPE_SMS', countUnread: false } as const;
	state.addMessage(conversation, {
		...sms,
		direction: 'inbound',
		date: anchor - 3 * DAY,
		body: 'Hi, I ordered a robot vacuum last week (order #20417) and it arrived with a cracked lid.',
	});
	state.addMessage(conversation, {
		...sms,
		direction: 'outbound',
		date: anchor - 3 * DAY + 20 * MINUTE,
		body: 'Sorry about that, Olivia! Could you send us a photo of the damage?',
		source: 'app',
		userId: 'user-billing',
	});
	state.addMessage(conversation, {
		...sms,
		direction: 'inbound',
		date: anchor - 2 * DAY,
		body: 'Here you go.',
		attachments: [`${FILES_HOST}/uploads/cracked-lid.jpg`],
	});
	state.addMessage(conversation, {
		...sms,
		id: DEMO.smsRefundMessageId,
		direction: 'inbound',
		date: anchor - 20 * MINUTE,
		body: 'Any update? I would like a refund for order #20417, not a replacement.',
	});
	state.addMessage(conversation, {
		...sms,
		id: DEMO.scheduledMessageId,
		direction: 'outbound',
		date: anchor - 19 * MINUTE,
		scheduledAt: anchor + 3 * DAY,
		body: 'Hi Olivia, just checking that the refund for order #20417 reached your account. Reply here if not!',
		source: 'app',
		userId: 'user-billing',
	});
	conversation.unreadCount = 2;
}

function demoEmail(state: SandboxState, anchor: number, people: People): void {
	const person: Person = {
		firstName: 'Priya',
		lastName: 'Shah',
		email: 'priya.shah@example.org',
		phone: '+16175550188',
		companyName: 'Summit Dental',
	};
	const contact = demoContact(state, people, DEMO.emailContactId, person, anchor - 120 * DAY);
	const conversation = state.addConversation({
		id: DEMO.emailConversationId,
		contactId: contact.id,
		type: 'TYPE_EMAIL',
		channel: 'Email',
		topic: 'invoice',
		assignedTo: 'user-billing',
		followers: ['user-billing', 'user-sales'],
		starred: true,
		date: anchor - 2 * DAY,
	});
	const question =
		'<p>Hello,</p><p>There is a mistake on invoice INV-4821: we were billed twice for the water heater installation. Could you send a corrected invoice and refund the second payment?</p><p>Thanks,<br>Priya Shah<br>Summit Dental</p>';
	state.addMessage(conversation, {
		direction: 'inbound',
		messageType: 'TYPE_EMAIL',
		date: anchor - 2 * DAY,
		body: htmlToText(question),
		countUnread: false,
		email: {
			subject: 'Question about invoice INV-4821',
			html: question,
			from: contact.email,
			to: [BUSINESS_EMAIL],
		},
	});
	const answer =
		'<p>Hi Priya,</p><p>Apologies for the duplicate charge. I have corrected invoice INV-4821 (attached), and the refund of $1,240.00 for the second payment is on its way.</p><p>Best regards,<br>Bill Billing, Northwind Home Services</p>';
	state.addMessage(conversation, {
		id: DEMO.emailMessageId,
		direction: 'outbound',
		messageType: 'TYPE_EMAIL',
		date: anchor - 3 * HOUR,
		body: htmlToText(answer),
		source: 'app',
		userId: 'user-billing',
		attachments: [`${FILES_HOST}/invoices/INV-4821.pdf`],
		email: {
			id: DEMO.emailId,
			subject: 'Re: Question about invoice INV-4821',
			html: answer,
			from: BUSINESS_EMAIL,
			to: [contact.email ?? person.email],
			cc: ['accounts@summit-dental.example'],
		},
	});
}

function demoCall(state: SandboxState, anchor: number, people: People, random: Random): void {
	const person: Person = { firstName: 'Marcus', lastName: 'Reed', email: 'marcus.reed@example.net', phone: '+13055550142' };
	const contact = demoContact(state, people, DEMO.callContactId, person, anchor - 30 * DAY);
	const conversation = state.addConversation({
		id: DEMO.callConversationId,
		contactId: contact.id,
		type: 'TYPE_PHONE',
		channel: 'SMS',
		topic: 'appointment',
		assignedTo: 'user-sales',
		date: anchor - 5 * DAY,
	});
	state.addMessage(conversation, {
		direction: 'inbound',
		messageType: 'TYPE_SMS',
		date: anchor - 5 * DAY,
		body: 'Hi, do you have any appointment slots this week? My heat pump needs a checkup.',
		countUnread: false,
	});
	state.addMessage(conversation, {
		direction: 'outbound',
		messageType: 'TYPE_SMS',
		date: anchor - 5 * DAY + HOUR,
		body: 'Hi Marcus! We have Thursday at 10:30 am or Friday at 2:30 pm. Which works best for you?',
		source: 'app',
		userId: 'user-sales',
	});
	const vars: TextVars = {
		first: 'Marcus',
		agent: 'Sam',
		order: '31877',
		invoice: 'INV-5120',
		amount: '189.00',
		product: 'heat pump',
		day: 'Friday',
		time: '2:30 pm',
		company: BUSINESS_NAME,
	};
	const transcription = transcriptFrom(callScript('appointment', vars), random);
	state.addMessage(conversation, {
		id: DEMO.callMessageId,
		direction: 'inbound',
		messageType: 'TYPE_CALL',
		date: anchor - DAY - 2 * HOUR,
		body: '',
		status: callMessageStatus('completed'),
		meta: { callDuration: 184, callStatus: 'completed' },
		hasRecording: true,
		transcription,
		countUnread: false,
	});
	state.addMessage(conversation, {
		direction: 'outbound',
		messageType: 'TYPE_SMS',
		date: anchor - DAY,
		body: fill(AUTOMATED.appointment[0], vars),
		source: 'workflow',
	});
}

function demoReview(state: SandboxState, anchor: number, people: People): void {
	const person: Person = { firstName: 'Daniel', lastName: 'Kim', email: 'daniel.kim@example.com', phone: '+15035550163' };
	const contact = demoContact(state, people, DEMO.reviewContactId, person, anchor - 10 * DAY);
	const conversation = state.addConversation({
		id: DEMO.reviewConversationId,
		contactId: contact.id,
		type: 'TYPE_REVIEW',
		channel: 'GMB',
		topic: 'review',
		assignedTo: 'user-support',
		date: anchor - 2 * DAY - HOUR,
	});
	state.addMessage(conversation, {
		id: DEMO.reviewMessageId,
		direction: 'inbound',
		messageType: 'TYPE_REVIEW',
		date: anchor - 2 * DAY - HOUR,
		body: '★★★★☆ Quick and friendly service for our dishwasher repair. Only wish booking the appointment had been easier.',
	});
}

function demoLiveChat(state: SandboxState, anchor: number, people: People): void {
	const person: Person = { firstName: 'Emma', lastName: 'Lopez', email: 'emma.lopez@example.com', phone: '+15125550119' };
	const contact = demoContact(state, people, DEMO.liveChatContactId, person, anchor - 50 * MINUTE);
	const conversation = state.addConversation({
		id: DEMO.liveChatConversationId,
		contactId: contact.id,
		type: 'TYPE_PHONE',
		channel: 'LiveChat',
		topic: 'quote',
		assignedTo: 'user-sales',
		date: anchor - 45 * MINUTE,
		visitorId: DEMO.liveChatVisitorId,
	});
	const chat = { messageType: 'TYPE_LIVE_CHAT', chatWidgetId: CHAT_WIDGET_ID } as const;
	state.addMessage(conversation, {
		...chat,
		direction: 'inbound',
		date: anchor - 45 * MINUTE,
		body: 'Hi! How much would it cost to install a smart thermostat? Could you send me a quote?',
		countUnread: false,
	});
	state.addMessage(conversation, {
		...chat,
		direction: 'outbound',
		date: anchor - 44 * MINUTE,
		body: fill(AUTOMATED.quote[0], { ...textVars(new Random(1), 'Emma', 'Sam'), company: BUSINESS_NAME }),
		source: 'workflow',
	});
	state.addMessage(conversation, {
		...chat,
		direction: 'inbound',
		date: anchor - 38 * MINUTE,
		body: 'Great, I am around for the next hour if you have questions about the price.',
	});
}
