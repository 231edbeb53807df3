import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import { BASE_URL, LOCATION_ID, OAUTH_TOKEN, credentials, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

/** The Contacts API takes another Version than the Conversations API. */
const contactsApi = () => api({ version: '2021-07-28' });

const conversation = (assignedTo?: string) => ({
	id: 'conv-1',
	contactId: 'contact-1',
	locationId: LOCATION_ID,
	fullName: 'Ann Example',
	...(assignedTo ? { assignedTo } : {}),
});

/** The contact write of an assignment to user-1, answered as the Contacts API does. */
const contactAssignedToUser1 = () =>
	contactsApi()
		.put('/contacts/contact-1', { assignedTo: 'user-1' })
		.reply(200, { succeded: true, contact: { id: 'contact-1', assignedTo: 'user-1' } });

/** An unassigned conversation read, assigned to user-1, and read again. */
const unassignedThenUser1 = () => ({
	scope: api().get('/conversations/conv-1').reply(200, conversation()).get('/conversations/conv-1').reply(200, conversation('user-1')),
	put: contactAssignedToUser1(),
});

const assign = (parameters: INodeParameters = {}) =>
	runNode({
		parameters: {
			resource: 'conversation',
			operation: 'assign',
			conversationId: rl('conv-1'),
			userId: rl('user-1'),
			...parameters,
		},
	});

/** Assign with the User given by an expression: each input item's `user`. */
const assignEachTo = (users: string[], continueOnFail = false) =>
	runNode({
		parameters: {
			resource: 'conversation',
			operation: 'assign',
			conversationId: rl('conv-1'),
			userId: { __rl: true, mode: 'id', value: '={{ $json.user }}' },
		},
		input: users.map((user) => ({ json: { user } })),
		continueOnFail,
	});

describe('Conversation > Assign', () => {
	it("reads the conversation, sets its contact's assignedTo (PUT /contacts/{id}, Version 2021-07-28) and outputs the conversation as it now reads", async () => {
		const { scope, put } = unassignedThenUser1();

		const { items, error } = await assign();

		expect(error).toBeUndefined();
		expect(scope.isDone() && put.isDone()).toBe(true);
		expect(json(items)).toEqual([
			{
				...conversation('user-1'),
				assignment: { contactId: 'contact-1', previous: null, assignedTo: 'user-1', changed: true },
			},
		]);
	});

	it('unassigns: assignedTo null', async () => {
		const scope = api()
			.get('/conversations/conv-1')
			.reply(200, conversation('user-2'))
			.get('/conversations/conv-1')
			.reply(200, conversation());
		const put = contactsApi()
			.put('/contacts/contact-1', { assignedTo: null })
			.reply(200, { succeded: true, contact: { id: 'contact-1' } });

		const { items, error } = await assign({ assignAction: 'unassign', userId: rl('') });

		expect(error).toBeUndefined();
		expect(scope.isDone() && put.isDone()).toBe(true);
		expect(json(items)).toEqual([
			{ ...conversation(), assignment: { contactId: 'contact-1', previous: 'user-2', assignedTo: null, changed: true } },
		]);
	});

	it('"Only If Unassigned": a conversation assigned to someone else is left as it is (no PUT), and the output says so', async () => {
		const scope = api().get('/conversations/conv-1').times(2).reply(200, conversation('user-2'));
		// Any PUT would be an unmatched request (nock fails it), and is recorded here.
		const put = contactsApi().put('/contacts/contact-1').reply(200, {});

		const { items, error } = await assign({ onlyIfUnassigned: true });

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(put.isDone()).toBe(false);
		expect(json(items)).toEqual([
			{
				...conversation('user-2'),
				assignment: {
					contactId: 'contact-1',
					previous: 'user-2',
					assignedTo: 'user-2',
					changed: false,
					skipped: 'already assigned to "user-2"',
				},
			},
		]);
		nock.cleanAll();
	});

	it('"Only If Unassigned": an unassigned conversation is assigned', async () => {
		const { scope, put } = unassignedThenUser1();

		const { items, error } = await assign({ onlyIfUnassigned: true });

		expect(error).toBeUndefined();
		expect(scope.isDone() && put.isDone()).toBe(true);
		expect(json(items)[0]).toMatchObject({ assignedTo: 'user-1', assignment: { changed: true, previous: null } });
	});

	it("by contact: finds the contact's most recent conversation, assigns the contact, outputs that conversation", async () => {
		const scope = api()
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, contactId: 'contact-1', limit: '1', sortBy: 'last_message_date', sort: 'desc' })
			.reply(200, { conversations: [conversation()], total: 1 })
			.get('/conversations/conv-1')
			.reply(200, conversation('user-1'));
		const put = contactAssignedToUser1();

		const { items, error } = await assign({ assignBy: 'contact', contactId: 'contact-1', conversationId: rl('') });

		expect(error).toBeUndefined();
		expect(scope.isDone() && put.isDone()).toBe(true);
		expect(json(items)).toEqual([
			{ ...conversation('user-1'), assignment: { contactId: 'contact-1', previous: null, assignedTo: 'user-1', changed: true } },
		]);
	});

	it('by contact, "Only If Unassigned": the contact\'s own record decides (GET /contacts/{id}), not the search row', async () => {
		const scope = api()
			.get('/conversations/search')
			.query(true)
			.reply(200, { conversations: [conversation()], total: 1 })
			.get('/conversations/conv-1')
			.reply(200, conversation('user-2'));
		const contact = contactsApi()
			.get('/contacts/contact-1')
			.reply(200, { contact: { id: 'contact-1', assignedTo: 'user-2' } });

		const { items, error } = await assign({ assignBy: 'contact', contactId: 'contact-1', onlyIfUnassigned: true });

		expect(error).toBeUndefined();
		expect(scope.isDone() && contact.isDone()).toBe(true);
		expect(json(items)[0]).toMatchObject({ assignment: { changed: false, skipped: 'already assigned to "user-2"' } });
	});

	it('a user given by expression is sent as it evaluates', async () => {
		api().get('/conversations/conv-1').times(2).reply(200, conversation());
		const put = contactsApi()
			.put('/contacts/contact-1', { assignedTo: 'user-from-input' })
			.reply(200, { succeded: true, contact: { id: 'contact-1', assignedTo: 'user-from-input' } });

		const { error } = await assignEachTo([' user-from-input ']);

		expect(error).toBeUndefined();
		expect(put.isDone()).toBe(true);
	});

	it('403 on the PUT names contacts.write and what to do; with Continue On Fail the other items still run', async () => {
		api().get('/conversations/conv-1').times(3).reply(200, conversation());
		const denied = contactsApi()
			.put('/contacts/contact-1', { assignedTo: 'user-denied' })
			.reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' });
		const allowed = contactsApi()
			.put('/contacts/contact-1', { assignedTo: 'user-ok' })
			.reply(200, { succeded: true, contact: { id: 'contact-1', assignedTo: 'user-ok' } });

		const { items } = await assignEachTo(['user-denied', 'user-ok'], true);

		expect(denied.isDone() && allowed.isDone()).toBe(true);
		expect(items[0].json.error).toBe(
			`Access denied (403): this operation needs the scope "contacts.write", or the token has no access to location "${LOCATION_ID}"`,
		);
		expect(items[1].json).toMatchObject({ assignment: { assignedTo: 'user-ok', changed: true } });
	});

	it('a contact that does not exist: 404 names the contact', async () => {
		api()
			.get('/conversations/search')
			.query(true)
			.reply(200, { conversations: [conversation()], total: 1 });
		contactsApi().put('/contacts/contact-1').reply(404, { statusCode: 404, message: 'Contact not found' });

		const { error } = await assign({ assignBy: 'contact', contactId: 'contact-1' });

		expect(error?.message).toBe('Contact "contact-1" was not found (404)');
	});

	it('a PUT answered 502 is sent again (a PUT is idempotent: assigning twice assigns once)', async () => {
		api().get('/conversations/conv-1').times(2).reply(200, conversation());
		const put = contactsApi()
			.put('/contacts/contact-1', { assignedTo: 'user-1' })
			.reply(502, { message: 'Bad Gateway' })
			.put('/contacts/contact-1', { assignedTo: 'user-1' })
			.reply(200, { succeded: true, contact: { id: 'contact-1', assignedTo: 'user-1' } });

		const { error, items } = await assign({ rateLimitAndRetries: { retryWaitMs: 0 } });

		expect(error).toBeUndefined();
		expect(put.isDone()).toBe(true);
		expect(json(items)[0]).toMatchObject({ assignment: { changed: true } });
	});

	it('an empty User fails before any request, naming the field', async () => {
		const { error } = await assign({ userId: { __rl: true, mode: 'id', value: '={{ "" }}' } });

		expect(error?.message).toBe('The "User" field is empty');
	});

	it('a contact without a conversation: nothing is written, the error says so', async () => {
		api().get('/conversations/search').query(true).reply(200, { conversations: [], total: 0 });

		const { error } = await assign({ assignBy: 'contact', contactId: 'contact-9' });

		expect(error?.message).toBe('Contact "contact-9" has no conversation: nothing was assigned');
	});

	it('a conversation already assigned to that user is not written again', async () => {
		const scope = api().get('/conversations/conv-1').times(2).reply(200, conversation('user-1'));

		const { items, error } = await assign();

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)[0]).toMatchObject({ assignment: { changed: false, skipped: 'already assigned to "user-1"' } });
	});

	it('403 on the first read names conversations.readonly; a 404 there names the conversation', async () => {
		api().get('/conversations/conv-1').reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' });
		const denied = await assign();
		api().get('/conversations/conv-1').reply(404, { statusCode: 404, message: 'Conversation not found' });
		const missing = await assign();

		expect(denied.error?.message).toBe(
			`Access denied (403): this operation needs the scope "conversations.readonly", or the token has no access to location "${LOCATION_ID}"`,
		);
		expect(missing.error?.message).toBe('Conversation "conv-1" was not found (404)');
	});
	describe("a programmatic operation (n8n runs the node's customOperations)", () => {
		it("is the node's customOperations.conversation.assign, so n8n-core never routes its option", () => {
			expect(Object.keys(new ConversationsApi().customOperations)).toContain('conversation');
			expect(Object.keys(new ConversationsApi().customOperations.conversation)).toEqual(['assign']);
		});

		it('pairs each output item with its input item, a failed one too (Continue On Fail)', async () => {
			api().get('/conversations/conv-1').times(3).reply(200, conversation());
			contactsApi()
				.put('/contacts/contact-1', { assignedTo: 'user-denied' })
				.reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' })
				.put('/contacts/contact-1', { assignedTo: 'user-ok' })
				.reply(200, { succeded: true, contact: { id: 'contact-1', assignedTo: 'user-ok' } });

			const { items } = await assignEachTo(['user-denied', 'user-ok'], true);

			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(items[0].json).toEqual({
				error: `Access denied (403): this operation needs the scope "contacts.write", or the token has no access to location "${LOCATION_ID}"`,
			});
		});

		it("without Continue On Fail the node fails on the item, naming its index; no later item's request is sent", async () => {
			api().get('/conversations/conv-1').reply(200, conversation());
			contactsApi().put('/contacts/contact-1').reply(404, { statusCode: 404, message: 'Contact not found' });
			const later = contactsApi().put('/contacts/contact-1', { assignedTo: 'user-ok' }).reply(200, {});

			const { items, error } = await assignEachTo(['user-gone', 'user-ok']);

			expect(items).toEqual([]);
			expect(error?.message).toBe('Contact "contact-1" was not found (404)');
			expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
			expect(later.isDone()).toBe(false);
			nock.cleanAll();
		});

		it("with an agency connection every request is sent with the item's location token, never the company token", async () => {
			const exchange = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${OAUTH_TOKEN}` } })
				.post('/oauth/locationToken', 'companyId=comp-1&locationId=loc-A')
				.reply(200, { access_token: 'location-token-A', token_type: 'Bearer', expires_in: 86399, locationId: 'loc-A' });
			const asLocation = (version: string) => nock(BASE_URL, { reqheaders: { authorization: 'Bearer location-token-A', version } });
			const reads = asLocation('2021-04-15')
				.get('/conversations/conv-1')
				.reply(200, conversation())
				.get('/conversations/conv-1')
				.reply(200, conversation('user-1'));
			const write = asLocation('2021-07-28')
				.put('/contacts/contact-1', { assignedTo: 'user-1' })
				.reply(200, { succeded: true, contact: { id: 'contact-1', assignedTo: 'user-1' } });

			const { items, error } = await runNode({
				parameters: {
					resource: 'conversation',
					operation: 'assign',
					authentication: 'oAuth2',
					conversationId: rl('conv-1'),
					userId: rl('user-1'),
					locationId: rl('loc-A'),
				},
				credentials: credentials.agency(),
			});

			expect(error).toBeUndefined();
			expect(exchange.isDone() && reads.isDone() && write.isDone()).toBe(true);
			expect(json(items)[0]).toMatchObject({ assignedTo: 'user-1', assignment: { changed: true } });
		});
	});

	describe('Simplify (version 1.2: on by default; versions 1 and 1.1 keep the raw output)', () => {
		const raw = {
			...conversation('user-1'),
			lastMessageType: 'TYPE_SMS',
			lastMessageBody: 'Hello',
			lastMessageDate: 1767225600000,
			dateAdded: 1767225600000,
			deleted: false,
			inbox: true,
			scoring: [],
			followers: [],
		};

		const assignAt = (typeVersion: number, parameters: INodeParameters = {}) => {
			api().get('/conversations/conv-1').reply(200, conversation()).get('/conversations/conv-1').reply(200, raw);
			contactAssignedToUser1();
			return runNode({
				parameters: { resource: 'conversation', operation: 'assign', conversationId: rl('conv-1'), userId: rl('user-1'), ...parameters },
				typeVersion,
				timezone: 'UTC',
			});
		};

		const assignment = { contactId: 'contact-1', previous: null, assignedTo: 'user-1', changed: true };

		it('1.2: the fields a model or a person acts on, dates as ISO text, and what was done', async () => {
			const { items, error } = await assignAt(1.2);

			expect(error).toBeUndefined();
			expect(json(items)).toEqual([
				{
					id: 'conv-1',
					contactName: 'Ann Example',
					lastMessageBody: 'Hello',
					lastMessageDate: '2026-01-01T00:00:00.000Z',
					channel: 'SMS',
					assignedTo: 'user-1',
					contactId: 'contact-1',
					dateAdded: '2026-01-01T00:00:00.000Z',
					locationId: LOCATION_ID,
					assignment,
				},
			]);
		});

		it.each([1, 1.1])('%s: the raw conversation, as saved workflows had it', async (typeVersion) => {
			const { items } = await assignAt(typeVersion);

			expect(json(items)).toEqual([{ ...raw, assignment }]);
		});

		it('1.2 with Simplify off: the raw conversation', async () => {
			const { items } = await assignAt(1.2, { simplify: false });

			expect(json(items)).toEqual([{ ...raw, assignment }]);
		});
	});
});
