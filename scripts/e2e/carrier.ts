/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tool, never shipped: a stand-in carrier server with Node built-ins */
/**
 * The SMS carrier that templates/custom-provider-bridge.json talks to, as a stand-in (dev tool,
 * never shipped; used by the real-n8n harness, ./dev demo and the Jest suite). Its send endpoint
 * takes `{ to, text, reference }` and answers 200 with its own ID, or 503 for the one number it
 * cannot reach; it keeps every request body it got. `reply` is the carrier's inbound webhook: a
 * subscriber's answer posted as `{ from, text }`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Carrier {
	/** The send endpoint (the template's Carrier settings → carrierUrl). */
	url: string;
	/** Every body the send endpoint got, in order. */
	received: Array<Record<string, unknown>>;
	/** Posts a subscriber's reply to the carrier's inbound webhook URL; returns the HTTP status. */
	reply(webhookUrl: string, from: string, text: string): Promise<number>;
	close(): Promise<void>;
}

export async function startCarrier(refusedNumber: string): Promise<Carrier> {
	const received: Array<Record<string, unknown>> = [];
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
			received.push(body);
			const refused = body.to === refusedNumber;
			response.writeHead(refused ? 503 : 200, { 'content-type': 'application/json' });
			response.end(JSON.stringify(refused ? { error: 'number unreachable' } : { id: `carrier-${received.length}` }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/messages`,
		received,
		async reply(webhookUrl, from, text) {
			const response = await fetch(webhookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ from, text }),
			});
			await response.arrayBuffer();
			return response.status;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/**
 * What a HighLevel user's send on the provider's channel is: `POST /conversations/messages` with
 * `type: Custom` and the provider's ID (the API then hands it to the provider's Delivery URL).
 */
export async function sendThroughProvider(
	api: { baseUrl: string; token: string },
	conversationProviderId: string,
	contactId: string,
	message: string,
): Promise<string> {
	const response = await fetch(`${api.baseUrl}/conversations/messages`, {
		method: 'POST',
		headers: { authorization: `Bearer ${api.token}`, version: '2021-04-15', 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'Custom', contactId, conversationProviderId, message }),
	});
	const body = (await response.json()) as { messageId?: string };
	if (!response.ok || !body.messageId)
		throw new Error(
			`POST /conversations/messages (Custom, provider ${conversationProviderId}): ${response.status} ${JSON.stringify(body)}`,
		);
	return body.messageId;
}
