/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports --
   a benchmark script (dev tool, never shipped): it prints its figures and sets the process exit code */
/**
 * ./dev bench:webhook — what the HighLevel Conversations Webhook Trigger costs per event.
 *
 * 10,000 signed deliveries (Ed25519, the sandbox's way of signing): 8,900 distinct events, 1,000
 * duplicates of earlier ones (10 %), 100 tampered bodies (1 %), in a shuffled order.
 *
 * 1. Node: each delivery goes to the node's webhook() in n8n-core's WebhookContext, with the raw
 *    bytes in `rawBody` as n8n hands them over; time per event (verify + parse + dedupe + item),
 *    and, beside it, Ed25519 verification alone and the replay record alone. n8n's plain Webhook
 *    node (n8n-nodes-base) gets the same deliveries: what a user would use instead.
 * 2. HTTP: the same deliveries over loopback into the stand-in of n8n's webhook server
 *    (test/support/webhook.ts), 20 at a time, each accepted event running a workflow through the
 *    engine: executions started must equal the distinct valid events.
 * 3. Memory of the replay record: heap for 8,900 and for 100,000 (the bound) remembered IDs, and
 *    the size of what is written to static data.
 *
 * Exits non-zero when executions differ from the distinct valid events (in either run).
 */
import { createHash, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ExecutionLifecycleHooks, WebhookContext } from 'n8n-core';
import {
	Node,
	Workflow,
	type IDataObject,
	type INode,
	type INodeType,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { HighLevelWebhookTrigger } from '../nodes/HighLevelWebhookTrigger/HighLevelWebhookTrigger.node';
import { MAX_PERSISTED, MAX_REMEMBERED, ReplayMemory } from '../nodes/HighLevelWebhookTrigger/replay';
import { Random } from '../sandbox/random';
import { TestCredentialsHelper, additionalDataFor, setUpBinaryData } from '../test/support/engine';
import { startWebhookServer } from '../test/support/webhook';
import { TestNodeTypes } from '../test/support/nodes';
import type { WorkflowJson } from '../test/support/workflow';

const DELIVERIES = Number(process.argv.find((arg) => arg.startsWith('--deliveries='))?.split('=')[1] ?? 10_000);
const DUPLICATE_SHARE = 0.1;
const TAMPERED_SHARE = 0.01;

interface Request {
	body: Buffer;
	signature: string;
	valid: boolean;
}

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** The deliveries, shuffled; and how many distinct valid events they carry. */
function deliveries(): { requests: Request[]; unique: number } {
	const random = new Random(7);
	const duplicates = Math.round(DELIVERIES * DUPLICATE_SHARE);
	const tampered = Math.round(DELIVERIES * TAMPERED_SHARE);
	const unique = DELIVERIES - duplicates - tampered;
	const events: Request[] = [];
	const make = (i: number): Request => {
		const body = Buffer.from(
			JSON.stringify({
				type: 'InboundMessage',
				locationId: 'bench-location',
				attachments: [],
				body: `Benchmark message ${i}: is my order on its way?`,
				contactId: `contact-${i % 500}`,
				contentType: 'text/plain',
				conversationId: `conversation-${i % 500}`,
				dateAdded: new Date().toISOString(),
				direction: 'inbound',
				messageType: 'SMS',
				messageId: `message-${i}`,
				status: 'delivered',
				webhookId: randomUUID(),
				timestamp: new Date().toISOString(),
			}),
		);
		return { body, signature: sign(null, body, privateKey).toString('base64'), valid: true };
	};
	for (let i = 0; i < unique; i++) events.push(make(i));
	const requests = [...events];
	for (let i = 0; i < duplicates; i++) requests.push(events[random.int(0, events.length - 1)]);
	for (let i = 0; i < tampered; i++) {
		const original = make(unique + i);
		const body = Buffer.from(original.body);
		body[body.indexOf('Benchmark')] = 0x62; // 'B' → 'b' after signing
		requests.push({ body, signature: original.signature, valid: false });
	}
	return { requests: random.shuffle(requests), unique };
}

/** A minimal stand-in for the HTTP response (the node only sets a status and ends it). */
function response() {
	return {
		statusCode: 200,
		headersSent: false,
		writeHead(status: number) {
			this.statusCode = status;
			this.headersSent = true;
			return this;
		},
		end() {
			return this;
		},
	};
}

async function runNodeLevel(
	label: string,
	nodeType: INodeType,
	node: INode,
	requests: Request[],
): Promise<{ label: string; perEventUs: number; executions: number; statuses: Record<number, number> }> {
	const workflow = new Workflow({
		id: 'bench-workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		},
		staticData: {},
	});
	const hooks = new ExecutionLifecycleHooks('webhook', 'bench', {} as never);
	const base = additionalDataFor(hooks, new TestCredentialsHelper({}));
	const description = nodeType.description.webhooks![0];
	let executions = 0;
	const statuses: Record<number, number> = {};
	const started = performance.now();
	for (const request of requests) {
		const res = response();
		const req = {
			headers: { 'content-type': 'application/json', 'x-ghl-signature': request.signature },
			rawBody: request.body,
			body: JSON.parse(request.body.toString()) as IDataObject,
			query: {},
			params: {},
			method: 'POST',
			contentType: 'application/json',
			readRawBody: async () => undefined,
		};
		const additionalData = { ...base, httpRequest: req, httpResponse: res } as unknown as IWorkflowExecuteAdditionalData;
		const webhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: 'bench',
			webhookDescription: description,
			workflowId: workflow.id,
			isTest: false,
		} as unknown as IWebhookData;
		const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
		// As n8n's webhook service: a `Node` subclass (n8n's own Webhook node) gets the context as argument.
		const result =
			nodeType instanceof Node
				? await nodeType.webhook!(context)
				: await (nodeType.webhook as (this: unknown) => Promise<IWebhookResponseData>).call(context);
		if (result.workflowData) executions++;
		const status = result.workflowData ? 200 : res.statusCode;
		statuses[status] = (statuses[status] ?? 0) + 1;
	}
	const perEventUs = ((performance.now() - started) * 1000) / requests.length;
	return { label, perEventUs, executions, statuses };
}

function heapUsed(): number {
	(globalThis as { gc?: () => void }).gc?.();
	(globalThis as { gc?: () => void }).gc?.();
	return process.memoryUsage().heapUsed;
}

async function main(): Promise<number> {
	await setUpBinaryData();
	const { requests, unique } = deliveries();
	const tampered = requests.filter((request) => !request.valid).length;
	console.log(
		`${requests.length} signed deliveries: ${unique} distinct events, ${requests.length - unique - tampered} duplicates, ${tampered} tampered (shuffled)\n`,
	);
	let ok = true;

	// 1. Node level, ours and n8n's plain Webhook node.
	const ours: INode = {
		id: 'bench-trigger',
		name: 'HighLevel Webhook Trigger',
		type: 'n8n-nodes-conversations-api.highLevelWebhookTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { events: ['InboundMessage'], publicKey: publicKeyPem },
	};
	const plain: INode = {
		id: 'bench-plain',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		parameters: { httpMethod: 'POST', path: 'bench', options: {} },
	};
	const nodeTypes = new TestNodeTypes();
	const trigger = await runNodeLevel('HighLevel Conversations Webhook Trigger', new HighLevelWebhookTrigger(), ours, requests);
	const webhook = await runNodeLevel('n8n Webhook node (no verification)', nodeTypes.getByNameAndVersion(plain.type, 2), plain, requests);

	// The parts alone: Ed25519 verification, and the replay record (remember + save).
	let started = performance.now();
	for (const request of requests) verify(null, request.body, publicKey, Buffer.from(request.signature, 'base64'));
	const verifyUs = ((performance.now() - started) * 1000) / requests.length;
	const store = new ReplayMemory().storeFor('bench', 'node');
	const staticData: IDataObject = {};
	const ids = requests.map((request) => createHash('sha1').update(request.body).digest('hex'));
	started = performance.now();
	const now = Date.now();
	for (const id of ids) {
		store.load(staticData, now);
		if (store.remember(id, now)) store.save(staticData);
	}
	const dedupeUs = ((performance.now() - started) * 1000) / requests.length;

	console.log("Node level: webhook() in n8n-core's WebhookContext, raw bytes as n8n hands them over");
	console.log('| Node | Per delivery | Executions started | Answers |');
	console.log('|---|---|---|---|');
	for (const row of [trigger, webhook]) {
		const answers = Object.entries(row.statuses)
			.map(([status, count]) => `${count}× ${status}`)
			.join(', ');
		console.log(`| ${row.label} | ${row.perEventUs.toFixed(1)} µs | ${row.executions} | ${answers} |`);
	}
	console.log(
		`  of which Ed25519 verification alone: ${verifyUs.toFixed(1)} µs; replay record alone (load, remember, save): ${dedupeUs.toFixed(1)} µs`,
	);
	console.log(
		`  extra executions: ours ${trigger.executions - unique}, plain Webhook node ${webhook.executions - unique} ` +
			`(every duplicate and tampered delivery runs the workflow); ratio of cost ${(trigger.perEventUs / webhook.perEventUs).toFixed(2)}×\n`,
	);
	if (trigger.executions !== unique) ok = false;

	// 2. Over HTTP into the stand-in of n8n's webhook server (a fresh process), with executions through the engine.
	const workflow: WorkflowJson = {
		name: 'bench',
		nodes: [
			{ ...ours, webhookId: 'bench-hook' },
			{ id: 'bench-noop', name: 'Next', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
		],
		connections: { 'HighLevel Webhook Trigger': { main: [[{ node: 'Next', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const server = await startWebhookServer({ workflow });
	const statuses: Record<number, number> = {};
	started = performance.now();
	let next = 0;
	const worker = async () => {
		while (next < requests.length) {
			const request = requests[next++];
			const answer = await fetch(server.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-ghl-signature': request.signature },
				body: new Uint8Array(request.body),
			});
			await answer.arrayBuffer();
			statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: 20 }, worker));
	const answeredMs = performance.now() - started;
	const runs = await server.idle();
	const totalMs = performance.now() - started;
	const failed = runs.filter((run) => run.error).length;
	await server.close();
	console.log('HTTP: real requests over loopback, 20 at a time, each accepted event executed through WorkflowExecute');
	console.log(
		`  ${requests.length} deliveries answered in ${(answeredMs / 1000).toFixed(1)} s (${Object.entries(statuses)
			.map(([status, count]) => `${count}× ${status}`)
			.join(', ')}); ` +
			`${runs.length} executions started (distinct valid events: ${unique}), ${failed} failed; all done in ${(totalMs / 1000).toFixed(1)} s\n`,
	);
	if (runs.length !== unique || failed) ok = false;

	// 3. Memory of the replay record.
	const empty = heapUsed();
	const filled = new ReplayMemory().storeFor('bench', 'node');
	for (let i = 0; i < unique; i++) filled.remember(randomUUID(), Date.now());
	const forUnique = heapUsed() - empty;
	const full = new ReplayMemory().storeFor('bench', 'node');
	const beforeFull = heapUsed();
	for (let i = 0; i < MAX_REMEMBERED; i++) full.remember(randomUUID(), Date.now());
	const forBound = heapUsed() - beforeFull;
	const persisted: IDataObject = {};
	full.save(persisted);
	console.log('Replay record');
	console.log(
		`  heap: ${(forUnique / 1024 / 1024).toFixed(1)} MB for ${unique} IDs; ${(forBound / 1024 / 1024).toFixed(1)} MB at the bound (${MAX_REMEMBERED} IDs), ` +
			`${Math.round(forBound / MAX_REMEMBERED)} bytes per ID${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for exact figures)'}`,
	);
	console.log(
		`  static data written per accepted event: ${(String(persisted.replay).length / 1024).toFixed(0)} KB (the ${MAX_PERSISTED} most recent IDs)`,
	);
	console.log(
		ok ? '\nOK: executions = distinct valid events, no extra execution' : '\nFAILED: executions differ from the distinct valid events',
	);
	if (filled.size + full.size === 0) console.log('(empty stores)');
	return ok ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		console.error(`bench:webhook failed: ${error.stack ?? error.message}`);
		process.exit(1);
	},
);
