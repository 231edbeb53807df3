import type { Sandbox, SandboxExchange } from '../../sandbox';
import { specValidator, type SpecValidator } from '../support/spec';
import { newSandbox, type Client } from './helpers';

/** The Contacts and Users APIs take Version 2021-07-28. */
const V2 = { headers: { version: '2021-07-28' } };

describe('sandbox: users of the location, assigning a contact, and scopes', () => {
	let sandbox: Sandbox;
	let api: Client;
	let contacts: SpecValidator;
	let users: SpecValidator;
	const exchanges: SandboxExchange[] = [];

	beforeAll(async () => {
		const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
		try {
			contacts = await specValidator('apps/contacts.json');
			users = await specValidator('apps/users.json');
		} finally {
			warn.mockRestore();
		}
	});

	beforeEach(async () => {
		exchanges.length = 0;
		({ sandbox, api } = await newSandbox({
			conversations: 40,
			tokens: { 'token-no-scopes': [], 'token-contacts-only': ['contacts.write', 'contacts.readonly'] },
			onExchange: (exchange) => exchanges.push(exchange),
		}));
	});
	afterEach(() => sandbox.close());

	it('GET /users/?locationId= lists the users of the location, as the spec says (Version 2021-07-28)', async () => {
		const answer = await api.get('/users/', { locationId: sandbox.locationId }, V2);

		expect(answer.statusCode).toBe(200);
		const listed = answer.json().users as Array<{ id: string; name: string; email: string }>;
		expect(listed.map((user) => user.id)).toEqual(sandbox.state.users.map((user) => user.id));
		expect(listed).toContainEqual(
			expect.objectContaining({ id: 'user-support-3', name: 'Ava Agent', email: 'ava.agent@northwind-home.example' }),
		);
		expect(users.validate(exchanges[0])).toEqual([]);
	});

	it('GET /users/ refuses a missing locationId, another location, and the Conversations API version', async () => {
		expect((await api.get('/users/', {}, V2)).statusCode).toBe(422);
		expect((await api.get('/users/', { locationId: 'other-location' }, V2)).json()).toEqual({
			statusCode: 403,
			message: 'The token does not have access to this location',
		});
		const wrongVersion = await api.get('/users/', { locationId: sandbox.locationId }, { headers: { version: '2021-04-15' } });
		expect(wrongVersion.statusCode).toBe(400);
	});

	it("PUT /contacts/{id} with assignedTo assigns the contact's conversation: its row, GET, and the search's assignedTo filter show it", async () => {
		const conversation = sandbox.state.listConversations().find((c) => c.assignedTo === 'user-billing')!;

		const answer = await api.put(`/contacts/${conversation.contactId}`, { assignedTo: 'user-support-3' }, V2);

		expect(answer.statusCode).toBe(200);
		expect(answer.json()).toMatchObject({ succeded: true, contact: { id: conversation.contactId, assignedTo: 'user-support-3' } });
		expect(contacts.validate(exchanges[0])).toEqual([]);
		expect((await api.get(`/conversations/${conversation.id}`)).json().assignedTo).toBe('user-support-3');
		const found = (await api.search({ assignedTo: 'user-support-3', limit: 100 })).json().conversations as Array<{
			id: string;
			assignedTo: string;
		}>;
		expect(found.map((row) => row.id)).toEqual([conversation.id]);
		expect((await api.get(`/contacts/${conversation.contactId}`, undefined, V2)).json().contact.assignedTo).toBe('user-support-3');
	});

	it('assignedTo null unassigns: the search finds the conversation with assignedTo=unassigned', async () => {
		const conversation = sandbox.state.listConversations().find((c) => c.assignedTo === 'user-sales')!;

		const answer = await api.put(`/contacts/${conversation.contactId}`, { assignedTo: null }, V2);

		expect(answer.statusCode).toBe(200);
		expect(answer.json().contact.assignedTo).toBeUndefined();
		const row = (await api.get(`/conversations/${conversation.id}`)).json();
		expect(row.assignedTo).toBeUndefined();
		const unassigned = (await api.search({ assignedTo: 'unassigned', limit: 100 })).json().conversations as Array<{ id: string }>;
		expect(unassigned.map((c) => c.id)).toContain(conversation.id);
	});

	it("HighLevel's error bodies: 404 for an unknown contact, 422 for an unknown user or a field the stand-in does not take", async () => {
		const contactId = sandbox.state.listConversations()[0].contactId;
		expect((await api.put('/contacts/no-such-contact', { assignedTo: 'user-sales' }, V2)).json()).toEqual({
			statusCode: 404,
			message: 'Contact not found',
		});
		expect((await api.put(`/contacts/${contactId}`, { assignedTo: 'user-nobody' }, V2)).json()).toEqual({
			statusCode: 422,
			message: ['assignedTo: no user "user-nobody" in this location'],
			error: 'Unprocessable Entity',
		});
		expect((await api.put(`/contacts/${contactId}`, { firstName: 'X' }, V2)).statusCode).toBe(422);
	});

	it("scopes: a token without users.readonly or contacts.write gets 403 with HighLevel's body; the conversations routes still answer it", async () => {
		const contactId = sandbox.state.listConversations()[0].contactId;
		const as = (token: string) => ({ headers: { version: '2021-07-28', authorization: `Bearer ${token}` } });

		const users403 = await api.get('/users/', { locationId: sandbox.locationId }, as('token-contacts-only'));
		const put403 = await api.put(`/contacts/${contactId}`, { assignedTo: 'user-sales' }, as('token-no-scopes'));
		const putOk = await api.put(`/contacts/${contactId}`, { assignedTo: 'user-sales' }, as('token-contacts-only'));
		const search = await api.search();
		const searchAsLimited = await api.call({
			url: '/conversations/search',
			query: { locationId: sandbox.locationId },
			headers: { authorization: 'Bearer token-no-scopes' },
		});
		const unknown = await api.get('/users/', { locationId: sandbox.locationId }, as('token-unknown'));

		expect([users403.statusCode, users403.json()]).toEqual([
			403,
			{ statusCode: 403, message: 'The token is not authorized for this scope.' },
		]);
		expect(put403.statusCode).toBe(403);
		expect(putOk.statusCode).toBe(200);
		expect(search.statusCode).toBe(200);
		expect(searchAsLimited.statusCode).toBe(200);
		expect(unknown.statusCode).toBe(401);
	});
});
