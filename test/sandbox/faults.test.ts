import { DEMO, type Sandbox } from '../../sandbox';
import { newSandbox, type Client, type Row } from './helpers';

describe('sandbox: injected server errors', () => {
	let sandbox: Sandbox;
	let api: Client;

	afterEach(() => sandbox.close());

	it('fails the next N GET requests of the API with the status and an error body, then answers again', async () => {
		({ sandbox, api } = await newSandbox({ conversations: 10 }));
		sandbox.faults.failNext(2, 500);
		sandbox.faults.failNext(1, 503);
		const first = await api.search();
		expect(first.statusCode).toBe(500);
		expect(first.json()).toEqual({ statusCode: 500, message: 'Internal server error' });
		expect((await api.get(`/conversations/${DEMO.smsConversationId}/messages`)).statusCode).toBe(500);
		const third = await api.get(`/conversations/${DEMO.smsConversationId}`);
		expect(third.statusCode).toBe(503);
		expect(third.json()).toEqual({ statusCode: 503, message: 'Service Unavailable' });
		expect((await api.search()).statusCode).toBe(200);
		expect(sandbox.faults.injected).toBe(3);
	});

	it('leaves writes, the sandbox routes and refused requests alone', async () => {
		({ sandbox, api } = await newSandbox({ conversations: 10 }));
		sandbox.faults.failNext(1);
		const sent = await api.post('/conversations/messages', { type: 'SMS', contactId: DEMO.smsContactId, message: 'Hi' });
		expect(sent.statusCode).toBe(200);
		expect((await api.get('/sandbox/health', {}, { noAuth: true })).statusCode).toBe(200);
		expect((await api.get('/conversations/search', {}, { noAuth: true })).statusCode).toBe(401);
		expect(sandbox.faults.injected).toBe(0);
		expect((await api.search()).statusCode).toBe(503); // the first authorised GET takes the queued fault
		expect(sandbox.faults.injected).toBe(1);
	});

	it('fails GETs at random at the given rate, reproducibly from the seed', async () => {
		const run = async () => {
			const { sandbox: box, api: client } = await newSandbox({ conversations: 5, faults: { rate: 0.3, seed: 9 } });
			sandbox = box;
			const statuses: number[] = [];
			for (let i = 0; i < 200; i++) statuses.push((await client.search({ limit: 1 })).statusCode);
			await box.close();
			return statuses;
		};
		const first = await run();
		const second = await run();
		expect(second).toEqual(first);
		const failed = first.filter((status) => status !== 200);
		expect(new Set(failed)).toEqual(new Set([500, 503]));
		expect(failed.length).toBeGreaterThan(35);
		expect(failed.length).toBeLessThan(85);

		({ sandbox, api } = await newSandbox({ conversations: 5, faults: { rate: 1 } }));
		expect((await api.search()).statusCode).toBeGreaterThanOrEqual(500);
		sandbox.faults.setRate(0);
		expect((await api.search()).statusCode).toBe(200);
	});
});

describe('sandbox: equal timestamps (uniqueTimestamps: false)', () => {
	let sandbox: Sandbox;
	let api: Client;

	afterEach(() => sandbox.close());

	it('gives events at the same clock time the same millisecond; by default each gets its own', async () => {
		for (const uniqueTimestamps of [false, true]) {
			({ sandbox, api } = await newSandbox({ conversations: 10, uniqueTimestamps }));
			const conversation = sandbox.state.conversation(DEMO.smsConversationId)!;
			const a = sandbox.state.addMessage(conversation, { direction: 'inbound', messageType: 'TYPE_SMS', body: 'a' });
			const b = sandbox.state.addMessage(conversation, { direction: 'inbound', messageType: 'TYPE_SMS', body: 'b' });
			if (uniqueTimestamps) expect(b.dateAdded).toBe(a.dateAdded + 1);
			else expect(b.dateAdded).toBe(a.dateAdded);
			// Newest first; ties in the order they were added.
			const page = (await api.get(`/conversations/${conversation.id}/messages`, { limit: 2 })).json();
			expect(page.messages.messages.map((message: { body: string }) => message.body)).toEqual(['b', 'a']);
			await sandbox.close();
		}
	});

	it('pages search like the API: startAfterDate is strictly after, so a tie across a page boundary is skipped', async () => {
		({ sandbox, api } = await newSandbox({ conversations: 10, uniqueTimestamps: false }));
		const conversations = sandbox.state.listConversations().slice(0, 3);
		for (const conversation of conversations) {
			sandbox.state.addMessage(conversation, { direction: 'inbound', messageType: 'TYPE_SMS', body: 'same time' });
		}
		const first = (await api.search({ limit: 2 })).json().conversations as Row[];
		expect(first[0].sort[0]).toBe(first[1].sort[0]);
		const second = (await api.search({ limit: 2, startAfterDate: first[1].sort[0] })).json().conversations as Row[];
		const seen = [...first, ...second].map((row) => row.id);
		const third = conversations.map((c) => c.id).find((id) => !seen.includes(id));
		expect(third).toBeDefined(); // the third conversation of the tie is on neither page
		const again = (await api.search({ limit: 3, startAfterDate: first[1].sort[0] + 1 })).json().conversations as Row[];
		expect(again.map((row) => row.id)).toContain(third); // re-including the boundary value finds it
	});
});
