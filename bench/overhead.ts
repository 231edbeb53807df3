/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a benchmark script (dev tool, never shipped): it starts a server process (bench/localApi.ts) and prints its figures */
/**
 * ./dev bench:overhead [--items 5000] [--rounds 2]
 *
 * What the node costs n8n per item, next to what a user would use instead: N items of
 * Conversation → Get (the conversation ID from an expression, `{{ $json.id }}`) through n8n's
 * engine (WorkflowExecute → RoutingNode → the node's routingRequest, default settings), and the
 * same N GETs with n8n's HTTP Request node (n8n-nodes-base, URL from an expression, the same
 * headers), in the same run, against a local server in another process that answers at once and
 * declares no practical limit in its X-RateLimit-* headers (so pacing never waits).
 *
 * Prints per item: CPU time of this process (user + system), wall time, expressions n8n evaluated,
 * credential reads (the stand-in store answers from memory; in n8n each read loads the credential
 * from the database and decrypts it, a cost these CPU figures do not include); and the peak heap.
 * The rounds alternate the two nodes; each figure is the best round.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Workflow, type INode, type INodeExecutionData, type INodeParameters, type INodeType, type IVersionedNodeType } from 'n8n-workflow';
import { ConversationsApi } from '../nodes/ConversationsApi/ConversationsApi.node';
import { TestCredentialsHelper, credentials, executeWorkflow, setUpBinaryData } from '../test/support/engine';
import { TestNodeTypes } from '../test/support/nodes';
import { startLocalApi } from './localApi';
import { countOption } from './args';

const TOKEN = 'bench-token';
const LOCATION = 'bench-location';

/** Counts the expressions n8n evaluates (each `={{ ... }}` string resolved). */
const expressionCount = { value: 0 };
function countExpressions(): void {
	const resolve = createRequire(require.resolve('n8n-workflow'));
	const { Expression } = resolve('./expression.js') as { Expression: { prototype: Record<string, (...args: unknown[]) => unknown> } };
	const original = Expression.prototype.resolveSimpleParameterValue;
	Expression.prototype.resolveSimpleParameterValue = function (this: unknown, ...args: unknown[]) {
		expressionCount.value++;
		return original.apply(this, args);
	};
}

interface Contender {
	label: string;
	node: INode;
	nodeType: INodeType | IVersionedNodeType;
}

interface Figures {
	cpuMs: number;
	wallMs: number;
	expressions: number;
	heapPeak: number;
	/** Credential reads (in n8n each loads the credential from the database and decrypts it). */
	credentialReads: number;
	failed: number;
	outputs: number;
}

async function run(contender: Contender, input: INodeExecutionData[], baseUrl: string): Promise<Figures> {
	const credentialsHelper = new TestCredentialsHelper(
		credentials.privateIntegrationToken({ privateIntegrationToken: TOKEN, locationId: LOCATION, baseUrl }),
	);
	const workflow = new Workflow({
		id: 'bench',
		nodes: [contender.node],
		connections: {},
		active: false,
		// As n8n's own NodeTypes: a declarative node with a webhook (Send and Wait) gets an `execute`
		// that runs its routing, so its expressions see the input items.
		nodeTypes: new TestNodeTypes({ [contender.node.type]: contender.nodeType as INodeType }),
	});
	global.gc?.();
	let heapPeak = process.memoryUsage().heapUsed;
	const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
	expressionCount.value = 0;
	const cpu = process.cpuUsage();
	const started = performance.now();
	const { run: result, error } = await executeWorkflow(workflow, {
		startNode: contender.node,
		input,
		mode: 'manual',
		credentialsHelper,
	});
	const wallMs = performance.now() - started;
	const used = process.cpuUsage(cpu);
	clearInterval(sampler);
	heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
	const task = result?.data.resultData.runData[contender.node.name]?.[0];
	const items = task?.data?.main?.[0] ?? [];
	const failedAll = error ?? task?.error;
	return {
		cpuMs: (used.user + used.system) / 1000,
		wallMs,
		expressions: expressionCount.value,
		heapPeak,
		credentialReads: credentialsHelper.reads,
		failed: failedAll ? input.length : items.filter((item) => item.json.error !== undefined || item.error).length,
		outputs: items.length,
	};
}

function contenders(baseUrl: string): Contender[] {
	const credential = { conversationsApi: { id: 'cred-1', name: 'Bench credential' } };
	const getParameters: INodeParameters = {
		authentication: 'privateIntegrationToken',
		resource: 'conversation',
		operation: 'get',
		conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
	};
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js') as {
		HttpRequest: new () => IVersionedNodeType;
	};
	return [
		{
			label: 'Conversations API → Conversation → Get',
			nodeType: new ConversationsApi(),
			node: {
				id: 'a',
				name: 'Conversations API',
				type: 'bench.conversationsApi',
				typeVersion: 1,
				position: [0, 0],
				parameters: getParameters,
				credentials: credential,
				onError: 'continueRegularOutput',
			},
		},
		{
			label: "n8n's HTTP Request node (GET, same headers)",
			nodeType: new HttpRequest(),
			node: {
				id: 'b',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [0, 0],
				onError: 'continueRegularOutput',
				parameters: {
					method: 'GET',
					url: `=${baseUrl}/conversations/{{ encodeURIComponent($json.id) }}`,
					sendHeaders: true,
					headerParameters: {
						parameters: [
							{ name: 'Authorization', value: `Bearer ${TOKEN}` },
							{ name: 'Version', value: '2021-04-15' },
							{ name: 'Accept', value: 'application/json' },
						],
					},
					options: {},
				},
			},
		},
	];
}

const perItem = (value: number, items: number) => (value / items).toFixed(3);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

async function main() {
	const items = countOption('items', 5000);
	const rounds = countOption('rounds', 2);
	countExpressions();
	await setUpBinaryData();
	const { url, child } = await startLocalApi(LOCATION);
	try {
		const input = Array.from({ length: items }, (_, index) => ({ json: { id: `conv-${index}` } }));
		const all = contenders(url);
		console.log(`${items} items per run, ${rounds} round(s), server at ${url} (no limit, no latency); Node.js ${process.version}`);
		// Warm-up: the first run of each pays for loading and JIT.
		for (const contender of all) await run(contender, input.slice(0, 200), url);
		const best = new Map<string, Figures>();
		for (let round = 0; round < rounds; round++) {
			for (const contender of all) {
				const figures = await run(contender, input, url);
				const previous = best.get(contender.label);
				if (!previous || figures.cpuMs < previous.cpuMs) best.set(contender.label, figures);
			}
		}
		console.log(
			'| Node | CPU per item | Wall per item | Expressions per item | Credential reads per item | Peak heap | Outputs | Failed |',
		);
		console.log('|---|---|---|---|---|---|---|---|');
		for (const contender of all) {
			const f = best.get(contender.label) as Figures;
			console.log(
				`| ${contender.label} | ${perItem(f.cpuMs, items)} ms | ${perItem(f.wallMs, items)} ms | ${(f.expressions / items).toFixed(1)} | ${(f.credentialReads / items).toFixed(1)} | ${mb(f.heapPeak)} MB | ${f.outputs} | ${f.failed} |`,
			);
		}
		const [node, http] = all.map((contender) => best.get(contender.label) as Figures);
		console.log(
			`CPU per item, this node / HTTP Request node: ${(node.cpuMs / http.cpuMs).toFixed(2)}× (goal ≤ 1.2×); wall: ${(node.wallMs / http.wallMs).toFixed(2)}×`,
		);
		if (node.failed || http.failed || node.outputs !== items || http.outputs !== items) process.exitCode = 1;
	} finally {
		child.kill();
	}
}

void main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
