/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals -- a benchmark script (dev tool, never shipped): it prints its figures and sets the process exit code */
/**
 * ./dev bench:getall [--rounds 3] [--phases] — Conversation → Get Many with Return All over 10,000
 * conversations, through n8n's engine, against a local fake of the API (test/support/fakeApi.ts)
 * with 20 ms latency that enforces HighLevel's 100 requests per 10 s with its X-RateLimit-*
 * headers (429 past it). Figures: rows (and how many unique: must be 10,000), requests, 429s, wall
 * time, and its ratio to the floor: requests × latency while they fit in one window, plus one
 * interval per further window.
 *
 * Beside the node, what else reads the same 10,000 rows (every sort value distinct), each stopping
 * when the search's `total` rows are read, as the node does:
 * - n8n's HTTP Request node with its pagination (`startAfterDate` = the last row's sort value): what
 *   an n8n user would use instead;
 * - a minimal programmatic node paging with n8n's `httpRequest` helper and nothing else: the floor
 *   that n8n's HTTP client leaves a node (community nodes must send through it);
 * - a plain `fetch` loop outside n8n (one kept-alive connection): the machine's floor.
 *
 * As in a running n8n, node types are built once, before any timing (n8n loads them when it
 * starts). The node's first distinct run is in a process that has not run it yet (its code still
 * loading and compiling, as in n8n's first execution after a start); then every contender runs once
 * untimed over a small server, and `--rounds` rounds time each of them in turn, as in an n8n that
 * has been running. Last, the node and the plain loop with every 3 rows sharing one sort value.
 *
 * `--phases`: one more distinct run, after these, prints where each page spends its time
 * (bench/pagePhases.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';
import { CREDENTIAL_TYPE } from '../credentials/constants';
import { ConversationsApi } from '../nodes/ConversationsApi/ConversationsApi.node';
import { credentials, runNode, type NodeRunResult } from '../test/support/engine';
import { FakeApi } from '../test/support/fakeApi';
import { countOption } from './args';
import { phaseLines, recordPhases } from './pagePhases';

const ROWS = 10_000;
const LATENCY_MS = 20;
const LIMIT = { max: 100, intervalMs: 10_000 };
const T0 = Date.UTC(2026, 5, 1);
/** Rows of the untimed warm-up runs (3 pages). */
const WARM_UP_ROWS = 250;
const PAGE = 100;

function floorMs(requests: number): number {
	const windows = Math.ceil(requests / LIMIT.max);
	const inLast = requests - (windows - 1) * LIMIT.max;
	return (windows - 1) * LIMIT.intervalMs + inLast * LATENCY_MS;
}

/** The server every run reads: `rows` conversations, every `group` of them sharing one sort value. */
async function seededFake(group: number, rows = ROWS): Promise<{ fake: FakeApi; baseUrl: string }> {
	const fake = new FakeApi({ latencyMs: LATENCY_MS, rateLimit: LIMIT });
	const baseUrl = await fake.listen();
	for (let i = 0; i < rows; i++) {
		const conversation = fake.addConversation(`c${String(i).padStart(5, '0')}`, T0 + i);
		conversation.lastMessageDate = T0 + 100_000_000 - Math.floor(i / group) * 1000;
	}
	return { fake, baseUrl };
}

interface Contender {
	label: string;
	/** Reads every row of `fake`; returns the IDs read and the error, if any. */
	read: (fake: FakeApi, baseUrl: string) => Promise<{ ids: string[]; error?: string }>;
}

const nodeType = new ConversationsApi();

function pit(fake: FakeApi, baseUrl: string) {
	return credentials.privateIntegrationToken({ privateIntegrationToken: fake.token, locationId: fake.locationId, baseUrl });
}

/** What a run read: the IDs of its rows (by default one output item per row) and its error, if any. */
function outcome(result: NodeRunResult, ids = result.items.map((item) => String((item.json as IDataObject).id))) {
	return { ids, error: result.error?.message };
}

/** This node: Conversation → Get Many, Return All. */
const thisNode: Contender = {
	label: 'this node, Return All',
	read: async (fake, baseUrl) => {
		const result = await runNode({
			parameters: { resource: 'conversation', operation: 'getAll', returnAll: true },
			credentials: pit(fake, baseUrl),
			nodeType,
		});
		return outcome(result);
	},
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js') as {
	HttpRequest: new () => IVersionedNodeType;
};
const httpRequestType = new HttpRequest();

/** n8n's HTTP Request node, paginating by `startAfterDate` until `total` rows are read. */
const httpRequestNode: Contender = {
	label: "n8n's HTTP Request node",
	read: async (fake, baseUrl) => {
		const result = await runNode({
			nodeType: httpRequestType,
			typeName: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			credentials: pit(fake, baseUrl),
			parameters: {
				method: 'GET',
				url: `${baseUrl}/conversations/search`,
				sendQuery: true,
				queryParameters: {
					parameters: [
						{ name: 'locationId', value: fake.locationId },
						{ name: 'limit', value: String(PAGE) },
					],
				},
				sendHeaders: true,
				headerParameters: {
					parameters: [
						{ name: 'Authorization', value: `Bearer ${fake.token}` },
						{ name: 'Version', value: '2021-04-15' },
					],
				},
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: {
								parameters: [{ type: 'qs', name: 'startAfterDate', value: '={{ $response.body.conversations.last().sort[0] }}' }],
							},
							paginationCompleteWhen: 'other',
							completeExpression: `={{ $response.body.conversations.length < ${PAGE} || $pageCount * ${PAGE} >= $response.body.total }}`,
						},
					},
				},
			},
		});
		const ids = result.items.flatMap((item) =>
			((item.json as { conversations?: Array<{ id: string }> }).conversations ?? []).map((row) => row.id),
		);
		return outcome(result, ids);
	},
};

interface SearchBody {
	conversations: Array<{ id: string; sort: number[] }>;
	total: number;
}

/** A programmatic node that pages with n8n's `httpRequest` helper and does nothing else. */
const helperLoopType: INodeType = {
	description: {
		displayName: 'Helper Loop',
		name: 'helperLoop',
		group: ['transform'],
		version: 1,
		description: 'Pages with httpRequest',
		defaults: { name: 'Helper Loop' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: CREDENTIAL_TYPE.privateIntegrationToken, required: true }],
		properties: [],
	} as unknown as INodeTypeDescription,
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credential = await this.getCredentials(CREDENTIAL_TYPE.privateIntegrationToken);
		const rows: INodeExecutionData[] = [];
		let after: number | undefined;
		for (;;) {
			// n8n's HTTP client alone, the header set here as the node signs a token itself (shared/transport.ts).
			// eslint-disable-next-line @n8n/community-nodes/no-http-request-with-manual-auth
			const body = (await this.helpers.httpRequest({
				method: 'GET',
				url: `${String(credential.baseUrl)}/conversations/search`,
				qs: { locationId: credential.locationId, limit: PAGE, ...(after !== undefined ? { startAfterDate: after } : {}) },
				headers: { Authorization: `Bearer ${String(credential.privateIntegrationToken)}`, Version: '2021-04-15' },
				json: true,
			})) as SearchBody;
			for (const row of body.conversations) rows.push({ json: row as unknown as IDataObject });
			if (body.conversations.length < PAGE || rows.length >= body.total) break;
			after = body.conversations[body.conversations.length - 1].sort[0];
		}
		return [rows];
	},
};

const helperLoop: Contender = {
	label: "a node looping n8n's httpRequest",
	read: async (fake, baseUrl) => {
		const result = await runNode({
			parameters: {},
			nodeType: helperLoopType,
			typeName: 'bench.helperLoop',
			credentials: pit(fake, baseUrl),
		});
		return outcome(result);
	},
};

/** Outside n8n: Node's `fetch`, one request at a time, no pacing. */
const plainLoop: Contender = {
	label: 'a plain fetch loop (no n8n)',
	read: async (fake, baseUrl) => {
		const ids: string[] = [];
		let after: unknown;
		for (;;) {
			const query = new URLSearchParams({
				locationId: fake.locationId,
				limit: String(PAGE),
				...(after !== undefined ? { startAfterDate: String(after) } : {}),
			});
			const response = await fetch(`${baseUrl}/conversations/search?${query}`, { headers: { authorization: `Bearer ${fake.token}` } });
			if (response.status === 429) {
				await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
				continue;
			}
			const body = (await response.json()) as SearchBody;
			ids.push(...body.conversations.map((row) => row.id));
			if (body.conversations.length < PAGE || ids.length >= body.total) break;
			after = body.conversations[body.conversations.length - 1].sort[0];
		}
		return { ids };
	},
};

/** Times one read over a fresh server; prints its line; returns its ratio to the floor, or NaN when rows were lost or it failed. */
async function timed(contender: Contender, label: string, group: number): Promise<number> {
	const { fake, baseUrl } = await seededFake(group);
	// Start in a fresh window of the server's limit, as a new run would.
	const started = Date.now();
	const { ids, error } = await contender.read(fake, baseUrl);
	const wallMs = Date.now() - started;
	await fake.close();
	const unique = new Set(ids).size;
	const requests = fake.count();
	const tooMany = fake.requests.filter((request) => request.status === 429).length;
	const ratio = wallMs / floorMs(requests);
	console.log(
		`${label.padEnd(44)} rows ${String(ids.length).padStart(6)} (unique ${String(unique).padStart(6)}, lost ${ROWS - unique}) · requests ${requests} · 429s ${tooMany} · wall ${(wallMs / 1000).toFixed(2)} s · floor ${(floorMs(requests) / 1000).toFixed(2)} s · ratio ${ratio.toFixed(2)}×${error ? ` · ERROR ${error}` : ''}`,
	);
	return !error && unique === ROWS && ids.length === ROWS ? ratio : Number.NaN;
}

/** One untimed read over a small server: the contender's code loaded and compiled. */
async function warmUp(contender: Contender): Promise<void> {
	const { fake, baseUrl } = await seededFake(1, WARM_UP_ROWS);
	await contender.read(fake, baseUrl);
	await fake.close();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
	const rounds = countOption('rounds', 3);
	console.log(`Return All of ${ROWS} conversations, ${LATENCY_MS} ms latency, ${LIMIT.max} requests per ${LIMIT.intervalMs / 1000} s`);
	const first = await timed(thisNode, 'this node, distinct, first run', 1);
	const contenders = [thisNode, httpRequestNode, helperLoop, plainLoop];
	for (const contender of contenders) await warmUp(contender);
	const ratios = new Map<Contender, number[]>(contenders.map((contender) => [contender, []]));
	for (let round = 1; round <= rounds; round++) {
		for (const contender of contenders)
			ratios.get(contender)!.push(await timed(contender, `${contender.label}, distinct, round ${round}`, 1));
	}
	const threes = await timed(thisNode, 'this node, every 3 rows tied', 3);
	await timed(plainLoop, 'a plain fetch loop, every 3 rows tied', 3);
	console.log(`Median ratio to the floor over ${rounds} round(s), distinct sort values:`);
	for (const contender of contenders) console.log(`  ${contender.label.padEnd(40)} ${median(ratios.get(contender)!).toFixed(2)}×`);
	if (process.argv.includes('--phases')) {
		const { fake, baseUrl } = await seededFake(1);
		recordPhases(fake);
		await thisNode.read(fake, baseUrl);
		await fake.close();
		console.log(`Where a page's time goes: one more Return All, distinct sort values`);
		for (const line of phaseLines(LATENCY_MS)) console.log(line);
	}
	const nodeRatios = [first, threes, ...ratios.get(thisNode)!];
	if (nodeRatios.some((ratio) => Number.isNaN(ratio))) process.exitCode = 1;
}

main().catch((error: Error) => {
	console.error(error);
	process.exitCode = 1;
});
