import { DEMO, type Sandbox } from '../../sandbox';
import { newSandbox, type Client } from './helpers';

describe('sandbox: conversations', () => {
	let sandbox: Sandbox;
	let api: Client;

	beforeEach(async () => {
		({ sandbox, api } = await newSandbox({ conversations: 30 }));
	});
	afterEach(() => sandbox.close());

	it('gets a conversation (type as a number)', async () => {
		const response = await api.get(`/conversations/${DEMO.emailConversationId}`);
		expect(response.statusCode).toBe(200);
		expect(response.json()).toMatchObject({
			id: DEMO.emailConversationId,
			contactId: DEMO.emailContactId,
			locationId: sandbox.locationId,
			deleted: false,
			inbox: true,
			type: 2,
			unreadCount: 0,
			starred: true,
			assignedTo: 'user-billing',
			fullName: 'Priya Shah',
			email: 'priya.shah@example.org',
		});
		expect((await api.get(`/conversations/${DEMO.callConversationId}`)).json().type).toBe(1);
		expect((await api.get(`/conversations/${DEMO.reviewConversationId}`)).json().type).toBe(4);
	});

	it('updates unreadCount, starred and feedback', async () => {
		const response = await api.put(`/conversations/${DEMO.smsConversationId}`, {
			locationId: sandbox.locationId,
			unreadCount: 0,
			starred: true,
			feedback: { rating: 5 },
		});
		expect(response.statusCode).toBe(200);
		expect(response.json()).toEqual({
			success: true,
			conversation: expect.objectContaining({
				id: DEMO.smsConversationId,
				locationId: sandbox.locationId,
				contactId: DEMO.smsContactId,
				unreadCount: 0,
				starred: true,
				deleted: false,
				inbox: true,
				feedback: { rating: 5 },
				lastMessageDate: expect.stringMatching(/^\d+$/),
			}),
		});
		expect(sandbox.state.conversation(DEMO.smsConversationId)).toMatchObject({ unreadCount: 0, starred: true });
		const unread = await api.search({ status: 'unread', id: DEMO.smsConversationId });
		expect(unread.json().total).toBe(0);

		const noLocation = await api.put(`/conversations/${DEMO.smsConversationId}`, { starred: false });
		expect(noLocation.statusCode).toBe(422);
		const badType = await api.put(`/conversations/${DEMO.smsConversationId}`, { locationId: sandbox.locationId, starred: 'yes' });
		expect(badType.statusCode).toBe(422);
		const unknown = await api.put('/conversations/nope', { locationId: sandbox.locationId, starred: true });
		expect(unknown.json()).toEqual({ statusCode: 404, message: 'Conversation not found' });
	});

	it('deletes a conversation and its messages; then answers 404', async () => {
		const messageIds = sandbox.state.messagesOf(DEMO.callConversationId).map((m) => m.id);
		const deleted = await api.delete(`/conversations/${DEMO.callConversationId}`);
		expect(deleted.statusCode).toBe(200);
		expect(deleted.json()).toEqual({ success: true });

		const gone = await api.get(`/conversations/${DEMO.callConversationId}`);
		expect(gone.statusCode).toBe(404);
		expect(gone.json()).toEqual({ statusCode: 404, message: 'Conversation not found' });
		expect((await api.get(`/conversations/${DEMO.callConversationId}/messages`)).statusCode).toBe(404);
		expect((await api.get(`/conversations/messages/${DEMO.callMessageId}`)).json()).toEqual({
			statusCode: 404,
			message: 'Message not found',
		});
		expect(messageIds.every((id) => sandbox.state.message(id) === undefined)).toBe(true);
		expect((await api.search({ id: DEMO.callConversationId })).json()).toEqual({ conversations: [], total: 0 });
		expect((await api.delete(`/conversations/${DEMO.callConversationId}`)).statusCode).toBe(404);
		// The contact stays, and can start a new conversation.
		expect(sandbox.state.contact(DEMO.callContactId)).toBeDefined();
	});

	it('creates a conversation (201), once per contact', async () => {
		const created = await api.post('/conversations/', { locationId: sandbox.locationId, contactId: DEMO.newContactId });
		expect(created.statusCode).toBe(201);
		const body = created.json();
		expect(body).toEqual({
			success: true,
			conversation: {
				id: expect.any(String),
				dateUpdated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
				dateAdded: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
				deleted: false,
				contactId: DEMO.newContactId,
				locationId: sandbox.locationId,
				lastMessageDate: expect.any(String),
			},
		});
		const row = (await api.search({ id: body.conversation.id })).json();
		expect(row.total).toBe(1);

		const again = await api.post('/conversations/', { locationId: sandbox.locationId, contactId: DEMO.newContactId });
		expect(again.statusCode).toBe(400);
		expect(again.json()).toEqual({
			statusCode: 400,
			message: 'Conversation already exists for this contact',
			conversationId: body.conversation.id,
		});
		const unknown = await api.post('/conversations/', { locationId: sandbox.locationId, contactId: 'nobody' });
		expect(unknown.json()).toEqual({ statusCode: 404, message: 'Contact not found' });
		const missing = await api.post('/conversations/', { locationId: sandbox.locationId });
		expect(missing.statusCode).toBe(422);
		expect(missing.json()).toEqual({ statusCode: 422, message: ['contactId should not be empty'], error: 'Unprocessable Entity' });
	});
});

describe('sandbox: auth, Version header and location', () => {
	let sandbox: Sandbox;
	let api: Client;

	beforeAll(async () => {
		({ sandbox, api } = await newSandbox({ conversations: 10, token: 'my-token', locationId: 'loc-1' }));
	});
	afterAll(() => sandbox.close());

	it('refuses a missing or wrong bearer token with UnauthorizedDTO (401)', async () => {
		for (const headers of [{ authorization: undefined }, { authorization: 'Bearer sandbox-token' }, { authorization: 'my-token' }]) {
			const response = await api.get(`/conversations/${DEMO.smsConversationId}`, {}, { headers });
			expect(response.statusCode).toBe(401);
			expect(response.json()).toEqual({ statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' });
		}
		expect((await api.get(`/conversations/${DEMO.smsConversationId}`)).statusCode).toBe(200);
	});

	it('refuses a missing or unknown Version header (400)', async () => {
		const missing = await api.get(`/conversations/${DEMO.smsConversationId}`, {}, { noVersion: true });
		expect(missing.statusCode).toBe(400);
		expect(missing.json()).toEqual({ statusCode: 400, message: 'Version header was not found' });
		const wrong = await api.get(`/conversations/${DEMO.smsConversationId}`, {}, { headers: { version: '2021-07-28' } });
		expect(wrong.statusCode).toBe(400);
		expect(wrong.json()).toEqual({ statusCode: 400, message: expect.stringContaining('Version header is invalid') });
		const emailById = await api.get(`/conversations/messages/email/${DEMO.emailId}`, {}, { noVersion: true });
		expect(emailById.statusCode).toBe(400);
	});

	it('refuses another location in the query, the body or the path (403)', async () => {
		const forbidden = { statusCode: 403, message: 'The token does not have access to this location' };
		const inQuery = await api.get('/conversations/search', { locationId: 'loc-2' });
		const inBody = await api.post('/conversations/', { locationId: 'loc-2', contactId: DEMO.newContactId });
		const inPath = await api.get(`/conversations/locations/loc-2/messages/${DEMO.callMessageId}/transcription`);
		const inForm = await api.get('/conversations/preferences/custom-subtypes', { locationId: 'sandbox-location' });
		for (const response of [inQuery, inBody, inPath, inForm]) {
			expect(response.statusCode).toBe(403);
			expect(response.json()).toEqual(forbidden);
		}
		expect((await api.get(`/conversations/locations/loc-1/messages/${DEMO.callMessageId}/transcription`)).statusCode).toBe(200);
	});

	it('answers unknown routes with 404, and /sandbox/health without a token', async () => {
		const unknown = await api.get('/conversations/messages/email');
		expect(unknown.statusCode).toBe(404);
		const health = await api.get('/sandbox/health', {}, { noAuth: true, noVersion: true });
		expect(health.statusCode).toBe(200);
		expect(health.json()).toMatchObject({ status: 'ok', locationId: 'loc-1', conversations: 10 });
	});

	it('answers malformed JSON with 400 and tolerates an empty JSON body', async () => {
		const malformed = await api.call({
			method: 'POST',
			url: '/conversations/',
			body: '{"locationId": ',
			headers: { 'content-type': 'application/json' },
		});
		expect(malformed.statusCode).toBe(400);
		expect(malformed.json()).toEqual({ statusCode: 400, message: expect.stringContaining('Invalid JSON body') });
		const emptyDelete = await api.call({
			method: 'DELETE',
			url: '/conversations/messages/nope/schedule',
			headers: { 'content-type': 'application/json' },
		});
		expect(emptyDelete.statusCode).toBe(404);
	});
});
