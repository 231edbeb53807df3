/**
 * Scheduled messages, against the independent fake of the API (test/support/fakeApi.ts), through
 * n8n-core's poll machinery: New Message emits a scheduled message once, when it is sent, and never
 * while it is only scheduled, in the two shapes the API is seen to use:
 *
 * - dated at its send time: listed at once with status `scheduled` and its send time as `dateAdded`,
 *   the conversation row showing it as its last message (`lastMessageDate` the send time); at the
 *   send time only its status changes (to `delivered`): the row does not change at all;
 * - dated at its creation: listed with its creation time as `dateAdded`, the row not showing it;
 *   when it is sent ten minutes later its status becomes `delivered` and the row takes it as its
 *   newest arrival (`lastMessageDate` the send time, its body) while the message keeps its date.
 *
 * Ten minutes pass on the trigger's clock (Date.now moved on), not in real time.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { credentials } from '../support/engine';
import { json } from '../support/api';
import { FakeApi, type FakeConversation } from '../support/fakeApi';
import { TriggerHarness } from '../support/poll';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

let fake: FakeApi;
const realNow = Date.now.bind(Date);
let offset = 0;

/** Moves the trigger's clock (and the fake's dates, which tests set from it) on. */
function advance(ms: number): void {
	offset += ms;
}

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
beforeEach(() => {
	offset = 0;
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
});
afterEach(async () => {
	jest.restoreAllMocks();
	await fake.close();
});
afterAll(() => nock.disableNetConnect());

const ids = (items: Array<{ json: unknown }>) => json(items).map((item) => String((item as IDataObject).id));

/** A fake API with history (one conversation whose last message is a minute old) and an activated trigger. */
async function started(parameters: INodeParameters = { event: 'newMessage', direction: 'both' }) {
	fake = new FakeApi();
	const baseUrl = await fake.listen();
	const now = Date.now();
	const old = fake.addConversation('c-old', now - 10 * MINUTE);
	fake.addMessage(old, 'm-old', now - MINUTE);
	const harness = new TriggerHarness({
		parameters,
		credentials: credentials.privateIntegrationToken({ privateIntegrationToken: fake.token, locationId: fake.locationId, baseUrl }),
	});
	const first = await harness.poll();
	expect(first.error).toBeUndefined();
	expect(first.returned).toBeNull();
	return harness;
}

/** The row shows `message` as its newest arrival, at `at`. */
function rowShows(conversation: FakeConversation, body: string, at: number): void {
	conversation.lastMessageDate = at;
	conversation.lastMessageBody = body;
}

/**
 * `minutes` of a busy location: a message a minute in another conversation, each polled and
 * emitted (the trigger's cursor follows them, as it does on a real location).
 */
async function busy(harness: TriggerHarness, minutes: number): Promise<void> {
	const other = fake.conversations.get('c-busy') ?? fake.addConversation('c-busy', Date.now() - 60 * MINUTE);
	for (let i = 0; i < minutes; i++) {
		advance(MINUTE);
		const id = `m-busy-${other.messages.length}`;
		fake.addMessage(other, id, Date.now());
		expect(ids((await harness.poll()).items)).toEqual([id]);
	}
}

async function quiet(harness: TriggerHarness): Promise<void> {
	const result = await harness.poll();
	expect(result.error).toBeUndefined();
	expect(result.returned).toBeNull();
}

describe('New Message: a scheduled message dated at its send time, the row unchanged when it is sent', () => {
	it('is not emitted while scheduled, and once when sent (a poll before and after a restart in between)', async () => {
		const harness = await started();
		const conversation = fake.addConversation('c-a', Date.now() - 20 * MINUTE);
		const sendAt = Date.now() + 10 * MINUTE;
		const message = fake.addMessage(
			conversation,
			'm-a',
			sendAt,
			{ status: 'scheduled', direction: 'outbound', body: 'Reminder: your visit' },
			false,
		);
		rowShows(conversation, message.body, sendAt);

		await quiet(harness);
		await busy(harness, 5);
		// n8n restarts: what the trigger knows of the scheduled message is in the saved state.
		harness.restart();
		await busy(harness, 5);
		advance(SECOND);
		await quiet(harness);
		// Sent: only its status changes.
		message.status = 'delivered';
		const sent = await harness.poll();
		expect(sent.error).toBeUndefined();
		expect(ids(sent.items)).toEqual(['m-a']);
		expect(json(sent.items)[0]).toMatchObject({ status: 'delivered', direction: 'outbound', dateAdded: new Date(sendAt).toISOString() });
		await quiet(harness);
		advance(2 * MINUTE);
		await quiet(harness);
		expect(harness.state?.scheduled).toBeUndefined();
	});

	it('a message that is still scheduled after its time (the API is late) is emitted when its status changes', async () => {
		const harness = await started();
		const conversation = fake.addConversation('c-a', Date.now() - 20 * MINUTE);
		const sendAt = Date.now() + 10 * MINUTE;
		const message = fake.addMessage(conversation, 'm-a', sendAt, { status: 'scheduled', direction: 'outbound' }, false);
		rowShows(conversation, message.body, sendAt);
		await quiet(harness);
		advance(10 * MINUTE + SECOND);
		await quiet(harness);
		advance(30 * SECOND);
		await quiet(harness);
		message.status = 'sent';
		expect(ids((await harness.poll()).items)).toEqual(['m-a']);
		await quiet(harness);
	});

	it('a scheduled message that is cancelled (gone from the list) is never emitted and no longer read', async () => {
		const harness = await started();
		const conversation = fake.addConversation('c-a', Date.now() - 20 * MINUTE);
		const sendAt = Date.now() + 10 * MINUTE;
		fake.addMessage(conversation, 'm-a', sendAt, { status: 'scheduled', direction: 'outbound' }, false);
		rowShows(conversation, 'text of m-a', sendAt);
		await quiet(harness);
		conversation.messages.length = 0;
		advance(10 * MINUTE + SECOND);
		await quiet(harness);
		expect(harness.state?.scheduled).toBeUndefined();
		const before = fake.count('/conversations/c-a/messages');
		await quiet(harness);
		expect(fake.count('/conversations/c-a/messages')).toBe(before);
	});
});

describe('New Message: a scheduled message dated at its creation, the row taking it when it is sent', () => {
	it('is not emitted while scheduled, and once when sent ten minutes later; older messages are not emitted again', async () => {
		const harness = await started();
		const conversation = fake.addConversation('c-b', Date.now() - 30 * MINUTE);
		fake.addMessage(conversation, 'm-b-older', Date.now() - 20 * MINUTE, { direction: 'outbound', body: 'Earlier note' });
		const createdAt = Date.now();
		const message = fake.addMessage(
			conversation,
			'm-b',
			createdAt,
			{ status: 'scheduled', direction: 'outbound', body: 'Your invoice is ready' },
			false,
		);

		await quiet(harness);
		await busy(harness, 10);
		// Sent: its status changes, it keeps its creation date, the row takes it as its newest arrival.
		message.status = 'delivered';
		rowShows(conversation, message.body, Date.now());
		const sent = await harness.poll();
		expect(sent.error).toBeUndefined();
		expect(ids(sent.items)).toEqual(['m-b']);
		expect(json(sent.items)[0]).toMatchObject({ status: 'delivered', dateAdded: new Date(createdAt).toISOString() });
		await quiet(harness);
		// The contact reads it (the row changes, no new message): nothing is emitted again.
		conversation.unreadCount++;
		await quiet(harness);
		// A reply afterwards is emitted, alone.
		advance(30 * SECOND);
		fake.addMessage(conversation, 'm-b-reply', Date.now(), { body: 'Thanks' });
		expect(ids((await harness.poll()).items)).toEqual(['m-b-reply']);
		advance(2 * MINUTE);
		await quiet(harness);
	});

	it('a row moved by a new message dated at its time: only that message is emitted, not an older one with the same text', async () => {
		const harness = await started();
		const conversation = fake.addConversation('c-b', Date.now() - 30 * MINUTE);
		fake.addMessage(conversation, 'm-b-older', Date.now() - 20 * MINUTE, { direction: 'outbound', body: 'OK' });
		await quiet(harness);
		advance(MINUTE);
		fake.addMessage(conversation, 'm-b-new', Date.now(), { direction: 'outbound', body: 'OK' });
		expect(ids((await harness.poll()).items)).toEqual(['m-b-new']);
		await quiet(harness);
	});
});
