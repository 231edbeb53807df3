/* eslint-disable @n8n/community-nodes/no-restricted-imports --
   test: a failing proxy with Node built-ins */
/**
 * End to end: the sandbox behaves as HighLevel's webhook sender (its own Ed25519 key, retries with
 * the same webhookId, injected faults) and delivers over real HTTP to the trigger in n8n's
 * stand-in webhook server. Each produced event must start exactly one execution, whatever the
 * faults on the way; what cannot be trusted must start none.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, DEMO, MAX_RETRIES, type Sandbox } from '../../sandbox';
import type { N8nWebhookServer } from '../support/webhook';
import { serve, useWebhookServers } from './helpers';

useWebhookServers();

const ALL = ['InboundMessage', 'OutboundMessage', 'ConversationUnreadUpdate', 'ProviderOutboundMessage'];
let sandbox: Sandbox;
let proxy: Server | undefined;

afterEach(async () => {
	await sandbox?.close();
	await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
	proxy = undefined;
});

async function setUp(faults = {}, events = ALL): Promise<N8nWebhookServer> {
	// Retries 10,000x faster than HighLevel's (10 s → 1 ms, doubling).
	sandbox = await createSandbox({ rateLimit: false, conversations: 20, webhooks: { timeScale: 0.0001, faults } });
	const server = await serve({ events, publicKey: sandbox.webhooks.publicKeyPem });
	sandbox.webhooks.register(server.url);
	return server;
}

/** The webhookIds that started executions, sorted. */
async function executed(server: N8nWebhookServer): Promise<string[]> {
	const runs = await server.idle();
	for (const run of runs) expect(run.error).toBeUndefined();
	return runs.map((run) => String(run.json('Next')[0].webhookId)).sort();
}

describe("the sandbox's signed deliveries", () => {
	it('every inbound message gives an InboundMessage and a ConversationUnreadUpdate, each executed once', async () => {
		const server = await setUp();
		const result = await sandbox.simulate({ inboundMessages: 6, newConversations: 2 });
		await sandbox.webhooks.idle();
		const deliveries = sandbox.webhooks.deliveries;
		expect(
			deliveries
				.filter((d) => d.event === 'InboundMessage')
				.map((d) => d.payload.messageId)
				.sort(),
		).toEqual([...result.messages].sort());
		expect(deliveries.filter((d) => d.event === 'ConversationUnreadUpdate')).toHaveLength(8);
		expect(deliveries.every((d) => d.delivered && d.attempts.length === 1 && d.attempts[0].status === 200)).toBe(true);
		expect(await executed(server)).toEqual(deliveries.map((d) => d.webhookId).sort());
	});

	it('a message sent through the API gives an OutboundMessage; a star change a ConversationUnreadUpdate', async () => {
		const server = await setUp();
		const baseUrl = await sandbox.listen();
		const headers = { authorization: `Bearer ${sandbox.token}`, version: '2021-04-15', 'content-type': 'application/json' };
		await fetch(`${baseUrl}/conversations/messages`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ type: 'SMS', contactId: DEMO.smsContactId, message: 'On its way!' }),
		});
		await fetch(`${baseUrl}/conversations/${DEMO.smsConversationId}`, {
			method: 'PUT',
			headers,
			body: JSON.stringify({ locationId: sandbox.locationId, starred: true }),
		});
		await sandbox.webhooks.idle();
		const runs = await server.idle();
		const items = runs.map((run) => run.json('Next')[0]);
		expect(items.map((item) => [item.event, item.body ?? item.starred])).toEqual([
			['OutboundMessage', 'On its way!'],
			['ConversationUnreadUpdate', true],
		]);
		expect(items[0]).toMatchObject({ conversationId: DEMO.smsConversationId, direction: 'outbound', channel: 'SMS', source: 'api' });
	});

	it('faults: duplicates, tampered bodies and reordering still give exactly one execution per event; stale ones none', async () => {
		const server = await setUp({ duplicates: 0.2, tampered: 0.1, stale: 0.05, reorderGroup: 4 });
		await sandbox.simulate({ inboundMessages: 60 });
		await sandbox.webhooks.idle();
		const deliveries = sandbox.webhooks.deliveries;
		const count = (fault?: string) => deliveries.filter((d) => d.fault === fault).length;
		expect(count('duplicate')).toBeGreaterThan(5);
		expect(count('tampered')).toBeGreaterThan(2);
		expect(count('stale')).toBeGreaterThan(0);
		// A tampered first attempt is refused (401) and HighLevel's retry with the genuine bytes gets through.
		for (const delivery of deliveries.filter((d) => d.fault === 'tampered')) {
			expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([401, 200]);
		}
		// A stale event is refused every time: HighLevel retries it 12 times, none runs.
		for (const delivery of deliveries.filter((d) => d.fault === 'stale')) {
			expect(delivery.attempts).toHaveLength(MAX_RETRIES + 1);
			expect(new Set(delivery.attempts.map((attempt) => attempt.status))).toEqual(new Set([401]));
		}
		const trusted = deliveries
			.filter((d) => d.fault !== 'stale')
			.map((d) => d.webhookId)
			.sort();
		expect(await executed(server)).toEqual(trusted);
	});

	it('reordering: events sent in reverse order in groups still each run once, in the order they arrived', async () => {
		const server = await setUp({ reorderGroup: 3 });
		const result = await sandbox.simulate({ inboundMessages: 6 });
		await sandbox.webhooks.idle();
		const messages = sandbox.webhooks.deliveries.filter((delivery) => delivery.event === 'InboundMessage');
		expect(messages.map((delivery) => delivery.payload.messageId)).toEqual(result.messages);
		// Each group of three events (a message and unread updates interleave) goes out last first.
		const order = sandbox.webhooks.deliveries.map((delivery) => delivery.sentAs);
		expect(order).not.toEqual([...order].sort((a, b) => (a ?? 0) - (b ?? 0)));
		expect(order.slice(0, 3)).toEqual([3, 2, 1]);
		expect(await executed(server)).toEqual(sandbox.webhooks.deliveries.map((d) => d.webhookId).sort());
	});

	it("HighLevel's retries after failures (n8n unreachable, 503s): same webhookId, backoff, one execution", async () => {
		const server = await setUp();
		// A front that fails the first 3 attempts of every event, then passes the exact bytes on.
		const attemptsById = new Map<string, number>();
		proxy = createServer(async (request, response) => {
			const chunks: Buffer[] = [];
			for await (const chunk of request) chunks.push(chunk as Buffer);
			const body = Buffer.concat(chunks);
			const id = String((JSON.parse(body.toString()) as { webhookId: string }).webhookId);
			const attempt = (attemptsById.get(id) ?? 0) + 1;
			attemptsById.set(id, attempt);
			if (attempt <= 3) {
				response.writeHead(attempt === 1 ? 502 : 503).end();
				return;
			}
			const answer = await fetch(server.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-ghl-signature': String(request.headers['x-ghl-signature']) },
				body,
			});
			response.writeHead(answer.status).end(await answer.text());
		});
		await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
		sandbox.webhooks.register(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`);
		await sandbox.simulate({ inboundMessages: 3 });
		await sandbox.webhooks.idle();
		for (const delivery of sandbox.webhooks.deliveries) {
			expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([502, 503, 503, 200]);
			const gaps = delivery.attempts.slice(1).map((attempt, i) => attempt.at - delivery.attempts[i].at);
			expect(gaps.every((gap) => gap >= 0)).toBe(true);
		}
		expect(await executed(server)).toEqual(sandbox.webhooks.deliveries.map((d) => d.webhookId).sort());
	});

	it('retries exhausted: 13 attempts in all, then HighLevel gives up', async () => {
		await setUp();
		sandbox.webhooks.register('http://127.0.0.1:9/unreachable');
		await sandbox.simulate({ inboundMessages: 1 });
		await sandbox.webhooks.idle();
		const [message, unread] = sandbox.webhooks.deliveries;
		expect(message.attempts).toHaveLength(MAX_RETRIES + 1);
		expect(message.attempts.every((attempt) => attempt.status === 0)).toBe(true);
		expect(message.delivered).toBe(false);
		expect(unread.event).toBe('ConversationUnreadUpdate');
	});

	it('a custom provider gets a signed ProviderOutboundMessage at its Delivery URL; the message waits as pending', async () => {
		const appServer = await setUp(undefined, ['OutboundMessage']);
		const providerServer = await serve({ events: ['ProviderOutboundMessage'], publicKey: sandbox.webhooks.publicKeyPem });
		sandbox.webhooks.registerProvider('provider-1', providerServer.url);
		const baseUrl = await sandbox.listen();
		const sent = await fetch(`${baseUrl}/conversations/messages`, {
			method: 'POST',
			headers: { authorization: `Bearer ${sandbox.token}`, version: '2021-04-15', 'content-type': 'application/json' },
			body: JSON.stringify({
				type: 'Custom',
				contactId: DEMO.smsContactId,
				message: 'Via the carrier',
				conversationProviderId: 'provider-1',
			}),
		});
		const { messageId } = (await sent.json()) as { messageId: string };
		await sandbox.webhooks.idle();
		const [providerRun] = await providerServer.idle();
		expect(providerRun.json('Next')).toEqual([
			expect.objectContaining({
				event: 'ProviderOutboundMessage',
				type: 'SMS',
				messageId,
				contactId: DEMO.smsContactId,
				phone: sandbox.state.contact(DEMO.smsContactId)?.phone,
				message: 'Via the carrier',
				direction: 'outbound',
			}),
		]);
		expect(sandbox.state.message(messageId)?.status).toBe('pending');
		// The app's URL hears of it too, as an OutboundMessage.
		const [appRun] = await appServer.idle();
		expect(appRun.json('Next')[0]).toMatchObject({ event: 'OutboundMessage', messageId, conversationProviderId: 'provider-1' });
	});

	it('serves its public key', async () => {
		await setUp();
		const baseUrl = await sandbox.listen();
		const response = await fetch(`${baseUrl}/sandbox/webhooks/public-key`);
		expect((await response.text()).trim()).toBe(sandbox.webhooks.publicKeyPem);
		expect(sandbox.webhooks.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA/);
	});
});
