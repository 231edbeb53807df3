import { createSandbox, type Sandbox } from '../../sandbox';
import { client, fakeClock, newSandbox, type Client } from './helpers';

const RATE_HEADERS = [
	'x-ratelimit-max',
	'x-ratelimit-remaining',
	'x-ratelimit-interval-milliseconds',
	'x-ratelimit-limit-daily',
	'x-ratelimit-daily-remaining',
];

function expectRateHeaders(headers: Record<string, unknown>) {
	for (const name of RATE_HEADERS) expect(headers[name]).toEqual(expect.stringMatching(/^\d+$/));
}

describe('sandbox rate limits', () => {
	let sandbox: Sandbox;
	let api: Client;
	let clock: ReturnType<typeof fakeClock>;

	beforeEach(async () => {
		({ sandbox, api, clock } = await newSandbox({ conversations: 10, rateLimit: undefined }));
	});
	afterEach(() => sandbox.close());

	it('answers exactly 100 of a burst of 150, then 50 × 429, until the window resets', async () => {
		const responses = [];
		for (let i = 0; i < 150; i++) responses.push(await api.search({ limit: 1 }));

		expect(responses.slice(0, 100).map((r) => r.statusCode)).toEqual(Array(100).fill(200));
		expect(responses.slice(100).map((r) => r.statusCode)).toEqual(Array(50).fill(429));
		for (const response of responses) expectRateHeaders(response.headers);

		expect(responses[0].headers).toMatchObject({
			'x-ratelimit-max': '100',
			'x-ratelimit-remaining': '99',
			'x-ratelimit-interval-milliseconds': '10000',
			'x-ratelimit-limit-daily': '200000',
			'x-ratelimit-daily-remaining': '199999',
		});
		expect(responses[99].headers['x-ratelimit-remaining']).toBe('0');
		const refused = responses[149];
		expect(refused.json()).toEqual({ statusCode: 429, message: 'Too many requests' });
		expect(refused.headers).toMatchObject({
			'x-ratelimit-remaining': '0',
			'x-ratelimit-daily-remaining': '199900',
			'retry-after': '10',
		});

		// The window started with its first request: 9.999 s later it is still closed.
		clock.advance(9_999);
		const stillRefused = await api.search({ limit: 1 });
		expect(stillRefused.statusCode).toBe(429);
		expect(stillRefused.headers['retry-after']).toBe('1');

		clock.advance(1);
		const again = await api.search({ limit: 1 });
		expect(again.statusCode).toBe(200);
		expect(again.headers).toMatchObject({ 'x-ratelimit-remaining': '99', 'x-ratelimit-daily-remaining': '199899' });
	});

	it('counts a concurrent burst the same way', async () => {
		const responses = await Promise.all(Array.from({ length: 150 }, () => api.search({ limit: 1 })));
		const counts = responses.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.statusCode]: (acc[r.statusCode] ?? 0) + 1 }), {});
		expect(counts).toEqual({ 200: 100, 429: 50 });
	});

	it('puts the headers on every answer: 200, 400, 401, 403, 404', async () => {
		const answers = await Promise.all([
			api.search(),
			api.get('/conversations/search', { locationId: sandbox.locationId }, { noVersion: true }),
			api.get('/conversations/search', { locationId: sandbox.locationId }, { headers: { authorization: 'Bearer nope' } }),
			api.get('/conversations/search', { locationId: 'someone-else' }),
			api.get('/conversations/does-not-exist'),
			api.get('/no/such/route'),
		]);
		expect(answers.map((r) => r.statusCode)).toEqual([200, 400, 401, 403, 404, 404]);
		for (const answer of answers) expectRateHeaders(answer.headers);
	});

	it('keeps a window per token', async () => {
		for (let i = 0; i < 100; i++) await api.search({ limit: 1 });
		expect((await api.search({ limit: 1 })).statusCode).toBe(429);
		const other = await api.get('/conversations/search', {}, { headers: { authorization: 'Bearer another-token' } });
		expect(other.statusCode).toBe(401);
		expect(other.headers['x-ratelimit-remaining']).toBe('99');
	});
});

describe('sandbox rate limit options', () => {
	it('follows a custom limit and a daily limit', async () => {
		const { sandbox, api, clock } = await newSandbox({ conversations: 5, rateLimit: { max: 3, intervalMs: 1000, daily: 4 } });
		try {
			const first = await Promise.all([1, 2, 3, 4].map(() => api.search()));
			expect(first.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
			expect(first[0].headers).toMatchObject({
				'x-ratelimit-max': '3',
				'x-ratelimit-interval-milliseconds': '1000',
				'x-ratelimit-limit-daily': '4',
			});
			clock.advance(1000);
			expect((await api.search()).statusCode).toBe(200);
			const overDaily = await api.search();
			expect(overDaily.statusCode).toBe(429);
			expect(overDaily.headers['x-ratelimit-daily-remaining']).toBe('0');
			expect(Number(overDaily.headers['retry-after'])).toBeGreaterThan(80_000);
		} finally {
			await sandbox.close();
		}
	});

	it('can be turned off (no limit, no headers)', async () => {
		const { sandbox, api } = await newSandbox({ conversations: 5, rateLimit: false });
		try {
			const responses = await Promise.all(Array.from({ length: 120 }, () => api.search({ limit: 1 })));
			expect(responses.every((r) => r.statusCode === 200)).toBe(true);
			expect(responses[0].headers['x-ratelimit-max']).toBeUndefined();
			expect(sandbox.rateLimiter).toBeUndefined();
		} finally {
			await sandbox.close();
		}
	});

	it('uses the real clock by default', async () => {
		const sandbox = await createSandbox({ conversations: 5 });
		try {
			const response = await client(sandbox).search();
			expect(response.statusCode).toBe(200);
			expect(response.headers['x-ratelimit-remaining']).toBe('99');
		} finally {
			await sandbox.close();
		}
	});
});
