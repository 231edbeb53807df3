/**
 * Pacing between processes that cannot talk to each other (n8n queue-mode workers sharing a
 * token), and the window-start estimate, through n8n's engine against the sandbox enforcing
 * HighLevel's limit. Each worker is a run with its own credential ID, so its own rate budget, as
 * in its own process; the only thing they share is the API's headers. Virtual time
 * (test/support/clock.ts): 10-second windows pass at once and exactly.
 */
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { createSandbox, DEMO, type RateLimitOptions, type Sandbox, type SandboxExchange } from '../../sandbox';
import { credentials, runNode } from '../support/engine';
import { virtualClock } from '../support/clock';

interface Seen extends SandboxExchange {
	at: number;
}

const LIMIT = { max: 100, intervalMs: 10_000 };

describe('Pacing between workers and the window-start estimate (sandbox enforcing the limit, virtual time)', () => {
	const seen: Seen[] = [];
	let sandbox: Sandbox;
	let baseUrl: string;

	async function open(rateLimit: RateLimitOptions = LIMIT) {
		sandbox = await createSandbox({
			conversations: 20,
			now: virtualClock.now,
			rateLimit,
			onExchange: (exchange) => seen.push({ ...exchange, at: virtualClock.now() }),
		});
		baseUrl = await sandbox.listen();
	}

	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterAll(() => nock.disableNetConnect());
	beforeEach(() => (seen.length = 0));
	afterEach(async () => await sandbox?.close());

	const texts = (count: number, tag: string): INodeExecutionData[] =>
		Array.from({ length: count }, (_, index) => ({ json: { text: `${tag} #${index}` } }));

	function send(input: INodeExecutionData[], worker: string) {
		return runNode({
			parameters: { resource: 'message', operation: 'send', type: 'SMS', contactId: DEMO.smsContactId, message: '={{ $json.text }}' },
			input,
			credentialId: worker,
			credentials: credentials.privateIntegrationToken({ privateIntegrationToken: sandbox.token, locationId: sandbox.locationId, baseUrl }),
			continueOnFail: true,
		});
	}

	const sends = () => seen.filter((exchange) => exchange.method === 'POST' && exchange.path === '/conversations/messages');

	/** Sends the server accepted, by text; duplicates; 429s. */
	function serverView() {
		const accepted = new Map<string, number>();
		for (const exchange of sends()) {
			const text = String((exchange.body as IDataObject | undefined)?.message ?? '');
			if (exchange.status < 300) accepted.set(text, (accepted.get(text) ?? 0) + 1);
		}
		return {
			accepted,
			duplicates: [...accepted.values()].filter((count) => count > 1).length,
			tooMany: sends().filter((exchange) => exchange.status === 429).length,
		};
	}

	/** K workers, `each` sends each, all started at the same moment. */
	async function workers(count: number, each: number) {
		const started = virtualClock.now();
		const runs = await Promise.all(Array.from({ length: count }, (_, worker) => send(texts(each, `W${worker + 1}`), `worker-${worker + 1}`)));
		const elapsed = virtualClock.now() - started;
		const total = count * each;
		const floor = (Math.ceil(total / LIMIT.max) - 1) * LIMIT.intervalMs;
		return { runs, elapsed, total, floor, view: serverView() };
	}

	it.each([
		[2, 300],
		[3, 200],
	])('%i workers with their own budgets, %i sends each: every send once, 429s at most 5% of the sends, within 1.1× the floor', async (count, each) => {
		await open();
		const { runs, elapsed, total, floor, view } = await workers(count, each);

		expect(runs.flatMap((run) => run.items).filter((item) => item.error)).toEqual([]);
		expect(view.accepted.size).toBe(total);
		expect(view.duplicates).toBe(0);
		expect(view.tooMany).toBeLessThanOrEqual(total * 0.05);
		const t0 = sends()[0].at;
		const buckets: Record<string, string> = {};
		for (const e of sends()) {
			const k = String(Math.floor((e.at - t0) / 10000));
			buckets[k] = (buckets[k] ?? '') + (e.status === 429 ? 'x' : '.');
		}
		const last = sends().filter((e) => e.status < 300).map((e) => e.at - t0);
		console.log(count, each, view.tooMany, elapsed, floor, JSON.stringify(Object.fromEntries(Object.entries(buckets).map(([k, v]) => [k, `${v.split('.').length - 1}/${v.split('x').length - 1}`]))), last.slice(-5));
		const starts: number[] = [];
		for (const e of sends()) if (e.status < 300 && (!starts.length || e.at - t0 >= starts[starts.length - 1] + 10000)) starts.push(e.at - t0);
		console.log('starts', starts.join(' '), 'refused at', sends().filter((e) => e.status === 429).map((e) => Math.round(e.at - t0)).join(' '));
		console.log(sends().slice(-8).map((e) => `${e.at - t0} ${e.status} ${String((e.body as IDataObject)?.message)} ${JSON.stringify(e.responseHeaders['x-ratelimit-remaining'])}`).join('\n'));
		expect(elapsed).toBeLessThanOrEqual(floor * 1.1);
	});
});
