/* eslint-disable @n8n/community-nodes/no-restricted-imports --
   test helpers, never shipped: keys, spec files and HTTP with Node built-ins. */
/**
 * What the webhook trigger tests share: a signer with its own Ed25519 key pair (standing in for
 * HighLevel's private key, which nobody outside HighLevel has), a workflow with the trigger and a
 * No-Op node after it, and raw HTTP posts.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { startWebhookServer, WEBHOOK_TRIGGER_TYPE, type N8nWebhookServer } from '../support/webhook';
import { repoRoot, type WorkflowJson } from '../support/workflow';

export interface Signer {
	publicKeyPem: string;
	privateKey: KeyObject;
	sign(body: string | Buffer): string;
}

export function newSigner(type: 'ed25519' | 'rsa' = 'ed25519'): Signer {
	const { publicKey, privateKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
	return {
		publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		privateKey,
		sign: (body) => sign(type === 'rsa' ? 'sha256' : null, Buffer.from(body), privateKey).toString('base64'),
	};
}

/** An example payload of specs/highlevel-api/webhooks/<file>.json. */
export function specExample(file: string, index = 0): IDataObject {
	const spec = JSON.parse(readFileSync(path.join(repoRoot(), 'specs', 'highlevel-api', 'webhooks', `${file}.json`), 'utf8')) as {
		examples: IDataObject[];
	};
	return { ...spec.examples[index] };
}

/** An event as HighLevel sends it: the example plus a fresh webhookId and timestamp. */
export function event(file = 'InboundMessage', index = 0, extra: IDataObject = {}): IDataObject {
	return { ...specExample(file, index), webhookId: randomUUID(), timestamp: new Date().toISOString(), ...extra };
}

/** The workflow; `typeVersion` 1 unless given (1.1 is what a new node gets). */
export function triggerWorkflow(parameters: INodeParameters, typeVersion = 1): WorkflowJson {
	return {
		name: 'Webhook trigger test',
		nodes: [
			{
				id: '0f0e1c5a-1111-4aaa-8bbb-000000000001',
				name: 'HighLevel Webhook Trigger',
				type: WEBHOOK_TRIGGER_TYPE,
				typeVersion,
				position: [0, 0],
				webhookId: '5b7c2a0e-2222-4ccc-9ddd-000000000002',
				parameters,
			},
			{
				id: '0f0e1c5a-1111-4aaa-8bbb-000000000003',
				name: 'Next',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { 'HighLevel Webhook Trigger': { main: [[{ node: 'Next', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

export interface Posted {
	status: number;
	text: string;
}

/** A raw HTTP POST: the exact bytes given, the headers given (content type JSON unless set). */
export async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Posted> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : new Uint8Array(body),
	});
	return { status: response.status, text: await response.text() };
}

/** Posts a signed body (signature over exactly these bytes). */
export async function postSigned(url: string, signer: Signer, body: string, headers: Record<string, string> = {}) {
	return await post(url, body, { 'x-ghl-signature': signer.sign(body), ...headers });
}

let servers: N8nWebhookServer[] = [];

/** Starts n8n's stand-in webhook server with the trigger (closed after each test). */
export async function serve(
	parameters: INodeParameters,
	staticData?: IDataObject,
	mode?: 'webhook' | 'manual',
	typeVersion = 1,
): Promise<N8nWebhookServer> {
	const server = await startWebhookServer({ workflow: triggerWorkflow(parameters, typeVersion), staticData, mode });
	servers.push(server);
	return server;
}

/** Jest hooks: loopback allowed, servers closed (each server is a process of its own: a fresh memory). */
export function useWebhookServers(): void {
	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterAll(() => nock.disableNetConnect());
	afterEach(async () => {
		await Promise.all(servers.map((server) => server.close()));
		servers = [];
	});
}
