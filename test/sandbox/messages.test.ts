import { DEMO, type Sandbox } from '../../sandbox';
import { fakeClock, newSandbox, type Client, type Row } from './helpers';

interface MessageJson {
	id: string;
	type: number;
	messageType: string;
	direction: string;
	status: string;
	body: string;
	dateAdded: string;
	conversationId: string;
	[key: string]: unknown;
}

interface MessagePage {
	messages: { lastMessageId?: string; nextPage: boolean; messages: MessageJson[] };
}

describe('sandbox: messages', () => {
	let sandbox: Sandbox;
	let api: Client;
	let clock: ReturnType<typeof fakeClock>;

	beforeEach(async () => {
		({ sandbox, api, clock } = await newSandbox({ conversations: 60 }));
	});
	afterEach(() => sandbox.close());

	const messagesOf = async (conversationId: string, query: Record<string, string | number | undefined> = {}) => {
		const response = await api.get(`/conversations/${conversationId}/messages`, query);
		expect(response.statusCode).toBe(200);
		return (response.json() as MessagePage).messages;
	};
	const topOfSearch = async () => ((await api.search({ limit: 1 })).json() as { conversations: Row[] }).conversations[0];

	it('sends a message: it is the newest of the conversation, which comes first in search', async () => {
		expect((await topOfSearch()).id).not.toBe(DEMO.callConversationId);
		clock.advance(60_000);
		const sent = await api.post('/conversations/messages', {
			type: 'SMS',
			contactId: DEMO.callContactId,
			message: 'Your appointment is confirmed for Friday at 2:30 pm.',
		});
		expect(sent.statusCode).toBe(200);
		const body = sent.json();
		expect(body).toEqual({
			conversationId: DEMO.callConversationId,
			messageId: expect.any(String),
			messageIds: [body.messageId],
			msg: 'Message queued successfully.',
			status: 'delivered',
		});

		const page = await messagesOf(DEMO.callConversationId);
		expect(page.messages[0]).toMatchObject({
			id: body.messageId,
			messageType: 'TYPE_SMS',
			type: 2,
			direction: 'outbound',
			body: 'Your appointment is confirmed for Friday at 2:30 pm.',
			source: 'api',
			conversationId: DEMO.callConversationId,
		});
		const top = await topOfSearch();
		expect(top).toMatchObject({
			id: DEMO.callConversationId,
			lastMessageBody: 'Your appointment is confirmed for Friday at 2:30 pm.',
			lastMessageType: 'TYPE_SMS',
			lastMessageDirection: 'outbound',
			lastMessageDate: clock.now(),
			dateUpdated: clock.now(),
		});
		const single = await api.get(`/conversations/messages/${body.messageId}`);
		expect(single.json()).toMatchObject({ id: body.messageId, dateAdded: new Date(clock.now()).toISOString() });
	});

	it('sends an email: emailMessageId, and the email is readable by its id', async () => {
		const sent = await api.post('/conversations/messages', {
			type: 'Email',
			contactId: DEMO.emailContactId,
			subject: 'Your corrected invoice',
			html: '<p>Hi Priya, here is the corrected <b>invoice</b>.</p>',
			emailCc: ['accounts@summit-dental.example'],
		});
		expect(sent.statusCode).toBe(200);
		const { emailMessageId, messageId, conversationId } = sent.json();
		expect(conversationId).toBe(DEMO.emailConversationId);
		expect(emailMessageId).toEqual(expect.any(String));
		const email = await api.get(`/conversations/messages/email/${emailMessageId}`);
		expect(email.statusCode).toBe(200);
		expect(email.json()).toMatchObject({
			id: emailMessageId,
			conversationId: DEMO.emailConversationId,
			contactId: DEMO.emailContactId,
			locationId: sandbox.locationId,
			threadId: expect.any(String),
			subject: 'Your corrected invoice',
			body: '<p>Hi Priya, here is the corrected <b>invoice</b>.</p>',
			contentType: 'text/html',
			direction: 'outbound',
			to: ['priya.shah@example.org'],
			cc: ['accounts@summit-dental.example'],
			from: expect.any(String),
			dateAdded: expect.any(String),
		});
		const message = (await api.get(`/conversations/messages/${messageId}`)).json();
		expect(message).toMatchObject({
			messageType: 'TYPE_EMAIL',
			body: 'Hi Priya, here is the corrected invoice.',
			meta: { email: { messageIds: [emailMessageId] } },
		});
		const demo = await api.get(`/conversations/messages/email/${DEMO.emailId}`);
		expect(demo.json()).toMatchObject({ id: DEMO.emailId, subject: 'Re: Question about invoice INV-4821' });
	});

	it('starts a conversation for a contact that has none', async () => {
		expect(sandbox.state.conversationOfContact(DEMO.newContactId)).toBeUndefined();
		const sent = await api.post('/conversations/messages', { type: 'WhatsApp', contactId: DEMO.newContactId, message: 'Hi Noah!' });
		expect(sent.statusCode).toBe(200);
		const conversation = sandbox.state.conversationOfContact(DEMO.newContactId);
		expect(conversation?.id).toBe(sent.json().conversationId);
		expect(sandbox.state.messagesOf(conversation!.id).map((m) => m.body)).toEqual(['Hi Noah!']);
	});

	it('refuses an unknown contact (404) and a message without content (422)', async () => {
		const unknown = await api.post('/conversations/messages', { type: 'SMS', contactId: 'nobody', message: 'Hi' });
		expect(unknown.statusCode).toBe(404);
		expect(unknown.json()).toEqual({ statusCode: 404, message: 'Contact not found' });
		const empty = await api.post('/conversations/messages', { type: 'SMS', contactId: DEMO.smsContactId });
		expect(empty.statusCode).toBe(422);
		expect(empty.json().message).toEqual(['message should not be empty']);
		const badType = await api.post('/conversations/messages', { type: 'Pigeon', contactId: DEMO.smsContactId, message: 'x' });
		expect(badType.statusCode).toBe(422);
	});

	it('schedules a message, cancels it, and delivers one when its time comes', async () => {
		const inOneHour = Math.floor((clock.now() + 3_600_000) / 1000);
		const scheduled = await api.post('/conversations/messages', {
			type: 'SMS',
			contactId: DEMO.callContactId,
			message: 'Reminder: see you tomorrow!',
			scheduledTimestamp: inOneHour,
		});
		expect(scheduled.json()).toMatchObject({ status: 'pending', msg: 'Message scheduled successfully.' });
		const { messageId } = scheduled.json();
		expect((await api.get(`/conversations/messages/${messageId}`)).json().status).toBe('scheduled');
		expect((await topOfSearch()).id).not.toBe(DEMO.callConversationId);

		const cancelled = await api.delete(`/conversations/messages/${messageId}/schedule`);
		expect(cancelled.statusCode).toBe(200);
		expect(cancelled.json()).toEqual({ status: 200, message: 'Scheduled message cancelled successfully' });
		expect((await api.get(`/conversations/messages/${messageId}`)).statusCode).toBe(404);
		expect((await api.delete(`/conversations/messages/${messageId}/schedule`)).statusCode).toBe(404);

		const notScheduled = await api.delete(`/conversations/messages/${DEMO.callMessageId}/schedule`);
		expect(notScheduled.statusCode).toBe(400);

		const again = await api.post('/conversations/messages', {
			type: 'SMS',
			contactId: DEMO.callContactId,
			message: 'Reminder: see you tomorrow!',
			scheduledTimestamp: inOneHour,
		});
		clock.advance(3_600_000);
		const delivered = (await api.get(`/conversations/messages/${again.json().messageId}`)).json();
		expect(delivered).toMatchObject({ status: 'delivered', dateAdded: new Date(inOneHour * 1000).toISOString() });
		expect((await topOfSearch()).id).toBe(DEMO.callConversationId);
	});

	it('cancels a scheduled email by its emailMessageId', async () => {
		const scheduled = await api.post('/conversations/messages', {
			type: 'Email',
			contactId: DEMO.emailContactId,
			subject: 'Payment reminder',
			message: 'Invoice INV-4821 is due next week.',
			scheduledTimestamp: Math.floor(clock.now() / 1000) + 86_400,
		});
		const { emailMessageId, messageId } = scheduled.json();
		expect((await api.get(`/conversations/messages/email/${emailMessageId}`)).json().status).toBe('scheduled');
		const cancelled = await api.delete(`/conversations/messages/email/${emailMessageId}/schedule`);
		expect(cancelled.statusCode).toBe(200);
		expect((await api.get(`/conversations/messages/email/${emailMessageId}`)).statusCode).toBe(404);
		expect(sandbox.state.message(messageId)).toBeUndefined();
		expect((await api.delete('/conversations/messages/email/nope/schedule')).json()).toEqual({
			statusCode: 404,
			message: 'Email not found',
		});
	});

	it('pages a conversation with lastMessageId, newest first, without gaps or repeats', async () => {
		for (let i = 0; i < 23; i++) {
			clock.advance(1000);
			await api.post('/conversations/messages', { type: 'SMS', contactId: DEMO.smsContactId, message: `Update ${i}` });
		}
		const expected = sandbox.state
			.messagesOf(DEMO.smsConversationId)
			.map((m) => m.id)
			.reverse();
		expect(expected.length).toBe(28);
		const first = await messagesOf(DEMO.smsConversationId);
		expect(first.messages).toHaveLength(20);
		const seen: string[] = [];
		let lastMessageId: string | undefined;
		let pages = 0;
		for (;;) {
			const page = await messagesOf(DEMO.smsConversationId, { limit: 6, lastMessageId });
			pages++;
			seen.push(...page.messages.map((m) => m.id));
			expect(page.lastMessageId).toBe(page.messages[page.messages.length - 1].id);
			if (!page.nextPage) break;
			lastMessageId = page.lastMessageId;
		}
		expect(pages).toBe(5);
		expect(seen).toEqual(expected);
		const dates = seen.map((id) => sandbox.state.message(id)!.dateAdded);
		expect(dates).toEqual([...dates].sort((a, b) => b - a));
		const bad = await api.get(`/conversations/${DEMO.smsConversationId}/messages`, { lastMessageId: DEMO.callMessageId });
		expect(bad.statusCode).toBe(400);
	});

	it('filters messages by type', async () => {
		const calls = await messagesOf(DEMO.callConversationId, { type: 'TYPE_CALL' });
		expect(calls.messages.map((m) => m.id)).toEqual([DEMO.callMessageId]);
		expect(calls.nextPage).toBe(false);
		const both = await messagesOf(DEMO.callConversationId, { type: 'TYPE_CALL,TYPE_SMS' });
		expect(both.messages).toHaveLength(4);
		expect((await api.get('/conversations/nope/messages')).json()).toEqual({ statusCode: 404, message: 'Conversation not found' });
	});

	it('exports with an opaque cursor until the last page', async () => {
		const nonEmail = [...sandbox.state.messages.values()].filter((m) => m.messageType !== 'TYPE_EMAIL');
		const seen: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const response = await api.get('/conversations/messages/export', { locationId: sandbox.locationId, limit: 50, cursor });
			expect(response.statusCode).toBe(200);
			const body = response.json() as { messages: MessageJson[]; nextCursor?: string; total: number };
			expect(body.total).toBe(nonEmail.length);
			seen.push(...body.messages.map((m) => m.id));
			cursor = body.nextCursor;
			if (cursor) expect(Buffer.from(cursor, 'base64').toString('base64')).toBe(cursor);
			pages++;
		} while (cursor);
		expect(pages).toBe(Math.ceil(nonEmail.length / 50));
		expect(new Set(seen).size).toBe(seen.length);
		expect(new Set(seen)).toEqual(new Set(nonEmail.map((m) => m.id)));
		const dates = seen.map((id) => sandbox.state.message(id)!.dateAdded);
		expect(dates).toEqual([...dates].sort((a, b) => b - a));
	});

	it('exports by channel, conversation, dates and ascending order, and checks its parameters', async () => {
		const get = (query: Record<string, string | number>) =>
			api.get('/conversations/messages/export', { locationId: sandbox.locationId, ...query });
		const emails = (await get({ channel: 'Email', limit: 500 })).json();
		expect(emails.total).toBe([...sandbox.state.messages.values()].filter((m) => m.messageType === 'TYPE_EMAIL').length);
		expect(emails.messages.every((m: MessageJson) => m.messageType === 'TYPE_EMAIL')).toBe(true);
		const calls = (await get({ channel: 'Call', conversationId: DEMO.callConversationId })).json();
		expect(calls.messages.map((m: MessageJson) => m.id)).toEqual([DEMO.callMessageId]);
		expect(calls.nextCursor).toBeUndefined();
		const asc = (await get({ conversationId: DEMO.smsConversationId, sortOrder: 'asc' })).json();
		const ascDates = asc.messages.map((m: MessageJson) => Date.parse(m.dateAdded));
		expect(ascDates).toEqual([...ascDates].sort((a, b) => a - b));
		const since = new Date(clock.now() - 86_400_000).toISOString();
		const recent = (await get({ startDate: since, limit: 500 })).json();
		expect(recent.messages.every((m: MessageJson) => m.dateAdded >= since)).toBe(true);

		expect((await get({ limit: 5 })).statusCode).toBe(422);
		expect((await get({ limit: 501 })).statusCode).toBe(422);
		expect((await get({ cursor: 'not-a-cursor' })).statusCode).toBe(400);
	});

	it('adds inbound messages (unread count goes up) and outbound calls', async () => {
		const before = sandbox.state.conversation(DEMO.callConversationId)!.unreadCount;
		const inbound = await api.post('/conversations/messages/inbound', {
			type: 'SMS',
			conversationId: DEMO.callConversationId,
			contactId: DEMO.callContactId,
			conversationProviderId: DEMO.conversationProviderId,
			message: 'Can we move it to 3 pm?',
		});
		expect(inbound.statusCode).toBe(200);
		expect(inbound.json()).toEqual({
			success: true,
			conversationId: DEMO.callConversationId,
			messageId: expect.any(String),
			message: 'Message added successfully',
			contactId: DEMO.callContactId,
			dateAdded: new Date(clock.now()).toISOString(),
		});
		const conversation = (await api.get(`/conversations/${DEMO.callConversationId}`)).json();
		expect(conversation).toMatchObject({
			unreadCount: before + 1,
			lastMessageDirection: 'inbound',
			lastMessageBody: 'Can we move it to 3 pm?',
		});

		const call = await api.post('/conversations/messages/outbound', {
			type: 'Call',
			conversationId: DEMO.callConversationId,
			conversationProviderId: DEMO.conversationProviderId,
			call: { from: '+15125550100', to: '+13055550142', status: 'completed' },
		});
		expect(call.statusCode).toBe(200);
		const message = (await api.get(`/conversations/messages/${call.json().messageId}`)).json();
		expect(message).toMatchObject({ messageType: 'TYPE_CALL', direction: 'outbound', meta: { callStatus: 'completed' } });
		const recording = await api.get(`/conversations/messages/${message.id}/locations/${sandbox.locationId}/recording`);
		expect(recording.statusCode).toBe(200);

		const missing = await api.post('/conversations/messages/inbound', {
			type: 'SMS',
			conversationId: DEMO.callConversationId,
			message: 'x',
		});
		expect(missing.statusCode).toBe(422);
		expect(missing.json().message).toEqual(['contactId should not be empty', 'conversationProviderId should not be empty']);
		const unknown = await api.post('/conversations/messages/inbound', {
			type: 'SMS',
			conversationId: 'nope',
			contactId: DEMO.callContactId,
			conversationProviderId: 'p',
			message: 'x',
		});
		expect(unknown.json()).toEqual({ statusCode: 404, message: 'Conversation not found' });
	});

	it('adds an inbound email with its email record, in the thread it answers', async () => {
		const inbound = await api.post('/conversations/messages/inbound', {
			type: 'Email',
			conversationId: DEMO.emailConversationId,
			contactId: DEMO.emailContactId,
			conversationProviderId: DEMO.conversationProviderId,
			html: '<p>Thanks, the corrected invoice looks right. Payment follows on Friday.</p>',
			emailMessageId: DEMO.emailId,
		});
		expect(inbound.statusCode).toBe(200);
		const { emailMessageId, messageId } = inbound.json();
		const email = (await api.get(`/conversations/messages/email/${emailMessageId}`)).json();
		const answered = (await api.get(`/conversations/messages/email/${DEMO.emailId}`)).json();
		expect(email).toMatchObject({
			direction: 'inbound',
			subject: 'Re: Question about invoice INV-4821',
			from: 'priya.shah@example.org',
			threadId: answered.threadId,
			replyToMessageId: DEMO.emailId,
		});
		expect((await api.get(`/conversations/messages/${messageId}`)).json().body).toBe(
			'Thanks, the corrected invoice looks right. Payment follows on Friday.',
		);
		expect(sandbox.state.conversation(DEMO.emailConversationId)?.unreadCount).toBe(1);
	});

	it('updates a message status and sets up to 5 attachments', async () => {
		const status = await api.put(`/conversations/messages/${DEMO.smsRefundMessageId}/status`, { status: 'read' });
		expect(status.json()).toEqual({ conversationId: DEMO.smsConversationId, messageId: DEMO.smsRefundMessageId, status: 'read' });
		expect(sandbox.state.message(DEMO.smsRefundMessageId)?.status).toBe('read');

		const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://files.example.com/${i}.jpg`);
		const six = await api.put(`/conversations/messages/${DEMO.smsRefundMessageId}/attachments`, { attachments: urls(6) });
		expect(six.statusCode).toBe(422);
		expect(six.json().message).toEqual(['attachments must contain no more than 5 elements']);
		const five = await api.put(`/conversations/messages/${DEMO.smsRefundMessageId}/attachments`, { attachments: urls(5) });
		expect(five.statusCode).toBe(200);
		expect(sandbox.state.message(DEMO.smsRefundMessageId)?.attachments).toEqual(urls(5));
		expect((await api.put('/conversations/messages/nope/attachments', { attachments: urls(1) })).statusCode).toBe(404);
	});

	it('updates an email status only with Version v3', async () => {
		const body = { status: 'opened', events: { clicked: 1 }, recipients: [{ emailId: 'priya.shah@example.org', status: 'opened' }] };
		const v2 = await api.put(`/conversations/messages/email/${DEMO.emailId}/status`, body);
		expect(v2.statusCode).toBe(400);
		const v3 = await api.put(`/conversations/messages/email/${DEMO.emailId}/status`, body, { headers: { version: 'v3' } });
		expect(v3.statusCode).toBe(200);
		expect(v3.json()).toEqual({ success: true, message: 'Updated email message successfully' });
		const email = (await api.get(`/conversations/messages/email/${DEMO.emailId}`)).json();
		expect(email).toMatchObject({ status: 'opened', events: { clicked: 1, opened: 1, delivered: 1, accepted: 1 } });
		const unknown = await api.put('/conversations/messages/email/nope/status', body, { headers: { version: 'v3' } });
		expect(unknown.statusCode).toBe(404);
	});

	it('replies to a review, and only to a review', async () => {
		const reply = await api.post('/conversations/messages/review-reply', {
			conversationId: DEMO.reviewConversationId,
			locationId: sandbox.locationId,
			message: 'Thank you, Daniel! We are making booking easier.',
		});
		expect(reply.statusCode).toBe(200);
		expect(reply.json()).toMatchObject({ conversationId: DEMO.reviewConversationId, messageId: expect.any(String), status: 'delivered' });
		expect(sandbox.state.messagesOf(DEMO.reviewConversationId).at(-1)).toMatchObject({ direction: 'outbound', messageType: 'TYPE_REVIEW' });
		const notReview = await api.post('/conversations/messages/review-reply', {
			conversationId: DEMO.smsConversationId,
			locationId: sandbox.locationId,
			message: 'Thanks',
		});
		expect(notReview.statusCode).toBe(400);
	});

	it('shows the live-chat typing indicator (201)', async () => {
		const typing = await api.post('/conversations/providers/live-chat/typing', {
			locationId: sandbox.locationId,
			isTyping: 'true',
			visitorId: DEMO.liveChatVisitorId,
			conversationId: DEMO.liveChatConversationId,
		});
		expect(typing.statusCode).toBe(201);
		expect(typing.json()).toEqual({ success: true });
		expect(sandbox.state.conversation(DEMO.liveChatConversationId)?.agentTyping).toBe(true);
		const bad = await api.post('/conversations/providers/live-chat/typing', {
			locationId: sandbox.locationId,
			conversationId: DEMO.liveChatConversationId,
		});
		expect(bad.statusCode).toBe(422);
	});
});
