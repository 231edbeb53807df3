/* eslint-disable @n8n/community-nodes/no-restricted-imports --
   test support, never shipped: a local HTTP server with Node built-ins. */
/**
 * An execution that waits (Send and Wait for Response), driven as n8n 2.41 drives it:
 *
 * - `startWaiting` runs the workflow with n8n-core's `WorkflowExecute` until the node puts it to
 *   wait; the execution's data is then "stored" (a structured clone, as n8n saves it);
 * - `listen` serves the execution's waiting URLs like n8n's `WaitingWebhooks`: real HTTP; for a
 *   send-and-wait node the link's signature is checked first with n8n-core's own
 *   `validateUrlSignature` and the instance's HMAC secret (401, node not called, when it fails);
 *   then the node's `webhook()` runs in n8n-core's `WebhookContext` (query and form body parsed as
 *   n8n's express app does); `workflowData` resumes the execution (the node disabled, its input
 *   replaced by the answer) through `WorkflowExecute`; `noWebhookResponse` means the node answered;
 * - `timeOut` is n8n's WaitTracker at the wait's end: the stored execution run again as it is.
 */
import { Container } from '@n8n/di';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import {
	ExecutionLifecycleHooks,
	InstanceSettings,
	validateUrlSignature,
	WAITING_TOKEN_QUERY_PARAM,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IRun,
	type IRunExecutionData,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { additionalDataFor, credentials as credentialSets, setUpBinaryData, TestCredentialsHelper, type CredentialData } from './engine';
import { NODE_TYPE, TestNodeTypes, testNode } from './nodes';

export const NODE_NAME = 'Ask';
export const NODE_ID = 'node-send-and-wait';
export const EXECUTION_ID = 'test-execution';
/** The waiting base URL the engine's additional data gives n8n (engine.ts). */
export const WAITING_BASE = 'http://localhost:5678/webhook-waiting';

const MODE = 'trigger';

export interface WaitingRun {
	/** The first run: it ends waiting (or failed). */
	first: IRun;
	/** The node's output of the first run. */
	sent: INodeExecutionData[];
	credentialsHelper: TestCredentialsHelper;
}

/** What the waiting server did with one request. */
export interface WaitingAnswer {
	status: number;
	contentType: string;
	body: string;
}

function runUntilDone(additionalData: IWorkflowExecuteAdditionalData, hooks: ExecutionLifecycleHooks, run: () => Promise<unknown>) {
	let finished: (run: IRun) => void = () => undefined;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished(fullRunData));
	return run().then(async () => await done);
}

export class WaitingExecution {
	/** Runs after a resume (an answer or the time limit), in order. */
	readonly resumes: IRun[] = [];
	/** Times the node's webhook() was called. */
	webhookCalls = 0;
	/** The stored execution (as n8n's database holds it). */
	stored: IRunExecutionData;
	status: 'waiting' | 'running' | 'finished';
	origin = '';

	private server?: Server;

	constructor(
		readonly workflow: Workflow,
		readonly node: INode,
		readonly run: WaitingRun,
		private readonly credentialsHelper: TestCredentialsHelper,
	) {
		this.stored = structuredClone(run.first.data);
		this.status = run.first.waitTill ? 'waiting' : 'finished';
	}

	/** The URL of a link as the test's server serves it (the message's links name n8n's base URL). */
	local(link: string): string {
		if (!link.startsWith(WAITING_BASE)) throw new Error(`Not a waiting URL of this execution: ${link}`);
		return `${this.origin}/webhook-waiting${link.slice(WAITING_BASE.length)}`;
	}

	/** The node's output of the last resume. */
	get output(): INodeExecutionData[] | undefined {
		const last = this.resumes.at(-1);
		return last?.data.resultData.runData[NODE_NAME]?.at(-1)?.data?.main?.[0] ?? undefined;
	}

	async listen(): Promise<void> {
		this.server = createServer((request, response) => {
			this.handle(request, response).catch((error: Error) => {
				if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
				response.end(error.message);
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}

	/** Sends a request to a link, as a browser or a bot would. */
	async fetch(link: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<WaitingAnswer> {
		const response = await fetch(this.local(link), {
			method: init.method ?? 'GET',
			headers: init.headers,
			body: init.body,
			redirect: 'manual',
		});
		return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
	}

	/** n8n's WaitTracker at the wait's end: the stored execution runs again. */
	async timeOut(): Promise<IRun> {
		if (this.status !== 'waiting') throw new Error('The execution is not waiting');
		if (!this.stored.waitTill) throw new Error('The stored execution has no waitTill');
		return await this.resume(this.stored);
	}

	private async resume(data: IRunExecutionData): Promise<IRun> {
		this.status = 'running';
		const hooks = new ExecutionLifecycleHooks(MODE, EXECUTION_ID, { id: this.workflow.id, nodes: [this.node], connections: {} } as never);
		const additionalData = additionalDataFor(hooks, this.credentialsHelper);
		const run = await runUntilDone(additionalData, hooks, async () => {
			await new WorkflowExecute(additionalData, MODE, data).processRunExecutionData(this.workflow);
		});
		this.resumes.push(run);
		this.stored = structuredClone(run.data);
		this.status = run.waitTill ? 'waiting' : 'finished';
		return run;
	}

	private async handle(request: IncomingMessage & { body?: unknown; query?: IDataObject }, response: ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', this.origin);
		const [, prefix, executionId, suffix] = url.pathname.split('/');
		const reply = (status: number, body: string, type = 'text/plain') => {
			response.writeHead(status, { 'content-type': type });
			response.end(body);
		};
		if (prefix !== 'webhook-waiting' || executionId !== EXECUTION_ID) return reply(404, 'Not found');
		// n8n 2.41 WaitingWebhooks: a send-and-wait node's link must carry a valid signature.
		const isSendAndWait = suffix === this.node.id && this.node.parameters.operation === 'sendAndWait';
		if (isSendAndWait) {
			const signature = url.searchParams.get(WAITING_TOKEN_QUERY_PARAM);
			const secret = Container.get(InstanceSettings).hmacSignatureSecret;
			if (!signature || !validateUrlSignature(signature, url, secret))
				return reply(401, JSON.stringify({ error: 'Invalid token' }), 'application/json');
		}
		if (this.status === 'running') return reply(409, `The execution "${executionId}" is running already.`);
		if (this.status === 'finished') return reply(200, 'No action required', 'text/html');
		const webhooks = (this.workflow.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion).description.webhooks ?? []).filter(
			(description) =>
				description.httpMethod === request.method && description.restartWebhook === true && description.path === '={{ $nodeId }}',
		);
		if (!webhooks.length || suffix !== this.node.id) return reply(404, 'No waiting webhook with a matching path/method');

		// n8n's express app: the query, then the body by content type.
		request.query = Object.fromEntries(url.searchParams.entries());
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		Object.assign(request, { rawBody: raw });
		const type = String(request.headers['content-type'] ?? '')
			.split(';')[0]
			.trim();
		request.body =
			type === 'application/x-www-form-urlencoded'
				? parseQueryString(raw.toString('utf-8'))
				: type === 'application/json' && raw.length
					? JSON.parse(raw.toString('utf-8'))
					: {};
		// express's response methods the node uses.
		const express = Object.assign(response, {
			status: (code: number) => {
				response.statusCode = code;
				return express;
			},
			send: (body: string) => response.end(body),
		});

		// The stored execution, loaded; the node's stack entry is the waiting node.
		const data = structuredClone(this.stored);
		const hooks = new ExecutionLifecycleHooks(MODE, EXECUTION_ID, {} as never);
		const additionalData = {
			...additionalDataFor(hooks, this.credentialsHelper),
			httpRequest: request,
			httpResponse: express,
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData = {
			httpMethod: request.method,
			node: this.node.name,
			path: this.node.id,
			webhookDescription: webhooks[0],
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: additionalData,
		} as unknown as IWebhookData;
		const context = new WebhookContext(this.workflow, this.node, additionalData, MODE, webhookData, [], data);
		const nodeType = this.workflow.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		this.webhookCalls++;
		const result = await nodeType.webhook!.call(context);
		if (result.noWebhookResponse) {
			if (!response.writableEnded) reply(500, 'The node did not answer');
			return;
		}
		const body = typeof result.webhookResponse === 'string' ? result.webhookResponse : JSON.stringify(result.webhookResponse ?? {});
		reply(200, body, typeof result.webhookResponse === 'string' ? 'text/html; charset=utf-8' : 'application/json');
		if (!result.workflowData) return;
		// n8n: the waiting node disabled (it passes its input on), its input the answer, the wait over.
		const entry = data.executionData!.nodeExecutionStack[0];
		entry.node.disabled = true;
		entry.data.main = result.workflowData;
		data.waitTill = undefined;
		data.resultData.runData[NODE_NAME]?.pop();
		await this.resume(data);
	}
}

/** Runs a workflow whose only node is Send and Wait for Response until it waits. */
export async function startWaiting(options: {
	parameters: INodeParameters;
	credentials?: CredentialData;
	input?: INodeExecutionData[];
	continueOnFail?: boolean;
}): Promise<WaitingExecution> {
	await setUpBinaryData();
	const credentialData = options.credentials ?? credentialSets.privateIntegrationToken();
	const credentialsHelper = new TestCredentialsHelper({ ...credentialData });
	const node = testNode({
		id: NODE_ID,
		name: NODE_NAME,
		type: NODE_TYPE,
		parameters: { resource: 'message', operation: 'sendAndWait', ...options.parameters },
		credentialType: Object.keys(credentialData)[0],
		typeVersion: 1.1,
		continueOnFail: options.continueOnFail,
	});
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: new TestNodeTypes(),
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks(MODE, EXECUTION_ID, { id: workflow.id, nodes: [node], connections: {} } as never);
	const additionalData = additionalDataFor(hooks, credentialsHelper);
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [options.input ?? [{ json: {} }]] }, source: null }] },
	});
	const first = await runUntilDone(additionalData, hooks, async () => {
		await new WorkflowExecute(additionalData, MODE, runExecutionData).processRunExecutionData(workflow);
	});
	const sent = first.data.resultData.runData[NODE_NAME]?.[0]?.data?.main?.[0] ?? [];
	const execution = new WaitingExecution(workflow, node, { first, sent, credentialsHelper }, credentialsHelper);
	await execution.listen();
	return execution;
}
