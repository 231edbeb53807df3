/**
 * Exactly once, against an independent fake of the API (test/support/fakeApi.ts, not the sandbox),
 * through n8n-core's poll machinery with the static data kept as n8n keeps it (test/support/poll.ts):
 * two polls at once, dates in the future, scheduled messages, ties of 101 and 250 on every
 * dimension (sort value, message date, creation date) in a fixed and a reshuffled order, rows
 * shaped like the spec's ConversationSchema, and the cost of an idle poll after a burst.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { credentials } from '../support/engine';
import { json } from '../support/api';
import { FakeApi, type FakeApiOptions } from '../support/fakeApi';
import { TriggerHarness } from '../support/poll';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

let fake: FakeApi;

async function setup(options: FakeApiOptions = {}) {
	fake = new FakeApi(options);
	const baseUrl = await fake.listen();
	return credentials.privateIntegrationToken({ privateIntegrationToken: fake.token, locationId: fake.locationId, baseUrl });
}

const trigger = (credential: ReturnType<typeof credentials.privateIntegrationToken>, parameters: INodeParameters) =>
	new TriggerHarness({ parameters, credentials: credential });

const ids = (items: Array<{ json: unknown }>) => json(items).map((item) => String((item as IDataObject).id));

/** A location with history: one conversation whose last message is a minute old. */
function history(now: number) {
	const old = fake.addConversation('c-old', now - 10 * MINUTE);
	fake.addMessage(old, 'm-old', now - MINUTE);
}

async function activate(harness: TriggerHarness) {
	const result = await harness.poll();
	expect(result.error).toBeUndefined();
	expect(result.returned).toBeNull();
}

/** A fake API with history, and a trigger activated on it. */
async function started(parameters: INodeParameters, options: FakeApiOptions = {}) {
	const now = Date.now();
	const credential = await setup(options);
	history(now);
	const harness = trigger(credential, parameters);
	await activate(harness);
	return { now, harness };
}

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterEach(async () => await fake.close());
afterAll(() => nock.disableNetConnect());

describe('Exactly once: two polls of one trigger at the same time', () => {
	it('a poll that starts while another still runs emits nothing the running one emits; each message once', async () => {
		const { now, harness } = await started({ event: 'newMessage', direction: 'both' });
		for (let i = 0; i < 30; i++) fake.addMessage(fake.addConversation(`c${i}`, now - MINUTE), `m${i}`, now + i);

		// The first poll's first message list hangs (a slow API, a 429 wait) until released.
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		let held!: () => void;
		const holding = new Promise<void>((resolve) => (held = resolve));
		let first = true;
		fake.beforeAnswer = async (request) => {
			if (first && request.path.endsWith('/messages')) {
				first = false;
				held();
				await gate;
			}
		};
		const running = harness.poll();
		await holding;
		// n8n's next tick: same workflow object, same static data, while the first poll still runs.
		const overlapping = await harness.poll();
		release();
		const finished = await running;
		expect(finished.error).toBeUndefined();
		expect(overlapping.error).toBeUndefined();
		// Skipped: nothing emitted, nothing saved.
		expect(overlapping.returned).toBeNull();
		const emitted = [...ids(overlapping.items), ...ids(finished.items)];
		expect(emitted).toHaveLength(30);
		expect(new Set(emitted).size).toBe(30);
		// The next poll reads what the first one saved: nothing again.
		const next = await harness.poll();
		expect(next.returned).toBeNull();
	});

	it('after a restart in the middle (n8n reloads the static data from its database), nothing is emitted twice', async () => {
		const { now, harness } = await started({ event: 'newMessage', direction: 'both' });
		fake.addMessage(fake.addConversation('c1', now), 'm1', now + 1);
		expect(ids((await harness.poll()).items)).toEqual(['m1']);
		harness.restart();
		expect((await harness.poll()).returned).toBeNull();
	});
});

describe('Exactly once: dates in the future', () => {
	for (const ahead of [90 * SECOND, 60 * MINUTE]) {
		it(`a message dated ${ahead / SECOND} s ahead is emitted once and hides none of the 101 messages that follow`, async () => {
			const { now, harness } = await started({ event: 'newMessage', direction: 'both' });
			fake.addMessage(fake.addConversation('c-future', now - MINUTE), 'm-future', now + ahead);
			const first = await harness.poll();
			expect(ids(first.items)).toEqual(['m-future']);
			// The cursor stays at the trigger's own clock (+5 s), not at the future date.
			expect(harness.state!.cursor).toBeLessThanOrEqual(Date.now() + 5 * SECOND);

			const later = Date.now();
			for (let i = 0; i < 101; i++) fake.addMessage(fake.addConversation(`c${i}`, now - MINUTE), `m${i}`, later + i);
			const second = await harness.poll();
			expect(second.items).toHaveLength(101);
			expect(new Set(ids(second.items)).size).toBe(101);
			expect(ids(second.items)).not.toContain('m-future');
			expect((await harness.poll()).returned).toBeNull();
		});
	}

	it('a scheduled message is emitted once when it is sent, also when it keeps its (older) creation date', async () => {
		const { now, harness } = await started({ event: 'newMessage', direction: 'both' });
		// Scheduled ten minutes ago for later; the conversation row shows it now.
		const conversation = fake.addConversation('c-s', now - 20 * MINUTE);
		const scheduled = fake.addMessage(conversation, 'm-scheduled', now - 10 * MINUTE, { status: 'scheduled' }, false);
		conversation.lastMessageDate = now;
		conversation.lastMessageBody = 'scheduled';
		expect((await harness.poll()).returned).toBeNull();
		// Sent: the message keeps its date, the row moves.
		scheduled.status = 'delivered';
		conversation.lastMessageDate = Date.now() + 1;
		conversation.lastMessageBody = scheduled.body;
		expect(ids((await harness.poll()).items)).toEqual(['m-scheduled']);
		conversation.lastMessageDate = Date.now() + 2;
		conversation.unreadCount++;
		expect((await harness.poll()).returned).toBeNull();
	});

	it('a scheduled message dated at its send time in the future is emitted once when sent, and hides nothing meanwhile', async () => {
		const { now, harness } = await started({ event: 'newMessage', direction: 'both' });
		const conversation = fake.addConversation('c-s', now - 20 * MINUTE);
		const scheduled = fake.addMessage(conversation, 'm-scheduled', now + 60 * MINUTE, { status: 'scheduled' });
		expect((await harness.poll()).returned).toBeNull();
		fake.addMessage(fake.addConversation('c-other', now - MINUTE), 'm-other', Date.now());
		expect(ids((await harness.poll()).items)).toEqual(['m-other']);
		scheduled.status = 'delivered';
		conversation.unreadCount++;
		expect(ids((await harness.poll()).items)).toEqual(['m-scheduled']);
		expect((await harness.poll()).returned).toBeNull();
	});
});

describe('Exactly once: ties on every dimension', () => {
	for (const tieOrder of ['fixed', 'shuffled'] as const) {
		for (const count of [101, 250]) {
			it(`New Message: ${count} conversations created in one millisecond, their messages in one millisecond (${tieOrder} tie order): each message once`, async () => {
				const { now, harness } = await started({ event: 'newMessage', direction: 'both' }, { tieOrder, seed: count });
				const created = now - 30 * SECOND;
				const at = Date.now();
				for (let i = 0; i < count; i++) fake.addMessage(fake.addConversation(`c${String(i).padStart(3, '0')}`, created), `m${i}`, at);
				const result = await harness.poll();
				expect(result.error).toBeUndefined();
				expect(new Set(ids(result.items)).size).toBe(count);
				expect(result.items).toHaveLength(count);
				expect(json(result.items).some((item) => (item as IDataObject).warning !== undefined)).toBe(false);
				expect((await harness.poll()).returned).toBeNull();
			});

			it(`New Conversation: ${count} conversations created in one millisecond without messages (${tieOrder} tie order): each once, or a visible warning`, async () => {
				const { harness } = await started({ event: 'newConversation' }, { tieOrder, seed: count });
				const created = Date.now();
				for (let i = 0; i < count; i++) fake.addConversation(`n${String(i).padStart(3, '0')}`, created);
				const result = await harness.poll();
				expect(result.error).toBeUndefined();
				const emitted = ids(result.items);
				expect(new Set(emitted).size).toBe(emitted.length);
				if (tieOrder === 'shuffled') {
					// An API that reshuffles equal rows shows them all over a few reads.
					expect(emitted).toHaveLength(count);
				} else {
					// The same 100 whichever way it is read: the search cannot reach the others. Emitted
					// what it can read, and every item says so.
					expect(emitted).toHaveLength(100);
					for (const item of json(result.items)) {
						expect((item as IDataObject).warning).toBe(
							`${count} conversations share the sort value ${created} and the creation time ${new Date(created).toISOString()}; the API's search can page through only 100 of them, so some may be missing`,
						);
					}
				}
				expect((await harness.poll()).returned).toBeNull();
			});
		}
	}
});

describe('Exactly once: ties in message dates', () => {
	it('250 messages of one conversation in one millisecond (more than a message page): each once', async () => {
		const { now, harness } = await started({ event: 'newMessage', direction: 'both' });
		const conversation = fake.addConversation('c-busy', now - MINUTE);
		const at = Date.now();
		for (let i = 0; i < 250; i++) fake.addMessage(conversation, `m${String(i).padStart(3, '0')}`, at);
		const result = await harness.poll();
		expect(result.items).toHaveLength(250);
		expect(new Set(ids(result.items)).size).toBe(250);
		expect(fake.count('/conversations/c-busy/messages')).toBe(3);
		expect((await harness.poll()).returned).toBeNull();
	});
});

describe('Exactly once: rows shaped like the spec (no lastMessageDate, dateAdded or sort)', () => {
	for (const event of ['newMessage', 'newConversation'] as const) {
		it(`${event}: every poll fails with an error naming the missing field; nothing is saved, nothing emitted`, async () => {
			const now = Date.now();
			const credential = await setup({ rows: 'spec' });
			history(now);
			const harness = trigger(credential, { event });
			const field = event === 'newMessage' ? 'lastMessageDate' : 'dateAdded';
			for (let poll = 0; poll < 2; poll++) {
				const result = await harness.poll();
				expect(result.error?.message).toContain(`The API's search rows have no "${field}"`);
				expect(result.items).toEqual([]);
			}
			expect(harness.saves).toBe(0);
			expect(harness.state).toBeUndefined();
		});
	}
});

describe('Exactly once: the cost of an idle poll', () => {
	it('New Message: after a burst of 150 changed conversations within the overlap, an idle poll is 1 request', async () => {
		const { now, harness } = await started({ event: 'newMessage', direction: 'both' });
		for (let i = 0; i < 150; i++) fake.addMessage(fake.addConversation(`c${i}`, now - MINUTE), `m${i}`, Date.now() + i);
		expect((await harness.poll()).items).toHaveLength(150);
		for (let poll = 0; poll < 3; poll++) {
			const before = fake.count();
			expect((await harness.poll()).returned).toBeNull();
			expect(fake.count() - before).toBe(1);
		}
	});

	it('New Message: a 429 on the second search page of a burst is waited for; every message once', async () => {
		const { now, harness } = await started({ event: 'newMessage', direction: 'both' });
		for (let i = 0; i < 150; i++) fake.addMessage(fake.addConversation(`c${i}`, now - MINUTE), `m${i}`, Date.now() + i);
		fake.fail429.add(fake.count() + 2);
		const result = await harness.poll();
		expect(result.error).toBeUndefined();
		expect(fake.requests.filter((request) => request.status === 429)).toHaveLength(1);
		expect(result.items).toHaveLength(150);
		expect(new Set(ids(result.items)).size).toBe(150);
		expect((await harness.poll()).returned).toBeNull();
	});

	it('New Conversation: after a burst of 150 new conversations within the overlap, an idle poll is 1 request', async () => {
		const { harness } = await started({ event: 'newConversation' });
		for (let i = 0; i < 150; i++) fake.addConversation(`n${i}`, Date.now() + i);
		expect((await harness.poll()).items).toHaveLength(150);
		for (let poll = 0; poll < 3; poll++) {
			const before = fake.count();
			expect((await harness.poll()).returned).toBeNull();
			expect(fake.count() - before).toBe(1);
		}
	});
});
