import { DEMO, type Sandbox } from '../../sandbox';
import { newSandbox, type Client, type Row } from './helpers';

describe('sandbox: simulated traffic', () => {
	let sandbox: Sandbox;
	let api: Client;

	beforeEach(async () => {
		({ sandbox, api } = await newSandbox({ conversations: 40 }));
	});
	afterEach(() => sandbox.close());

	it('adds inbound messages and new conversations that search shows first', async () => {
		const before = sandbox.state.messages.size;
		const result = await sandbox.simulate({ inboundMessages: 6, newConversations: 3 });
		expect(result.messages).toHaveLength(9);
		expect(result.conversations).toHaveLength(3);
		expect(sandbox.state.messages.size).toBe(before + 9);
		expect(sandbox.state.conversations.size).toBe(43);

		for (const id of result.messages) expect(sandbox.state.message(id)?.direction).toBe('inbound');
		const touched = new Set(result.messages.map((id) => sandbox.state.message(id)!.conversationId));
		const top = (await api.search({ limit: touched.size })).json() as { conversations: Row[]; total: number };
		expect(top.total).toBe(43);
		expect(new Set(top.conversations.map((row) => row.id))).toEqual(touched);

		for (const id of result.conversations) {
			const row = (await api.search({ id })).json().conversations[0] as Row;
			expect(row).toMatchObject({ unreadCount: 1, lastMessageDirection: 'inbound', fullName: expect.any(String) });
			expect(sandbox.state.messagesOf(id)).toHaveLength(1);
		}
		const unread = (await api.search({ status: 'unread', limit: 100 })).json() as { conversations: Row[] };
		for (const id of result.conversations) expect(unread.conversations.map((row) => row.id)).toContain(id);
	});

	it('spreads events over time', async () => {
		const started = Date.now();
		const result = await sandbox.simulate({ inboundMessages: 2, newConversations: 1, intervalMs: 40 });
		expect(Date.now() - started).toBeGreaterThanOrEqual(70);
		expect(result.messages).toHaveLength(3);
	});

	it('stops a running simulation on close', async () => {
		const running = sandbox.simulate({ inboundMessages: 50, intervalMs: 1000 });
		await sandbox.close();
		const result = await running;
		expect(result.messages.length).toBeLessThan(50);
	});

	it('simulates through POST /sandbox/simulate (with the token)', async () => {
		const response = await api.post('/sandbox/simulate', { inboundMessages: 2, newConversations: 1 }, { noVersion: true });
		expect(response.statusCode).toBe(200);
		const body = response.json();
		expect(body.messages).toHaveLength(3);
		expect(body.conversations).toHaveLength(1);
		expect((await api.post('/sandbox/simulate', { inboundMessages: 1 }, { noAuth: true })).statusCode).toBe(401);
		expect((await api.post('/sandbox/simulate', { inboundMessages: -1 })).statusCode).toBe(422);
	});
});

describe('sandbox: latency', () => {
	it('delays every answer by latencyMs', async () => {
		const { sandbox, api } = await newSandbox({ conversations: 5, latencyMs: 60 });
		try {
			const started = Date.now();
			const [search, health] = await Promise.all([api.search(), api.get('/sandbox/health', {}, { noAuth: true })]);
			expect(Date.now() - started).toBeGreaterThanOrEqual(55);
			expect([search.statusCode, health.statusCode]).toEqual([200, 200]);
		} finally {
			await sandbox.close();
		}
	});
});

describe('sandbox: contacts stand-in', () => {
	let sandbox: Sandbox;
	let api: Client;

	beforeAll(async () => {
		({ sandbox, api } = await newSandbox({ conversations: 10 }));
	});
	afterAll(() => sandbox.close());

	it('upserts by email or phone and gets a contact', async () => {
		const created = await api.post('/contacts/upsert', {
			locationId: sandbox.locationId,
			firstName: 'Ava',
			lastName: 'Stone',
			email: 'Ava.Stone@example.com',
			phone: '+14155550199',
		});
		expect(created.statusCode).toBe(200);
		const { contact } = created.json();
		expect(created.json()).toMatchObject({
			new: true,
			contact: {
				id: expect.any(String),
				firstName: 'Ava',
				lastName: 'Stone',
				name: 'Ava Stone',
				email: 'ava.stone@example.com',
				phone: '+14155550199',
			},
		});
		expect(sandbox.state.contactByEmail('ava.stone@example.com')?.id).toBe(contact.id);

		const again = await api.post('/contacts/upsert', {
			locationId: sandbox.locationId,
			email: 'ava.stone@example.com',
			lastName: 'Stone-Lee',
		});
		expect(again.json()).toMatchObject({ new: false, contact: { id: contact.id, name: 'Ava Stone-Lee' } });
		const byPhone = await api.post('/contacts/upsert', { locationId: sandbox.locationId, phone: '(415) 555-0199' });
		expect(byPhone.json()).toMatchObject({ new: false, contact: { id: contact.id } });

		const got = await api.get(`/contacts/${contact.id}`, {}, { headers: { version: '2021-07-28' } });
		expect(got.json()).toMatchObject({ contact: { id: contact.id, email: 'ava.stone@example.com' } });
		expect((await api.get('/contacts/nobody')).json()).toEqual({ statusCode: 404, message: 'Contact not found' });
		expect((await api.post('/contacts/upsert', { locationId: sandbox.locationId, firstName: 'X' })).statusCode).toBe(422);

		// The new contact can be messaged right away.
		const sent = await api.post('/conversations/messages', {
			type: 'Email',
			contactId: contact.id,
			subject: 'Welcome',
			message: 'Hi Ava!',
		});
		expect(sent.statusCode).toBe(200);
		expect(sent.json().emailMessageId).toEqual(expect.any(String));
	});

	it('gets subscription statuses and changes them', async () => {
		const status = await api.get('/conversations/preferences/unsubscriptions/status', {
			locationId: sandbox.locationId,
			contactId: DEMO.emailContactId,
		});
		expect(status.json()).toEqual({
			contactId: DEMO.emailContactId,
			emails: [
				{
					email: 'priya.shah@example.org',
					subscriptions: [
						{ type: 'default', name: 'One on One', status: 'subscribed' },
						{ type: 'custom', id: DEMO.customSubtypeId, name: 'Newsletter', status: 'subscribed' },
					],
				},
			],
		});
		const change = (action: Record<string, string>, extra = {}) =>
			api.post('/conversations/preferences/unsubscriptions/user-change', {
				locationId: sandbox.locationId,
				contactId: DEMO.emailContactId,
				email: 'priya.shah@example.org',
				subscription_action: action,
				...extra,
			});
		const unsubscribed = await change({ type: 'custom', subtype_id: DEMO.customSubtypeId, subtype_status: 'unsubscribed' });
		expect(unsubscribed.statusCode).toBe(201);
		const after = await api.get('/conversations/preferences/unsubscriptions/status', {
			locationId: sandbox.locationId,
			contactId: DEMO.emailContactId,
			email: 'priya.shah@example.org',
		});
		expect(after.json().emails[0].subscriptions[1]).toMatchObject({ id: DEMO.customSubtypeId, status: 'unsubscribed' });
		expect((await change({ type: 'resub_all', subtype_status: 'subscribed' })).statusCode).toBe(400);
		expect((await change({ type: 'resub_all', subtype_status: 'subscribed' }, { legal_reason: 'Asked by phone' })).statusCode).toBe(201);
		expect((await change({ type: 'custom', subtype_id: 'nope', subtype_status: 'unsubscribed' })).statusCode).toBe(404);
		expect((await change({ type: 'weekly', subtype_status: 'unsubscribed' })).statusCode).toBe(422);
	});

	it('lists, creates and updates custom subtypes', async () => {
		const list = await api.get('/conversations/preferences/custom-subtypes', { locationId: sandbox.locationId });
		expect(list.json().customSubtypes.map((s: { id: string }) => s.id)).toEqual([DEMO.customSubtypeId, DEMO.smsSubtypeId]);
		const created = await api.post(
			'/conversations/preferences/custom-subtypes',
			{ name: 'Product updates', channel: 'email', language: 'en' },
			{ query: { locationId: sandbox.locationId } },
		);
		expect(created.statusCode).toBe(201);
		const { id } = created.json();
		expect(created.json()).toMatchObject({
			id: expect.any(String),
			name: 'Product updates',
			channel: 'email',
			language: 'en',
			archived: false,
		});
		const duplicate = await api.post(
			'/conversations/preferences/custom-subtypes',
			{ name: 'product updates', channel: 'email', language: 'en' },
			{ query: { locationId: sandbox.locationId } },
		);
		expect(duplicate.statusCode).toBe(400);
		const updated = await api.put(
			`/conversations/preferences/custom-subtypes/${id}`,
			{ archived: true },
			{ query: { locationId: sandbox.locationId } },
		);
		expect(updated.json()).toMatchObject({ id, archived: true });
		const invalid = await api.post(
			'/conversations/preferences/custom-subtypes',
			{ name: 'x'.repeat(101), channel: 'fax' },
			{ query: { locationId: sandbox.locationId } },
		);
		expect(invalid.statusCode).toBe(422);
		expect(invalid.json().message).toHaveLength(3);
	});
});
