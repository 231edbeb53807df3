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
import { api, rl } from '../support/api';
import { virtualClock, virtualTime } from '../support/clock';

interface Seen extends SandboxExchange {
	at: number;
}

const LIMIT = { max: 100, intervalMs: 10_000 };

describe('Pacing between workers and the window-start estimate (sandbox enforcing the limit, virtual time)', () => {
	const seen: Seen[] = [];
	let sandbox: Sandbox | undefined;
	let baseUrl: string;

	async function open(rateLimit: RateLimitOptions = LIMIT): Promise<Sandbox> {
		const opened = await createSandbox({
			conversations: 20,
			now: virtualClock.now,
			rateLimit,
			onExchange: (exchange) => seen.push({ ...exchange, at: virtualClock.now() }),
		});
		baseUrl = await opened.listen();
		sandbox = opened;
		return opened;
	}

	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterAll(() => nock.disableNetConnect());
	beforeEach(() => (seen.length = 0));
	afterEach(async () => {
		await sandbox?.close();
		sandbox = undefined;
	});

	const texts = (count: number, tag: string): INodeExecutionData[] =>
		Array.from({ length: count }, (_, index) => ({ json: { text: `${tag} #${index}` } }));

	function send(input: INodeExecutionData[], worker: string) {
		if (!sandbox) throw new Error('no sandbox');
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
		const runs = await Promise.all(
			Array.from({ length: count }, (_, worker) => send(texts(each, `W${worker + 1}`), `worker-${worker + 1}`)),
		);
		const elapsed = virtualClock.now() - started;
		const total = count * each;
		const floor = (Math.ceil(total / LIMIT.max) - 1) * LIMIT.intervalMs;
		return { runs, elapsed, total, floor, view: serverView() };
	}

	it.each([
		[2, 300],
		[3, 200],
	])(
		'%i workers with their own budgets, %i sends each: every send once, 429s at most 5% of the sends, within 1.1× the floor',
		async (count, each) => {
			await open();
			const { runs, elapsed, total, floor, view } = await workers(count, each);

			expect(runs.flatMap((run) => run.items).filter((item) => item.error)).toEqual([]);
			expect(view.accepted.size).toBe(total);
			expect(view.duplicates).toBe(0);
			expect(view.tooMany).toBeLessThanOrEqual(total * 0.05);
			expect(elapsed).toBeLessThanOrEqual(floor * 1.1);
		},
	);

	it('an API with a sliding window that counts refused requests too: safe (nothing fails, nothing twice, few 429s), if slower', async () => {
		await open({ ...LIMIT, sliding: true, countRefused: true });
		const { runs, total, view } = await workers(2, 300);

		expect(runs.flatMap((run) => run.items).filter((item) => item.error)).toEqual([]);
		expect(view.accepted.size).toBe(total);
		expect(view.duplicates).toBe(0);
		expect(view.tooMany).toBeLessThanOrEqual(total * 0.05);
	});

	describe('the window reopens one interval after it began, not after the latest answer', () => {
		it('a run that fills a window begun 4 s earlier sends the rest when that window reopens', async () => {
			await open();
			const opened = virtualClock.now();
			const first = await send(texts(50, 'A'), 'worker-1');
			await virtualTime.sleep(4000);
			seen.length = 0;
			const second = await send(texts(100, 'B'), 'worker-1');

			expect([...first.items, ...second.items].filter((item) => item.error)).toEqual([]);
			const view = serverView();
			expect(view.tooMany).toBe(0);
			expect(view.accepted.size).toBe(100);
			// 50 fitted in the window the first run opened; the other 50 went the moment it reopened
			// (the latest answer, 4 s later, would have held them 4 s longer).
			const at = sends().map((exchange) => exchange.at - opened);
			expect(at.filter((ms) => ms === 4000)).toHaveLength(50);
			expect(at.filter((ms) => ms === 10_000)).toHaveLength(50);
		});

		it('a 429 in a window whose start it knows waits until that window reopens, not the whole seconds of Retry-After', async () => {
			const { token } = await open();
			const opened = virtualClock.now();
			await send(texts(1, 'A'), 'worker-1');
			// Another process takes the rest of the window this one opened.
			for (let i = 0; i < 99; i++) {
				const response = await fetch(`${baseUrl}/conversations/${DEMO.smsConversationId}`, {
					headers: { authorization: `Bearer ${token}`, version: '2021-04-15' },
				});
				expect(response.status).toBe(200);
			}
			await virtualTime.sleep(2300);
			seen.length = 0;

			const { items } = await send(texts(1, 'B'), 'worker-1');

			expect(items.filter((item) => item.error)).toEqual([]);
			// Refused 7.7 s before the reopening; the API says "Retry-After: 8".
			expect(sends().map((exchange) => [exchange.at - opened, exchange.status, exchange.responseHeaders['retry-after']])).toEqual([
				[2300, 429, '8'],
				[10_000, 200, undefined],
			]);
		});

		it('when the API keeps refusing, it waits as the API says (Retry-After and jitter)', async () => {
			const headers = { 'x-ratelimit-max': '100', 'x-ratelimit-interval-milliseconds': '10000' };
			const at: number[] = [];
			const answers: Array<[number, Record<string, string>]> = [
				[200, { ...headers, 'x-ratelimit-remaining': '99' }],
				[429, { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': '8' }],
				[429, { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': '3' }],
				[200, { ...headers, 'x-ratelimit-remaining': '99' }],
			];
			const scope = api()
				.get('/conversations/abc')
				.times(4)
				.reply(() => {
					at.push(virtualClock.now());
					const [status, answer] = answers[at.length - 1];
					return [status, status === 200 ? { id: 'abc' } : { statusCode: 429, message: 'Too many requests' }, answer];
				});
			const get = () => runNode({ parameters: { resource: 'conversation', operation: 'get', conversationId: rl('abc') } });

			const opened = virtualClock.now();
			await get();
			await virtualTime.sleep(2300);
			const { error } = await get();

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			const since = at.map((time) => time - opened);
			// The first refusal waits until the window it knows reopens; the second, as the API says.
			expect(since.slice(0, 3)).toEqual([0, 2300, 10_000]);
			expect(since[3]).toBeGreaterThanOrEqual(13_000);
			expect(since[3]).toBeLessThanOrEqual(13_300);
		});
	});
});
