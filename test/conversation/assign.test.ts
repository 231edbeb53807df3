import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import { LOCATION_ID, runNode } from '../support/engine';
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
});
