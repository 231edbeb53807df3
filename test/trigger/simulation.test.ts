/* eslint-disable no-console -- the simulation prints its figures (events produced, emitted, missed, duplicated, requests per poll) */
/**
 * SIMULATION: the sandbox produces thousands of messages across hundreds of conversations while
 * two New Message triggers and a New Conversation trigger poll it through n8n's engine, on a fake
 * clock. The traffic has what breaks naive pollers: bursts of messages at one millisecond (also
 * across more conversations than fit in a search page), more messages in one conversation than fit
 * in a message page, messages that become visible late (dated up to 30 s back), messages added
 * while a poll is reading, random 5xx answers (3 %), and polls that fail outright in the middle
 * (three 500s in a row on one request). Then: every event emitted exactly once, none missed, each
 * poll's items oldest first.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { createSandbox, type Conversation, type Sandbox } from '../../sandbox';
import { Random } from '../../sandbox/random';
import { credentials } from '../support/engine';
import { TriggerHarness, type PollResult } from '../support/poll';
import { fakeClock } from '../sandbox/helpers';

const ROUNDS = 60;
const SEED = 20260302;
const CHANNELS = ['TYPE_SMS', 'TYPE_WHATSAPP', 'TYPE_EMAIL', 'TYPE_FACEBOOK', 'TYPE_INSTAGRAM', 'TYPE_LIVE_CHAT'];

interface Produced {
	id: string;
	time: number;
	direction: 'inbound' | 'outbound';
	messageType: string;
	/** Dated back (visible late) or added while a poll was reading: may legitimately come a poll later. */
	late: boolean;
}

interface Tracked {
	name: string;
	harness: TriggerHarness;
	/** Which produced events it must emit. */
	wants: (event: Produced) => boolean;
	emitted: Map<string, number>;
	polls: Array<{ requests: number; items: number; failed: boolean; idle: boolean; window: number }>;
	order: { inPoll: number; acrossPolls: number; acrossPollsNotLate: number };
	lastEmitted?: { time: number; id: string };
}

function stats(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
	return {
		min: sorted[0] ?? 0,
		median: sorted[Math.floor(sorted.length / 2)] ?? 0,
		max: sorted[sorted.length - 1] ?? 0,
		mean: Math.round(mean * 10) / 10,
	};
}

describe('SIMULATION: thousands of messages, ties, late and concurrent events, 5xx answers', () => {
	let sandbox: Sandbox;
	const clock = fakeClock();
	const random = new Random(SEED);
	/** Requests answered by the sandbox (each attempt counts). */
	let requests = 0;
	let polling = false;
	let requestsInPoll = 0;
	/** Fail the poll at this request (three 500s: more than the trigger's retries). */
	let failAtRequest: number | undefined;
	let produceWhilePolling = false;
	const produced = new Map<string, Produced>();
	const producedConversations = new Map<string, number>();

	function addMessage(conversation: Conversation, options: { direction?: 'inbound' | 'outbound'; date?: number; late?: boolean } = {}) {
		const direction = options.direction ?? (random.chance(0.7) ? 'inbound' : 'outbound');
		const messageType = random.pick(CHANNELS);
		const message = sandbox.state.addMessage(conversation, {
			direction,
			messageType,
			body: `m${produced.size}`,
			date: options.date,
		});
		produced.set(message.id, { id: message.id, time: message.dateAdded, direction, messageType, late: options.late ?? false });
	}

	beforeAll(async () => {
		nock.enableNetConnect('127.0.0.1');
		sandbox = await createSandbox({
			conversations: 400,
			now: clock.now,
			rateLimit: false,
			uniqueTimestamps: false,
			faults: { rate: 0.03, seed: SEED },
			onExchange: () => {
				requests++;
				if (!polling) return;
				requestsInPoll++;
				if (failAtRequest !== undefined && requestsInPoll === failAtRequest) sandbox.faults.failNext(3, 500);
				// Traffic while the poll reads: it must be emitted now or by the next poll, once.
				if (produceWhilePolling && random.chance(0.15)) {
					const conversations = sandbox.state.listConversations();
					for (let i = random.int(1, 3); i > 0; i--) addMessage(random.pick(conversations), { late: true });
				}
			},
		});
	});
	afterAll(async () => {
		await sandbox.close();
		nock.disableNetConnect();
	});

	it('emits every event exactly once, none missed, oldest first, at the expected cost', async () => {
		const baseUrl = await sandbox.listen();
		const credential = credentials.privateIntegrationToken({
			privateIntegrationToken: sandbox.token,
			locationId: sandbox.locationId,
			baseUrl,
		});
		const inboundChannels = ['TYPE_SMS', 'TYPE_WHATSAPP'];
		const tracked: Tracked[] = [
			{ name: 'New Message (both directions, all channels)', parameters: { event: 'newMessage', direction: 'both' }, wants: () => true },
			{
				name: 'New Message (inbound SMS/WhatsApp only)',
				parameters: { event: 'newMessage', direction: 'inbound', channels: inboundChannels },
				wants: (event: Produced) => event.direction === 'inbound' && inboundChannels.includes(event.messageType),
			},
			{ name: 'New Conversation', parameters: { event: 'newConversation' }, wants: () => false },
		].map(({ name, parameters, wants }) => ({
			name,
			harness: new TriggerHarness({ parameters, credentials: credential }),
			wants,
			emitted: new Map(),
			polls: [],
			order: { inPoll: 0, acrossPolls: 0, acrossPollsNotLate: 0 },
		}));
		const [, , conversationsTrigger] = tracked;

		const pollAll = async (options: { idle: boolean; failOne?: boolean; concurrent?: boolean }) => {
			for (const [index, trigger] of tracked.entries()) {
				requestsInPoll = 0;
				failAtRequest = options.failOne && index === 0 ? random.int(2, 6) : undefined;
				produceWhilePolling = options.concurrent === true && index === 0;
				polling = true;
				// Conversations in the overlap window an idle poll reads (New Message: last message within
				// 60 s of the cursor): one search page holds 100.
				const cursor = trigger.harness.state?.cursor ?? 0;
				const window =
					trigger === conversationsTrigger
						? 0
						: sandbox.state.listConversations().filter((c) => c.lastMessageDate >= cursor - 60_000).length;
				const before = requests;
				let result: PollResult;
				try {
					result = await trigger.harness.poll();
				} finally {
					polling = false;
					failAtRequest = undefined;
				}
				// Idle: nothing happened since this trigger's previous (successful) poll.
				const idle = options.idle && trigger.polls.at(-1)?.failed !== true;
				trigger.polls.push({ requests: requests - before, items: result.items.length, failed: !!result.error, idle, window });
				let previous: { time: number; id: string } | undefined;
				for (const item of result.items) {
					const json = item.json as IDataObject;
					const id = String(json.id);
					const time = typeof json.dateAdded === 'number' ? json.dateAdded : Date.parse(String(json.dateAdded));
					trigger.emitted.set(id, (trigger.emitted.get(id) ?? 0) + 1);
					const key = { time, id };
					if (previous && (previous.time > time || (previous.time === time && previous.id > id))) trigger.order.inPoll++;
					// Older than what an earlier poll emitted: only a late event may be.
					if (trigger.lastEmitted && trigger.lastEmitted.time > time) {
						trigger.order.acrossPolls++;
						if (!produced.get(id)?.late) trigger.order.acrossPollsNotLate++;
					}
					previous = key;
				}
				if (previous && (!trigger.lastEmitted || previous.time >= trigger.lastEmitted.time)) trigger.lastEmitted = previous;
			}
		};

		// Activation: from now on, nothing before is replayed.
		await pollAll({ idle: true });
		for (const trigger of tracked) expect(trigger.polls[0]).toMatchObject({ failed: false, items: 0 });

		const started = Date.now();
		for (let round = 0; round < ROUNDS; round++) {
			clock.advance(random.int(5_000, 70_000));
			const conversations = sandbox.state.listConversations();
			const kind = round % 10;
			if (kind === 3) {
				// Idle round, no random faults: an idle poll is one request.
				sandbox.faults.setRate(0);
				await pollAll({ idle: true });
				sandbox.faults.setRate(0.03);
				continue;
			}
			if (kind === 5) {
				// A burst at one millisecond across more conversations than a search page holds.
				for (const conversation of random.shuffle([...conversations]).slice(0, random.int(110, 160))) addMessage(conversation);
			} else if (kind === 7) {
				// More messages in one conversation than a message page holds, all at one millisecond.
				const conversation = random.pick(conversations);
				for (let i = random.int(120, 180); i > 0; i--) addMessage(conversation);
			} else {
				// Ordinary traffic: messages at a few distinct times, with ties, over random conversations.
				const times = random.int(1, 4);
				for (let t = 0; t < times; t++) {
					for (let i = random.int(5, 40); i > 0; i--) addMessage(random.pick(conversations));
					clock.advance(random.int(0, 3) * 500);
				}
			}
			// Late arrivals: dated up to 30 s back (inbound, so their conversation's row changes).
			for (let i = random.int(0, 4); i > 0; i--) {
				addMessage(random.pick(conversations), { direction: 'inbound', date: clock.now() - random.int(1_000, 30_000), late: true });
			}
			// New conversations (each with a first inbound message).
			if (random.chance(0.5)) {
				const result = await sandbox.simulate({ newConversations: random.int(1, 4) });
				for (const id of result.conversations) producedConversations.set(id, sandbox.state.conversation(id)!.dateAdded);
				for (const id of result.messages) {
					const message = sandbox.state.message(id)!;
					produced.set(id, { id, time: message.dateAdded, direction: 'inbound', messageType: message.messageType, late: false });
				}
			}
			await pollAll({ idle: false, failOne: round % 7 === 2, concurrent: round % 4 === 1 });
		}
		// Quiet: poll until every trigger had a successful poll with nothing new.
		for (let i = 0; i < 6; i++) {
			clock.advance(60_000);
			await pollAll({ idle: false });
		}
		const seconds = (Date.now() - started) / 1000;

		const checks: Array<() => void> = [];
		const lines: string[] = [`SIMULATION (seed ${SEED}, ${ROUNDS} rounds, ${seconds.toFixed(1)} s)`];
		const producedMessages = [...produced.values()];
		lines.push(
			`produced: ${producedMessages.length} messages (${producedMessages.filter((event) => event.late).length} late or during a poll) in ${new Set([...produced.keys()].map((id) => sandbox.state.message(id)?.conversationId)).size} conversations, ${producedConversations.size} new conversations; sandbox: ${sandbox.state.conversations.size} conversations, ${requests} requests answered, ${sandbox.faults.injected} 5xx injected`,
		);
		for (const trigger of tracked) {
			const expected =
				trigger === conversationsTrigger
					? new Set(producedConversations.keys())
					: new Set(producedMessages.filter(trigger.wants).map((event) => event.id));
			const missed = [...expected].filter((id) => !trigger.emitted.has(id));
			const duplicated = [...trigger.emitted.entries()].filter(([, count]) => count > 1);
			const unexpected = [...trigger.emitted.keys()].filter((id) => !expected.has(id));
			const ok = trigger.polls.filter((poll) => !poll.failed);
			const busy = ok.filter((poll) => poll.items > 0);
			const idle = trigger.polls.filter((poll) => poll.idle && !poll.failed).slice(1);
			const idleSmall = idle.filter((poll) => poll.window < 100);
			const idleLarge = idle.filter((poll) => poll.window >= 100);
			const state = trigger.harness.state;
			lines.push(
				`${trigger.name}: produced ${expected.size}, emitted ${[...trigger.emitted.values()].reduce((sum, count) => sum + count, 0)} (${trigger.emitted.size} distinct), missed ${missed.length}, duplicated ${duplicated.length}, unexpected ${unexpected.length}; ` +
					`polls ${trigger.polls.length} (${trigger.polls.length - ok.length} failed); requests per poll: all ${JSON.stringify(stats(ok.map((poll) => poll.requests)))}, with events ${JSON.stringify(stats(busy.map((poll) => poll.requests)))}, idle ${JSON.stringify(stats(idleSmall.map((poll) => poll.requests)))}` +
					(idleLarge.length
						? ` (idle with 100+ conversations in the overlap window: ${idleLarge.map((poll) => `${poll.window} rows → ${poll.requests} requests`).join(', ')})`
						: '') +
					`; ` +
					`order: ${trigger.order.inPoll} inversions within a poll, ${trigger.order.acrossPolls} across polls (${trigger.order.acrossPollsNotLate} not late); ` +
					`state ${trigger.harness.stateBytes} bytes, ${Object.keys(state?.seen ?? {}).length} seen entries`,
			);
			checks.push(() => {
				expect({ trigger: trigger.name, missed, duplicated, unexpected }).toEqual({
					trigger: trigger.name,
					missed: [],
					duplicated: [],
					unexpected: [],
				});
				expect(trigger.order.inPoll).toBe(0);
				expect(trigger.order.acrossPollsNotLate).toBe(0);
				expect(idleSmall.length).toBeGreaterThan(0);
				expect(idleSmall.map((poll) => poll.requests)).toEqual(idleSmall.map(() => 1));
				// A window of more than a page: its pages and one recheck of the top.
				for (const poll of idleLarge) expect(poll.requests).toBeLessThanOrEqual(Math.ceil(poll.window / 99) + 1);
			});
		}
		console.log(lines.join('\n'));
		for (const check of checks) check();
		expect(producedMessages.length).toBeGreaterThan(3000);
		expect(tracked[0].polls.filter((poll) => poll.failed).length).toBeGreaterThanOrEqual(5);
	}, 120_000);
});
