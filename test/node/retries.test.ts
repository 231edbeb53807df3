/* eslint-disable @n8n/community-nodes/no-restricted-imports --
   test code, never shipped: a real local HTTP server drops connections on purpose. */
/**
 * The retry rules of every request, through n8n's engine (WorkflowExecute → RoutingNode → the
 * node's routingRequest): 429 for every method, waiting as the API says; 5xx and network errors
 * retried with exponential backoff and jitter for GET, PUT and DELETE only; a POST that may have
 * reached the API never sent again. Waits pass in virtual time (test/support/clock.ts) and are
 * asserted exactly.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { credentials, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';
import { virtualClock } from '../support/clock';
import { rateLimitAndRetriesField } from '../../nodes/ConversationsApi/shared/descriptions';
import { DEFAULT_RETRY_POLICY } from '../../nodes/ConversationsApi/shared/retry';

const sent = (n: number) => ({ conversationId: 'conv-1', messageId: `msg-${n}`, status: 'pending' });
const sendSms = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'message',
	operation: 'send',
	type: 'SMS',
	contactId: '={{ $json.contactId }}',
	message: '={{ $json.text }}',
	...extra,
});
const smsItems = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ json: { contactId: `c-${index}`, text: `Hello #${index}` } }));
const smsBody = (index: number) => ({ type: 'SMS', contactId: `c-${index}`, message: `Hello #${index}` });

const conversation = { id: 'abc', locationId: 'loc-TEST-1' };
const getConversation = (extra: INodeParameters = {}) =>
	runNode({ parameters: { resource: 'conversation', operation: 'get', conversationId: rl('abc'), ...extra } });

const RATE_HEADERS = {
	'x-ratelimit-max': '100',
	'x-ratelimit-interval-milliseconds': '10000',
	'x-ratelimit-limit-daily': '200000',
	'x-ratelimit-daily-remaining': '150000',
};
const TOO_MANY = { statusCode: 429, message: 'Too many requests' };

/** The virtual time the node waited in a run (long waits are slept in steps of at most 1 s). */
const waited = () => virtualClock.sleeps.reduce((sum, ms) => sum + ms, 0);
/** A 429's wait: what the API asked, plus the jitter (up to 10%, at most 1 s) that keeps processes apart. */
function expectPause(asked: number) {
	expect(waited()).toBeGreaterThanOrEqual(asked);
	expect(waited()).toBeLessThanOrEqual(asked + Math.min(1000, asked * 0.1));
}
/** The virtual time between consecutive requests. */
const gaps = (times: number[]) => times.slice(1).map((time, index) => time - times[index]);

describe('Retries', () => {
	it('the "Rate Limit and Retries" defaults are the policy\'s defaults', () => {
		const defaults = Object.fromEntries(
			(rateLimitAndRetriesField.options ?? []).map((option) => [option.name, (option as { default: unknown }).default]),
		);
		expect(defaults).toEqual({
			paceRequests: DEFAULT_RETRY_POLICY.pace,
			maxAttempts: DEFAULT_RETRY_POLICY.maxAttempts,
			retryWaitMs: DEFAULT_RETRY_POLICY.retryWaitMs,
			maxWaitSeconds: DEFAULT_RETRY_POLICY.maxWaitMs / 1000,
		});
	});

	describe('429: retried for every method, waiting as the API says', () => {
		it('GET: waits Retry-After, then sends it again', async () => {
			const scope = api()
				.get('/conversations/abc')
				.reply(429, TOO_MANY, { ...RATE_HEADERS, 'x-ratelimit-remaining': '0', 'retry-after': '7' })
				.get('/conversations/abc')
				.reply(200, { ...conversation }, { ...RATE_HEADERS, 'x-ratelimit-remaining': '99' });

			const { items, error } = await getConversation();

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expect(json(items)).toEqual([conversation]);
			expectPause(7000);
		});

		it('POST (Send): a refused send was not processed, so it is sent again, once', async () => {
			const scope = api()
				.post('/conversations/messages', smsBody(0))
				.reply(429, TOO_MANY, { ...RATE_HEADERS, 'x-ratelimit-remaining': '0', 'retry-after': '3' })
				.post('/conversations/messages', smsBody(0))
				.reply(201, sent(0), { ...RATE_HEADERS, 'x-ratelimit-remaining': '98' });

			const { items, error } = await runNode({ parameters: sendSms(), input: smsItems(1) });

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expect(json(items)).toEqual([sent(0)]);
			expectPause(3000);
		});

		it('without Retry-After, waits the interval the headers name', async () => {
			const scope = api()
				.get('/conversations/abc')
				.reply(429, TOO_MANY, { ...RATE_HEADERS, 'x-ratelimit-interval-milliseconds': '2500', 'x-ratelimit-remaining': '0' })
				.get('/conversations/abc')
				.reply(200, conversation);

			const { error } = await getConversation();

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expectPause(2500);
		});

		it('a 429 holds back the other items too, instead of letting them meet 429 as well', async () => {
			const bodies: IDataObject[] = [];
			let refused = false;
			const scope = api()
				.post('/conversations/messages')
				.times(3)
				.reply(function (_uri, body) {
					bodies.push(body as IDataObject);
					if (!refused) {
						refused = true;
						return [429, TOO_MANY, { ...RATE_HEADERS, 'x-ratelimit-remaining': '0', 'retry-after': '5' }];
					}
					return [201, sent(bodies.length), { ...RATE_HEADERS, 'x-ratelimit-remaining': '90' }];
				});

			const { items, error } = await runNode({ parameters: sendSms(), input: smsItems(2) });

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			// The first send (the probe) met the 429; the second item waited for its answer and the pause.
			expect(bodies).toEqual([smsBody(0), smsBody(1), smsBody(0)]);
			expect(items).toHaveLength(2);
			expectPause(5000);
		});

		it('gives up after Max Attempts, saying what to do', async () => {
			const scope = api()
				.get('/conversations/abc')
				.times(3)
				.reply(429, TOO_MANY, { ...RATE_HEADERS, 'x-ratelimit-remaining': '0', 'retry-after': '1' });

			const { error } = await getConversation({ rateLimitAndRetries: { maxAttempts: 3 } });

			expect(scope.isDone()).toBe(true);
			expect(error?.message).toBe('Rate limit reached (429) on all 3 attempts');
			expect(error?.description).toContain('Raise "Max Attempts" under "Rate Limit and Retries"');
			expect(error?.description).toContain('The API says: Too many requests');
		});

		it('fails at once when the API asks to wait longer than Max Wait', async () => {
			const scope = api()
				.get('/conversations/abc')
				.reply(429, TOO_MANY, { ...RATE_HEADERS, 'x-ratelimit-remaining': '0', 'retry-after': '120' });

			const { error } = await getConversation({ rateLimitAndRetries: { maxWaitSeconds: 30 } });

			expect(scope.isDone()).toBe(true);
			expect(error?.message).toBe('Rate limit reached (429): the API asks to wait 120 s, longer than "Max Wait" (30 s)');
			expect(waited()).toBe(0);
		});

		it('the daily limit: the item fails at once, and the next items are not sent at all', async () => {
			const scope = api()
				.post('/conversations/messages', smsBody(0))
				.reply(429, TOO_MANY, {
					...RATE_HEADERS,
					'x-ratelimit-remaining': '50',
					'x-ratelimit-daily-remaining': '0',
					'retry-after': '3600',
				});

			const { items, error } = await runNode({ parameters: sendSms(), input: smsItems(2), continueOnFail: true });

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			const message = 'The daily request limit of 200,000 requests of this app and sub-account is used up (429)';
			expect(items.map((item) => item.json)).toEqual([{ error: message }, { error: message }]);
			for (const item of items) expect(item.error?.message).toBe(message);
			expect(items[1].error?.description).toContain('The API did not carry out the request.');
		});
	});

	describe('5xx: retried with exponential backoff and jitter for GET, PUT and DELETE', () => {
		it('GET: 500, 502, 503, then the answer; each wait in its doubling band', async () => {
			const at: number[] = [];
			const answers: Array<[number, unknown]> = [
				[500, { message: 'Internal server error' }],
				[502, 'Bad Gateway'],
				[503, { message: 'Service Unavailable' }],
				[200, conversation],
			];
			const scope = api()
				.get('/conversations/abc')
				.times(4)
				.reply(() => {
					at.push(virtualClock.now());
					return answers.shift() as [number, unknown];
				});

			const { items, error } = await getConversation();

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expect(json(items)).toEqual([conversation]);
			const [first, second, third] = gaps(at);
			// Default first wait 1,000 ms, doubling; half of each wait is fixed, half random.
			expect(first).toBeGreaterThanOrEqual(500);
			expect(first).toBeLessThanOrEqual(1000);
			expect(second).toBeGreaterThanOrEqual(1000);
			expect(second).toBeLessThanOrEqual(2000);
			expect(third).toBeGreaterThanOrEqual(2000);
			expect(third).toBeLessThanOrEqual(4000);
		});

		it('the jitter varies the waits (no two runs in lockstep)', async () => {
			const firsts = new Set<number>();
			for (let run = 0; run < 6; run++) {
				virtualClock.clear();
				api().get('/conversations/abc').reply(500, { message: 'x' }).get('/conversations/abc').reply(200, conversation);
				const { error } = await getConversation();
				expect(error).toBeUndefined();
				firsts.add(waited());
			}
			expect(firsts.size).toBeGreaterThan(1);
		});

		it('PUT (Update) is retried', async () => {
			const scope = api()
				.put('/conversations/abc', { locationId: 'loc-TEST-1', starred: true })
				.reply(503, { message: 'Service Unavailable' })
				.put('/conversations/abc', { locationId: 'loc-TEST-1', starred: true })
				.reply(200, { success: true, conversation: { ...conversation, starred: true } });

			const { items, error } = await runNode({
				parameters: { resource: 'conversation', operation: 'update', conversationId: rl('abc'), updateFields: { starred: true } },
			});

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expect(json(items)).toEqual([{ ...conversation, starred: true }]);
		});

		it('DELETE is retried', async () => {
			const scope = api()
				.delete('/conversations/abc')
				.reply(500, { message: 'Internal server error' })
				.delete('/conversations/abc')
				.reply(200, { success: true });

			const { items, error } = await runNode({ parameters: { resource: 'conversation', operation: 'delete', conversationId: rl('abc') } });

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expect(json(items)).toEqual([{ success: true }]);
		});

		it("Max Attempts and First Retry Wait are the item's options; the last failure says how often it was tried", async () => {
			const scope = api().get('/conversations/abc').times(2).reply(503, { message: 'Service Unavailable' });

			const { error } = await getConversation({ rateLimitAndRetries: { maxAttempts: 2, retryWaitMs: 200 } });

			expect(scope.isDone()).toBe(true);
			expect(error?.message).toBe('The API failed (503) on all 2 attempts');
			expect(error?.description).toContain('The API says: Service Unavailable');
			expect(waited()).toBeGreaterThanOrEqual(100);
			expect(waited()).toBeLessThanOrEqual(200);
		});

		it('a page of Return All is retried on its own: no page is read twice, no item is lost', async () => {
			const firstPage = Array.from({ length: 100 }, (_, index) => ({ id: `c${index}`, sort: [1000 - index] }));
			const query = { locationId: 'loc-TEST-1', limit: 100 };
			const next = { ...query, startAfterDate: 901 };
			const scope = api()
				.get('/conversations/search')
				.query(query)
				.reply(200, { conversations: firstPage, total: 101 })
				.get('/conversations/search')
				.query(next)
				.reply(502, 'Bad Gateway')
				.get('/conversations/search')
				.query(next)
				.reply(429, TOO_MANY, { ...RATE_HEADERS, 'x-ratelimit-remaining': '0', 'retry-after': '2' })
				.get('/conversations/search')
				.query(next)
				.reply(200, { conversations: [{ id: 'c100', sort: [800] }], total: 101 });

			const { items, error } = await runNode({ parameters: { resource: 'conversation', operation: 'getAll', returnAll: true } });

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expect(items.map((item) => item.json.id)).toEqual([...firstPage.map((row) => row.id), 'c100']);
		});

		it('client errors (400) are not retried', async () => {
			const scope = api()
				.get('/conversations/abc')
				.reply(400, { message: ['conversationId must be a string'] });

			const { error } = await getConversation();

			expect(scope.isDone()).toBe(true);
			expect(error?.message).toBe('The API refused the request (400): conversationId must be a string');
			expect(waited()).toBe(0);
		});
	});

	describe('POST: never sent again once it may have reached the API', () => {
		it('a 5xx on Send fails that item only, saying the message may or may not have been sent and which item it was', async () => {
			const bodies: IDataObject[] = [];
			const scope = api()
				.post('/conversations/messages')
				.times(3)
				.reply(function (_uri, body) {
					bodies.push(body as IDataObject);
					return (body as IDataObject).contactId === 'c-1' ? [502, 'Bad Gateway'] : [201, sent(bodies.length)];
				});

			const { items, error } = await runNode({ parameters: sendSms(), input: smsItems(3), continueOnFail: true });

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			// Each item sent exactly once: the failed one was not sent again.
			expect(bodies.map((body) => body.contactId).sort()).toEqual(['c-0', 'c-1', 'c-2']);
			expect(items[1].error?.message).toBe('The message may or may not have been sent (item index 1): the API answered 502');
			expect(items[1].error?.description).toBe(
				'POST /conversations/messages was not sent again, so that nothing happens twice. Check the conversation before running this item again. The API says: Bad Gateway',
			);
			expect(items[0].error).toBeUndefined();
			expect(items[2].error).toBeUndefined();
			expect(waited()).toBe(0);
		});

		it('other POST operations say the request may or may not have been carried out', async () => {
			const scope = api()
				.post('/conversations/', { locationId: 'loc-TEST-1', contactId: 'c-9' })
				.reply(500, { message: 'Internal server error' });

			const { error } = await runNode({ parameters: { resource: 'conversation', operation: 'create', contactId: 'c-9' } });

			expect(scope.isDone()).toBe(true);
			expect(error?.message).toBe('The request may or may not have been carried out (item index 0): the API answered 500');
			expect(error?.description).toContain('POST /conversations/ was not sent again');
		});
	});

	describe('network errors (a real local server)', () => {
		let server: http.Server;
		let baseUrl: string;
		/** What the server received, and what it does with each next request. */
		const received: Array<{ method: string; url: string; body: string }> = [];
		let plan: Array<'drop' | [number, unknown]> = [];

		beforeAll(async () => {
			nock.enableNetConnect('127.0.0.1');
			server = http.createServer((request, response) => {
				let body = '';
				request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
				request.on('end', () => {
					received.push({ method: request.method ?? '', url: request.url ?? '', body });
					const step = plan.shift() ?? [500, { message: 'unplanned' }];
					if (step === 'drop') {
						// The request arrived; the connection dies before any answer.
						request.socket.destroy();
						return;
					}
					response.writeHead(step[0], { 'content-type': 'application/json' });
					response.end(JSON.stringify(step[1]));
				});
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		});
		afterAll(async () => {
			await new Promise((resolve) => server.close(resolve));
			nock.disableNetConnect();
		});
		beforeEach(() => {
			received.length = 0;
			plan = [];
		});

		const local = () => credentials.privateIntegrationToken({ baseUrl });

		it('GET: a dropped connection is retried', async () => {
			plan = ['drop', [200, conversation]];

			const { items, error } = await runNode({
				parameters: { resource: 'conversation', operation: 'get', conversationId: rl('abc') },
				credentials: local(),
			});

			expect(error).toBeUndefined();
			expect(received.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /conversations/abc', 'GET /conversations/abc']);
			expect(json(items)).toEqual([conversation]);
			expect(waited()).toBeGreaterThanOrEqual(500);
			expect(waited()).toBeLessThanOrEqual(1000);
		});

		it('POST: a connection dropped after the send reached the server is not sent again', async () => {
			plan = ['drop'];

			const { items, error } = await runNode({ parameters: sendSms(), input: smsItems(1), credentials: local(), continueOnFail: true });

			expect(error).toBeUndefined();
			expect(received).toHaveLength(1);
			expect(JSON.parse(received[0].body)).toEqual(smsBody(0));
			expect(items[0].error?.message).toBe(
				'The message may or may not have been sent (item index 0): the connection failed after the request was sent (ECONNRESET)',
			);
		});

		it('POST: a refused connection (nothing was sent) is retried', async () => {
			// Nothing listens on this port at first; the server opens it while the node waits to retry.
			const late = http.createServer((request, response) => {
				let body = '';
				request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
				request.on('end', () => {
					received.push({ method: request.method ?? '', url: request.url ?? '', body });
					response.writeHead(201, { 'content-type': 'application/json' });
					response.end(JSON.stringify(sent(1)));
				});
			});
			await new Promise<void>((resolve) => late.listen(0, '127.0.0.1', resolve));
			const port = (late.address() as AddressInfo).port;
			await new Promise((resolve) => late.close(resolve));
			virtualClock.beforeNextSleep(async () => {
				await new Promise<void>((resolve) => late.listen(port, '127.0.0.1', resolve));
			});

			try {
				const { items, error } = await runNode({
					parameters: sendSms(),
					input: smsItems(1),
					credentials: credentials.privateIntegrationToken({ baseUrl: `http://127.0.0.1:${port}` }),
				});

				expect(error).toBeUndefined();
				expect(received).toHaveLength(1);
				expect(JSON.parse(received[0].body)).toEqual(smsBody(0));
				expect(json(items)).toEqual([sent(1)]);
			} finally {
				await new Promise((resolve) => late.close(resolve));
			}
		});
	});
});
