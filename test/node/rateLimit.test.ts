/**
 * Pacing through n8n's engine against the sandbox, which enforces HighLevel's limit with its
 * X-RateLimit-* headers and answers 429 past it. Both the node and the sandbox run on the virtual
 * clock (test/support/clock.ts), so 10-second windows pass at once and exactly.
 */
import nock from 'nock';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { createSandbox, DEMO, type Sandbox, type SandboxExchange } from '../../sandbox';
import { credentials, runNode } from '../support/engine';
import { virtualClock } from '../support/clock';

interface Seen extends SandboxExchange {
	at: number;
}

describe('Pacing by the rate limit (sandbox enforcing it, virtual time)', () => {
	const seen: Seen[] = [];

	async function sandboxWith(options: Parameters<typeof createSandbox>[0]) {
		const sandbox = await createSandbox({
			now: virtualClock.now,
			onExchange: (exchange) => seen.push({ ...exchange, at: virtualClock.now() }),
			...options,
		});
		return { sandbox, baseUrl: await sandbox.listen() };
	}

	let sandbox: Sandbox;
	let baseUrl: string;

	beforeAll(async () => {
		nock.enableNetConnect('127.0.0.1');
		({ sandbox, baseUrl } = await sandboxWith({ conversations: 20 }));
	});
	afterAll(async () => {
		await sandbox.close();
		nock.disableNetConnect();
	});
	beforeEach(() => {
		seen.length = 0;
		sandbox.rateLimiter?.reset();
	});

	const texts = (count: number, tag: string): INodeExecutionData[] =>
		Array.from({ length: count }, (_, index) => ({ json: { text: `${tag} #${index}` } }));

	function send(input: INodeExecutionData[], options: { credentialId?: string; retry?: INodeParameters } = {}) {
		return runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				type: 'SMS',
				contactId: DEMO.smsContactId,
				message: '={{ $json.text }}',
				...(options.retry ? { rateLimitAndRetries: options.retry } : {}),
			},
			input,
			credentialId: options.credentialId,
			credentials: credentials.privateIntegrationToken({ privateIntegrationToken: sandbox.token, locationId: sandbox.locationId, baseUrl }),
			continueOnFail: true,
		});
	}

	/** The sends the sandbox accepted, by text, and the most it saw in any 10 s. */
	function serverView(tag: string) {
		const sends = seen.filter((exchange) => exchange.method === 'POST' && exchange.path === '/conversations/messages');
		const accepted = new Map<string, number>();
		for (const exchange of sends) {
			const text = String((exchange.body as IDataObject | undefined)?.message ?? '');
			if (exchange.status < 300 && text.startsWith(tag)) accepted.set(text, (accepted.get(text) ?? 0) + 1);
		}
		const answered = seen.filter((exchange) => exchange.status !== 429).map((exchange) => exchange.at);
		const busiest = Math.max(0, ...answered.map((start) => answered.filter((at) => at >= start && at < start + 10_000).length));
		return {
			tooMany: seen.filter((exchange) => exchange.status === 429).length,
			accepted,
			duplicates: [...accepted.values()].filter((count) => count > 1).length,
			busiest,
		};
	}

	it('250 sends: every one sent once, no 429, never more than 100 in 10 s, in 3 windows', async () => {
		const started = virtualClock.now();
		const { items, error } = await send(texts(250, 'A'));
		const elapsed = virtualClock.now() - started;

		expect(error).toBeUndefined();
		expect(items.filter((item) => item.error)).toEqual([]);
		expect(items).toHaveLength(250);
		const view = serverView('A');
		expect(view.tooMany).toBe(0);
		expect(view.accepted.size).toBe(250);
		expect(view.duplicates).toBe(0);
		expect(view.busiest).toBeLessThanOrEqual(100);
		// 100 + 100 + 50: two full windows waited, and not much more.
		expect(elapsed).toBeGreaterThanOrEqual(20_000);
		expect(elapsed).toBeLessThan(21_000);
	});

	it('the headers are authoritative: budget another process used is not spent again', async () => {
		// Another process (another n8n worker with the same token) used 80 of this window.
		for (let i = 0; i < 80; i++) {
			const response = await fetch(`${baseUrl}/conversations/${DEMO.smsConversationId}`, {
				headers: { authorization: `Bearer ${sandbox.token}`, version: '2021-04-15' },
			});
			expect(response.status).toBe(200);
		}
		seen.length = 0;
		const started = virtualClock.now();

		const { items } = await send(texts(50, 'B'));

		expect(items.filter((item) => item.error)).toEqual([]);
		const view = serverView('B');
		expect(view.tooMany).toBe(0);
		expect(view.accepted.size).toBe(50);
		expect(view.duplicates).toBe(0);
		// 20 fitted in the window (spread over it: another process is spending it); the other 30
		// waited for the next one.
		const sends = seen.filter((exchange) => exchange.method === 'POST');
		expect(sends.filter((exchange) => exchange.at < started + 10_000)).toHaveLength(20);
		expect(virtualClock.now() - started).toBeGreaterThanOrEqual(10_000);
	});

	it('two processes with the same token (separate budgets): no failed item, no duplicate, the overshoot of the first window retried', async () => {
		const [first, second] = await Promise.all([
			send(texts(150, 'C1'), { credentialId: 'worker-1' }),
			send(texts(150, 'C2'), { credentialId: 'worker-2' }),
		]);

		expect([...first.items, ...second.items].filter((item) => item.error)).toEqual([]);
		const one = serverView('C1');
		const two = serverView('C2');
		expect(one.accepted.size).toBe(150);
		expect(two.accepted.size).toBe(150);
		expect(one.duplicates + two.duplicates).toBe(0);
		// (No "busiest 10 s" bound here: the two spread their sends over the API's windows, each of
		// which starts with its first request, so 10 s straddling two windows may hold more than 100.)
		// Both started with a burst at the same moment, before either had seen the other in the
		// headers: the API refused the overshoot once (at most one window's worth), and from then
		// on the headers kept them apart.
		const start = seen[0].at;
		const refused = seen.filter((exchange) => exchange.status === 429);
		expect(refused.length).toBeLessThanOrEqual(100);
		expect(refused.filter((exchange) => exchange.at >= start + 20_000)).toEqual([]);
	});

	it('with Pace Requests off, the burst meets 429s, and every refused send is sent again once', async () => {
		const { items } = await send(texts(150, 'D'), { retry: { paceRequests: false } });

		expect(items.filter((item) => item.error)).toEqual([]);
		const view = serverView('D');
		expect(view.tooMany).toBe(50);
		expect(view.accepted.size).toBe(150);
		expect(view.duplicates).toBe(0);
	});

	it('all pages of Return All and all items share one budget', async () => {
		const small = await sandboxWith({ conversations: 250, rateLimit: { max: 4, intervalMs: 1000 } });
		try {
			seen.length = 0;
			const started = virtualClock.now();
			const { items, error } = await runNode({
				parameters: { resource: 'conversation', operation: 'getAll', returnAll: true },
				input: [{ json: {} }, { json: {} }, { json: {} }, { json: {} }],
				credentials: credentials.privateIntegrationToken({
					privateIntegrationToken: small.sandbox.token,
					locationId: small.sandbox.locationId,
					baseUrl: small.baseUrl,
				}),
			});

			expect(error).toBeUndefined();
			// 250 conversations (and the ones the seed adds for demos) per item, each read in 3 pages.
			const total = small.sandbox.state.listConversations().length;
			expect(items).toHaveLength(4 * total);
			const searches = seen.filter((exchange) => exchange.path === '/conversations/search');
			expect(searches).toHaveLength(12);
			expect(searches.filter((exchange) => exchange.status === 429)).toHaveLength(0);
			// 12 requests at 4 per second: the last ones in the third second.
			expect(virtualClock.now() - started).toBeGreaterThanOrEqual(2000);
		} finally {
			await small.sandbox.close();
		}
	});
});
