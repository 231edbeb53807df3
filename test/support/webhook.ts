/* eslint-disable @n8n/community-nodes/no-restricted-imports --
   test support, never shipped: a local HTTP server with Node built-ins. */
/**
 * A stand-in for n8n's production webhook server (n8n 2.41: `LiveWebhooks` and
 * `webhook-helpers.executeWebhook`, `middlewares/body-parser`), so that the webhook trigger receives
 * REAL HTTP requests the way n8n hands them over:
 *
 * - the body is read once into `req.rawBody` (`readRawBody`), then parsed by content type: JSON
 *   (an invalid JSON body is answered 422 "Failed to parse request body" before any node runs, as
 *   n8n does), text, form; `req.body` is `{}` otherwise;
 * - for every request the workflow is built anew from the "database" copy, static data included
 *   (as LiveWebhooks does), and the node's `webhook()` runs in n8n-core's `WebhookContext`;
 * - `noWebhookResponse`: the node has answered; `workflowData`: an execution starts with those
 *   items (the trigger node passes them on, as in n8n) and the request is answered 200
 *   `{"message":"Workflow was started"}` (response mode "On Received"); a throw answers 500 and
 *   counts as an error execution;
 * - then the static data is saved to the "database" when the node changed it (n8n saves it in the
 *   response callback), so concurrent requests race on it exactly as they do in n8n; before that,
 *   as n8n 2.41.1 does when it starts an execution, a second Workflow is built on the same static
 *   data object (which resets its "changed" flag) and the execution's database writes take a moment.
 *
 * Each server is one n8n process: it loads the trigger's node type once (n8n loads each node type
 * once per process), and `restart()` loads it anew, forgetting what the process kept in memory
 * (the trigger's replay record), keeping the database: a restart of n8n.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import { ExecutionLifecycleHooks, WebhookContext } from 'n8n-core';
import {
	sleep,
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IWebhookData,
	type IWebhookDescription,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { HighLevelWebhookTrigger } from '../../nodes/HighLevelWebhookTrigger/HighLevelWebhookTrigger.node';
import { TestCredentialsHelper, additionalDataFor, setUpBinaryData, type CredentialData } from './engine';
import { TestNodeTypes, WEBHOOK_TRIGGER_TYPE } from './nodes';
import { runWorkflow, type WorkflowJson, type WorkflowRunResult } from './workflow';

export { WEBHOOK_TRIGGER_TYPE };

export interface WebhookServerOptions {
	workflow: WorkflowJson;
	/** Credentials for the nodes after the trigger. */
	credentials?: CredentialData;
	/** The trigger node's name; default the workflow's only HighLevel webhook trigger. */
	triggerName?: string;
	/** The workflow's static data as stored in n8n's database at the start. */
	staticData?: IDataObject;
	/** 'manual': the editor's test URL (/webhook-test/...), where n8n runs the webhook in manual mode. */
	mode?: 'webhook' | 'manual';
}

/** n8n's `parseIncomingMessage` (n8n-core): content type and charset on the request. */
function parseIncomingMessage(request: IncomingMessage): void {
	const header = request.headers['content-type'];
	if (!header) return;
	const [type, ...parameters] = header.split(';');
	request.contentType = type.trim().toLowerCase();
	const charset = parameters.map((parameter) => parameter.trim().split('=')).find(([name]) => name.toLowerCase() === 'charset');
	request.encoding = (charset?.[1]?.replace(/"/g, '').toLowerCase() ?? 'utf-8') as BufferEncoding;
}

/** n8n's `rawBodyReader`: `readRawBody()` reads the stream once into `rawBody`. */
function addRawBodyReader(request: IncomingMessage): void {
	request.readRawBody = async () => {
		if (request.rawBody) return;
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		request.rawBody = Buffer.concat(chunks);
		request._body = true;
	};
}

/** n8n's `parseBody`; false when it answered 422 (a JSON body that does not parse). */
async function parseBody(request: IncomingMessage & { body?: unknown }): Promise<boolean> {
	if (request.contentType?.startsWith('multipart/')) return true;
	await request.readRawBody();
	const { rawBody, contentType } = request;
	const encoding = request.encoding ?? 'utf-8';
	if (rawBody?.length) {
		try {
			if (contentType === 'application/json') request.body = JSON.parse(rawBody.toString(encoding));
			else if (contentType === 'application/x-www-form-urlencoded') {
				request.body = parseQueryString(rawBody.toString(encoding), undefined, undefined, { maxKeys: 1000 });
			} else if (contentType === 'text/plain') request.body = rawBody.toString(encoding);
		} catch {
			return false;
		}
	}
	request.body ??= {};
	return true;
}

function send(response: ServerResponse, status: number, body: IDataObject): void {
	if (response.headersSent) return;
	response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify(body));
}

export class N8nWebhookServer {
	/** The trigger's production URL. */
	url = '';
	/** Executions started, in order (each resolves when the execution has finished). */
	readonly executions: Array<Promise<WorkflowRunResult>> = [];
	/** Items each execution started with. */
	readonly triggered: INodeExecutionData[][] = [];
	/** Requests whose webhook() threw (n8n answers 500 and stores an error execution). */
	readonly errors: Error[] = [];
	/** The static data in the "database". */
	staticData: IDataObject;

	private readonly server: Server;
	private readonly trigger: INode;
	private readonly description: IWebhookDescription;
	private readonly credentialsHelper: TestCredentialsHelper;
	/** The node types this "process" loaded (the trigger's holds the process's replay memory). */
	private nodeTypes = new TestNodeTypes({ [WEBHOOK_TRIGGER_TYPE]: new HighLevelWebhookTrigger() });

	constructor(private readonly options: WebhookServerOptions) {
		this.staticData = JSON.parse(JSON.stringify(options.staticData ?? {})) as IDataObject;
		const triggers = options.workflow.nodes.filter((node) =>
			options.triggerName ? node.name === options.triggerName : node.type === WEBHOOK_TRIGGER_TYPE,
		);
		if (triggers.length !== 1) throw new Error(`The workflow "${options.workflow.name}" needs one HighLevel webhook trigger`);
		this.trigger = triggers[0];
		const nodeType = new TestNodeTypes().getByNameAndVersion(this.trigger.type, this.trigger.typeVersion);
		this.description = (nodeType.description.webhooks ?? [])[0];
		this.credentialsHelper = new TestCredentialsHelper({ ...(options.credentials ?? {}) });
		this.server = createServer((request, response) => {
			this.handle(request, response).catch((error: Error) => send(response, 500, { message: error.message }));
		});
	}

	get path(): string {
		return `/webhook/${this.trigger.webhookId ?? 'no-webhook-id'}/${String(this.description.path)}`;
	}

	async listen(): Promise<string> {
		await setUpBinaryData();
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}${this.path}`;
		return this.url;
	}

	/** A restart of n8n: the process forgets its memory; the database (static data) stays. */
	restart(): void {
		this.nodeTypes = new TestNodeTypes({ [WEBHOOK_TRIGGER_TYPE]: new HighLevelWebhookTrigger() });
	}

	/** Waits for every execution started so far. */
	async idle(): Promise<WorkflowRunResult[]> {
		let count = -1;
		while (count !== this.executions.length) {
			count = this.executions.length;
			await Promise.all(this.executions);
		}
		return await Promise.all(this.executions);
	}

	async close(): Promise<void> {
		await this.idle();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(request: IncomingMessage & { body?: unknown }, response: ServerResponse): Promise<void> {
		const [path] = (request.url ?? '').split('?');
		if (request.method !== 'POST' || path !== this.path) return send(response, 404, { message: 'Not found' });
		parseIncomingMessage(request);
		addRawBodyReader(request);
		// n8n (parseRequestBody): a webhook node above version 1 gets its body parsed only for these
		// content types; any other body is left unread, for the node to read.
		const leftUnread =
			this.trigger.typeVersion > 1 &&
			!/^(application\/json|text\/plain|application\/x-www-form-urlencoded)|[/+]xml$/.test(request.contentType ?? '');
		if (!leftUnread && !(await parseBody(request))) {
			return send(response, 422, { code: 422, message: 'Failed to parse request body' });
		}

		// LiveWebhooks: the workflow, static data included, as the database holds it now.
		const source = JSON.parse(JSON.stringify(this.options.workflow)) as WorkflowJson;
		const staticData = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
		const workflow = new Workflow({
			id: 'webhook-workflow',
			name: source.name,
			nodes: source.nodes,
			connections: source.connections,
			active: true,
			nodeTypes: this.nodeTypes,
			settings: source.settings ?? { executionOrder: 'v1' },
			staticData,
		});
		const node = workflow.getNode(this.trigger.name) as INode;
		const mode = this.options.mode ?? 'webhook';
		const hooks = new ExecutionLifecycleHooks('webhook', 'webhook-call', {} as never);
		const additionalData = {
			...additionalDataFor(hooks, this.credentialsHelper),
			httpRequest: request,
			httpResponse: response,
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: this.description.path,
			webhookDescription: this.description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			isTest: mode === 'manual',
		} as unknown as IWebhookData;
		const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);

		let result;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			this.errors.push(error as Error);
			return send(response, 500, { code: 0, message: (error as Error).message });
		}
		if (result.workflowData) {
			// n8n 2.41.1 starting the execution (WorkflowRunner.run): a second Workflow built on the
			// same static data object (establishContextForPersistence), which resets its "changed"
			// flag, then the execution's database writes before the response callback saves.
			new Workflow({
				id: workflow.id,
				name: source.name,
				nodes: source.nodes,
				connections: source.connections,
				active: true,
				nodeTypes: this.nodeTypes,
				staticData,
			});
			await sleep(5);
			const items = result.workflowData[0];
			this.triggered.push(items);
			this.executions.push(
				runWorkflow(this.options.workflow, {
					credentials: this.options.credentials ?? {},
					startNode: node.name,
					triggerItems: items,
				}),
			);
		}
		// The response callback: static data saved when the node changed it, then the answer.
		if (workflow.staticData.__dataChanged === true) {
			const saved = { ...workflow.staticData } as IDataObject;
			delete saved.__dataChanged;
			this.staticData = JSON.parse(JSON.stringify(saved)) as IDataObject;
		}
		if (result.noWebhookResponse) {
			if (!response.writableEnded) send(response, 500, { message: 'The node did not answer' });
			return;
		}
		if (result.workflowData) return send(response, 200, { message: 'Workflow was started' });
		send(response, 200, (result.webhookResponse as IDataObject | undefined) ?? { message: 'Webhook call received' });
	}
}

/** Starts the stand-in for n8n's webhook server with the workflow active. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<N8nWebhookServer> {
	const server = new N8nWebhookServer(options);
	await server.listen();
	return server;
}

/**
 * A copy of the workflow with some parameters of one node set, as a user sets them after importing
 * (e.g. the trigger's Public Key, for a sandbox that signs with its own key).
 */
export function withParameters(workflowJson: WorkflowJson, nodeName: string, parameters: IDataObject): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflowJson)) as WorkflowJson;
	const node = copy.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`The workflow "${copy.name}" has no node "${nodeName}"`);
	Object.assign(node.parameters, parameters);
	return copy;
}
