/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals -- a benchmark script (dev tool, never shipped): it prints its figures and sets the process exit code */
/**
 * ./dev bench:trigger — what the Conversations API Trigger costs: requests per poll (idle, one new
 * message, 500 new messages over 50 conversations) and the size of its saved state after 10,000
 * events, idle polls after a burst, two overlapping polls. The trigger runs through n8n's engine (test/support/poll.ts) against the sandbox on
 * 127.0.0.1, on a fake clock, without rate limiting (every request is counted).
 */
import { createSandbox, type Conversation, type Sandbox } from '../sandbox';
import { Random } from '../sandbox/random';
import { credentials } from '../test/support/engine';
import { TriggerHarness } from '../test/support/poll';

const MINUTE = 60_000;

async function main() {
	let now = Date.UTC(2026, 2, 2, 12, 0, 0);
	let requests = 0;
	const sandbox: Sandbox = await createSandbox({ conversations: 500, rateLimit: false, now: () => now, onExchange: () => requests++ });
	const baseUrl = await sandbox.listen();
	const credential = credentials.privateIntegrationToken({
		privateIntegrationToken: sandbox.token,
		locationId: sandbox.locationId,
		baseUrl,
	});
	const random = new Random(42);
	const conversations = () => sandbox.state.listConversations();
	const add = (conversation: Conversation, direction: 'inbound' | 'outbound' = 'inbound') =>
		sandbox.state.addMessage(conversation, { direction, messageType: 'TYPE_SMS', body: 'benchmark' });

	const rows: Array<[string, string]> = [];
	const measure = async (label: string, harness: TriggerHarness, expectItems?: number) => {
		const before = requests;
		const started = Date.now();
		const result = await harness.poll();
		if (result.error) throw result.error;
		if (expectItems !== undefined && result.items.length !== expectItems) {
			throw new Error(`${label}: ${result.items.length} items, expected ${expectItems}`);
		}
		rows.push([label, `${requests - before} request(s), ${result.items.length} event(s), ${Date.now() - started} ms`]);
	};

	try {
		// New Message
		const messages = new TriggerHarness({ parameters: { event: 'newMessage', direction: 'both' }, credentials: credential });
		await measure('New Message: activation (first poll)', messages, 0);
		now += MINUTE;
		await measure('New Message: idle poll', messages, 0);
		now += MINUTE;
		add(random.pick(conversations()));
		await measure('New Message: 1 new message', messages, 1);
		now += MINUTE;
		for (const conversation of random.shuffle([...conversations()]).slice(0, 50)) {
			for (let i = 0; i < 10; i++) add(conversation, i % 3 ? 'inbound' : 'outbound');
		}
		await measure('New Message: 500 new messages over 50 conversations', messages, 500);
		now += 2 * MINUTE;
		await measure('New Message: idle poll after that', messages, 0);

		// New Conversation and Conversation Updated
		const created = new TriggerHarness({ parameters: { event: 'newConversation' }, credentials: credential });
		await measure('New Conversation: activation', created, 0);
		now += MINUTE;
		await measure('New Conversation: idle poll', created, 0);
		await sandbox.simulate({ newConversations: 3 });
		now += MINUTE;
		await measure('New Conversation: 3 new conversations', created, 3);
		const updated = new TriggerHarness({ parameters: { event: 'conversationUpdated' }, credentials: credential });
		await measure('Conversation Updated: activation', updated, 0);
		now += MINUTE;
		await measure('Conversation Updated: idle poll (100 watched)', updated, 0);

		// Idle after a burst: 150 conversations get a message within the overlap (more than a search page).
		const afterBurst = new TriggerHarness({ parameters: { event: 'newMessage', direction: 'both' }, credentials: credential });
		now += MINUTE;
		await afterBurst.poll();
		now += MINUTE;
		for (const conversation of random.shuffle([...conversations()]).slice(0, 150)) {
			now += 10;
			add(conversation);
		}
		await measure('New Message: burst of 150 changed conversations', afterBurst, 150);
		now += 20_000;
		await measure('New Message: idle poll after the burst (within the overlap)', afterBurst, 0);
		now += 20_000;
		await measure('New Message: next idle poll', afterBurst, 0);
		const createdBurst = new TriggerHarness({ parameters: { event: 'newConversation' }, credentials: credential });
		await createdBurst.poll();
		now += MINUTE;
		await sandbox.simulate({ newConversations: 150 });
		await measure('New Conversation: burst of 150 new conversations', createdBurst, 150);
		now += 20_000;
		await measure('New Conversation: idle poll after the burst', createdBurst, 0);

		// Two polls at once: n8n's next tick starts while the previous poll still reads (300 events).
		const overlapping = new TriggerHarness({ parameters: { event: 'newMessage', direction: 'both' }, credentials: credential });
		now += MINUTE;
		await overlapping.poll();
		now += MINUTE;
		for (const conversation of random.shuffle([...conversations()]).slice(0, 300)) {
			now += 10;
			add(conversation);
		}
		const start = requests;
		const first = overlapping.poll();
		while (requests < start + 3) await new Promise((resolve) => setTimeout(resolve, 1));
		const second = await overlapping.poll();
		const firstResult = await first;
		const third = await overlapping.poll();
		const emitted = [firstResult, second, third].flatMap((result) => result.items.map((item) => String(item.json.id)));
		rows.push([
			'Two overlapping polls, 300 new messages (then one more poll)',
			`emitted ${emitted.length} (${new Set(emitted).size} distinct, ${emitted.length - new Set(emitted).size} duplicates): first ${firstResult.items.length}, overlapping ${second.items.length}, next ${third.items.length}; ${requests - start} requests`,
		]);

		// 10,000 events at a steady rate: 100 new messages a minute, one poll a minute.
		const steady = new TriggerHarness({ parameters: { event: 'newMessage', direction: 'both' }, credentials: credential });
		await steady.poll();
		let events = 0;
		let steadyRequests = 0;
		for (let minute = 0; minute < 100; minute++) {
			for (let i = 0; i < 100; i++) {
				now += 600;
				add(random.pick(conversations()));
			}
			const before = requests;
			const result = await steady.poll();
			if (result.error) throw result.error;
			events += result.items.length;
			steadyRequests += requests - before;
		}
		const seenSteady = Object.keys(steady.state?.seen ?? {}).length;
		rows.push([
			'State after 10,000 events (100 a minute, polled every minute)',
			`${events} emitted; ${steady.stateBytes} bytes of static data (JSON), ${seenSteady} seen entries; ${(steadyRequests / 100).toFixed(1)} requests per poll`,
		]);

		// The worst case for the state: 10,000 events inside one overlap window (60 s).
		const burst = new TriggerHarness({ parameters: { event: 'newMessage', direction: 'both' }, credentials: credential });
		now += 5 * MINUTE;
		await burst.poll();
		now += MINUTE;
		for (let i = 0; i < 10_000; i++) {
			if (i % 200 === 0) now += 1_000;
			add(random.pick(conversations()));
		}
		const before = requests;
		const result = await burst.poll();
		if (result.error) throw result.error;
		rows.push([
			'State after 10,000 events within one minute (one poll)',
			`${result.items.length} emitted with ${requests - before} requests; ${burst.stateBytes} bytes of static data (JSON), ${Object.keys(burst.state?.seen ?? {}).length} seen entries`,
		]);
		// The seen set is pruned by the time of the data (the cursor), not the clock: the next event moves it.
		now += 2 * MINUTE;
		add(random.pick(conversations()));
		await burst.poll();
		rows.push([
			'  ... after the next event, 2 minutes later',
			`${burst.stateBytes} bytes, ${Object.keys(burst.state?.seen ?? {}).length} seen entries`,
		]);
	} finally {
		await sandbox.close();
	}

	const width = Math.max(...rows.map(([label]) => label.length));
	console.log('Conversations API Trigger benchmark (sandbox on 127.0.0.1, 500 conversations, no rate limit)');
	for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
