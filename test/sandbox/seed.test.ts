import { CHANNELS, createSandbox, DEMO, USERS, type Sandbox, type SandboxState } from '../../sandbox';
import { fakeClock } from './helpers';

/** Everything the seed decides, as one comparable value. */
function snapshot(state: SandboxState) {
	return {
		contacts: [...state.contacts.values()],
		conversations: [...state.conversations.values()],
		messages: [...state.messages.values()],
		emails: [...state.emails.values()],
		subscriptions: [...state.subscriptions.entries()].map(([id, byEmail]) => [id, [...byEmail.entries()].map(([e, s]) => [e, [...s]])]),
	};
}

describe('sandbox: seed data', () => {
	const clock = fakeClock();
	let sandbox: Sandbox;
	let state: SandboxState;

	beforeAll(async () => {
		sandbox = await createSandbox({ now: clock.now, rateLimit: false });
		state = sandbox.state;
	});
	afterAll(() => sandbox.close());

	it('is reproducible: same seed → same data, another seed → other data', async () => {
		const same = await createSandbox({ now: clock.now, rateLimit: false, seed: 1 });
		const other = await createSandbox({ now: clock.now, rateLimit: false, seed: 2 });
		try {
			expect(snapshot(same.state)).toEqual(snapshot(state));
			const a = snapshot(other.state);
			const b = snapshot(state);
			expect(a.conversations.map((c) => c.id)).not.toEqual(b.conversations.map((c) => c.id));
			expect(a.messages.map((m) => m.body)).not.toEqual(b.messages.map((m) => m.body));
			// The DEMO conversations are the same for every seed.
			expect(other.state.messagesOf(DEMO.callConversationId).map((m) => m.body)).toEqual(
				state.messagesOf(DEMO.callConversationId).map((m) => m.body),
			);
		} finally {
			await Promise.all([same.close(), other.close()]);
		}
	});

	it('has 300 conversations by default over every channel, 1-12 messages each, over ~60 days', () => {
		expect(state.conversations.size).toBe(300);
		const channels = new Set(state.listConversations().map((c) => c.channel));
		expect([...channels].sort()).toEqual(Object.keys(CHANNELS).sort());
		const types = new Set([...state.messages.values()].map((m) => m.messageType));
		for (const type of [
			'TYPE_SMS',
			'TYPE_CALL',
			'TYPE_EMAIL',
			'TYPE_FACEBOOK',
			'TYPE_INSTAGRAM',
			'TYPE_WHATSAPP',
			'TYPE_LIVE_CHAT',
			'TYPE_REVIEW',
		]) {
			expect(types).toContain(type);
		}
		for (const conversation of state.listConversations()) {
			const count = state.messagesOf(conversation.id).filter((m) => m.status !== 'scheduled').length;
			expect(count).toBeGreaterThanOrEqual(1);
			expect(count).toBeLessThanOrEqual(23);
			expect(conversation.lastMessageDate).toBeLessThanOrEqual(clock.now());
			expect(clock.now() - conversation.dateAdded).toBeLessThanOrEqual(63 * 86_400_000);
		}
		const directions = new Set([...state.messages.values()].map((m) => m.direction));
		expect(directions).toEqual(new Set(['inbound', 'outbound']));
	});

	it('has realistic contacts, a few starred and unread, assigned among the three users', () => {
		expect(USERS.map((user) => [user.id, user.name])).toEqual([
			['user-sales', 'Sam Sales'],
			['user-support', 'Sue Support'],
			['user-billing', 'Bill Billing'],
		]);
		const conversations = state.listConversations();
		const assignees = new Set(conversations.map((c) => c.assignedTo));
		expect(assignees).toEqual(new Set(['user-sales', 'user-support', 'user-billing', undefined]));
		const starred = conversations.filter((c) => c.starred).length;
		const unread = conversations.filter((c) => c.unreadCount > 0).length;
		expect(starred).toBeGreaterThan(2);
		expect(starred).toBeLessThan(60);
		expect(unread).toBeGreaterThan(5);
		expect(unread).toBeLessThan(150);
		const contacts = [...state.contacts.values()];
		expect(contacts.length).toBeGreaterThan(300);
		expect(new Set(contacts.map((c) => c.email).filter(Boolean)).size).toBe(contacts.filter((c) => c.email).length);
		for (const contact of contacts) {
			expect(contact.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
			if (contact.email) expect(contact.email).toMatch(/^[a-z.0-9]+@[a-z.-]+$/);
			if (contact.phone) expect(contact.phone).toMatch(/^\+1\d{10}$/);
		}
		expect(state.contactByEmail('OLIVIA.BENNETT@example.com')?.id).toBe(DEMO.smsContactId);
		expect(state.contactByPhone('(305) 555-0142')?.id).toBe(DEMO.callContactId);
	});

	it('has message texts with the keywords templates route on', () => {
		const bodies = [...state.messages.values()].map((m) => m.body.toLowerCase());
		for (const keyword of ['refund', 'invoice', 'payment', 'price', 'quote', 'appointment', 'booking', 'cancel', 'broken', 'help']) {
			expect(bodies.filter((body) => body.includes(keyword)).length).toBeGreaterThan(3);
		}
	});

	it('has calls with recordings and transcriptions, and emails with email records', () => {
		const recorded = [...state.messages.values()].filter((m) => m.messageType === 'TYPE_CALL' && m.hasRecording && m.transcription?.length);
		expect(recorded.length).toBeGreaterThan(5);
		const emails = [...state.messages.values()].filter((m) => m.messageType === 'TYPE_EMAIL');
		expect(emails.length).toBeGreaterThan(20);
		for (const message of emails) {
			const email = state.email(message.emailId!);
			expect(email).toMatchObject({ messageId: message.id, conversationId: message.conversationId, subject: expect.any(String) });
			expect(message.meta?.email?.messageIds).toEqual([email!.id]);
		}
	});

	it("lists a conversation's messages oldest first in the state (the API answers newest first)", () => {
		const messages = state.messagesOf(DEMO.smsConversationId);
		expect(messages[0].body).toMatch(/^Hi, I ordered a robot vacuum/);
		expect(messages.map((m) => m.id).slice(-2)).toEqual([DEMO.smsRefundMessageId, DEMO.scheduledMessageId]);
		const dates = messages.map((m) => m.dateAdded);
		expect(dates).toEqual([...dates].sort((a, b) => a - b));
		expect(state.messagesOf('nope')).toEqual([]);
	});

	it('has the DEMO conversations', () => {
		expect(state.conversation(DEMO.callConversationId)).toMatchObject({ contactId: DEMO.callContactId, type: 'TYPE_PHONE' });
		expect(state.message(DEMO.callMessageId)).toMatchObject({ messageType: 'TYPE_CALL', hasRecording: true });
		expect(state.conversation(DEMO.emailConversationId)).toMatchObject({ type: 'TYPE_EMAIL', starred: true });
		expect(state.email(DEMO.emailId)).toMatchObject({ messageId: DEMO.emailMessageId, subject: 'Re: Question about invoice INV-4821' });
		expect(state.conversation(DEMO.reviewConversationId)).toMatchObject({ type: 'TYPE_REVIEW', unreadCount: 1 });
		expect(state.message(DEMO.reviewMessageId)?.body).toMatch(/^★★★★☆ /);
		expect(state.conversation(DEMO.liveChatConversationId)).toMatchObject({ visitorId: DEMO.liveChatVisitorId });
		expect(state.conversation(DEMO.smsConversationId)).toMatchObject({ unreadCount: 2, lastMessageId: DEMO.smsRefundMessageId });
		expect(state.message(DEMO.scheduledMessageId)?.status).toBe('scheduled');
		expect(state.contact(DEMO.newContactId)).toBeDefined();
		expect(state.conversationOfContact(DEMO.newContactId)).toBeUndefined();
		expect(state.customSubtype(DEMO.customSubtypeId)).toMatchObject({ name: 'Newsletter', channel: 'email' });
	});

	it('seeds as many conversations as asked', async () => {
		const small = await createSandbox({ now: clock.now, rateLimit: false, conversations: 12 });
		const tiny = await createSandbox({ now: clock.now, rateLimit: false, conversations: 2 });
		try {
			expect(small.state.conversations.size).toBe(12);
			expect(small.state.conversation(DEMO.liveChatConversationId)).toBeDefined();
			expect(tiny.state.listConversations().map((c) => c.id)).toEqual([DEMO.smsConversationId, DEMO.emailConversationId]);
		} finally {
			await Promise.all([small.close(), tiny.close()]);
		}
	});
});
