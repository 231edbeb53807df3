/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals -- a benchmark script (dev tool, never shipped): it prints its figures and sets the process exit code */
/**
 * ./dev bench:getall — Conversation → Get Many with Return All over 10,000 conversations, through
 * n8n's engine, against a local fake of the API (test/support/fakeApi.ts) with 20 ms latency that
 * enforces HighLevel's 100 requests per 10 s with its X-RateLimit-* headers (429 past it).
 * Figures: rows (and how many unique: must be 10,000), requests, 429s, wall time, and its ratio to
 * the floor: requests × latency while they fit in one window, plus one interval per further window.
 * Cases: every sort value distinct, and every 3 rows sharing one sort value.
 *
 * As in a running n8n, the node type is built once, before any timing (n8n loads node types when
 * it starts, not per execution). The distinct case runs twice: first in a process that has not
 * run the node yet (its code still loading and compiling, as in n8n's first execution after a
 * start), then again, as in an n8n that has been running; the plain loop pages through a small
 * server once, untimed, before its timed runs.
 *
 * `--phases`: one more distinct run, after these, prints where each page spends its time
 * (bench/pagePhases.ts).
 */
import type { IDataObject } from 'n8n-workflow';
import { ConversationsApi } from '../nodes/ConversationsApi/ConversationsApi.node';
import { credentials, runNode } from '../test/support/engine';
import { FakeApi } from '../test/support/fakeApi';
import { phaseLines, recordPhases } from './pagePhases';

const ROWS = 10_000;
const LATENCY_MS = 20;
const LIMIT = { max: 100, intervalMs: 10_000 };
const T0 = Date.UTC(2026, 5, 1);
/** Rows of the plain loop's untimed first run (3 pages). */
const WARM_UP_ROWS = 250;

const nodeType = new ConversationsApi();

function floorMs(requests: number): number {
	const windows = Math.ceil(requests / LIMIT.max);
	const inLast = requests - (windows - 1) * LIMIT.max;
	return (windows - 1) * LIMIT.intervalMs + inLast * LATENCY_MS;
}

/** The server both runs read: `rows` conversations, every `group` of them sharing one sort value. */
async function seededFake(group: number, rows = ROWS): Promise<{ fake: FakeApi; baseUrl: string }> {
	const fake = new FakeApi({ latencyMs: LATENCY_MS, rateLimit: LIMIT });
	const baseUrl = await fake.listen();
	for (let i = 0; i < rows; i++) {
		const conversation = fake.addConversation(`c${String(i).padStart(5, '0')}`, T0 + i);
		conversation.lastMessageDate = T0 + 100_000_000 - Math.floor(i / group) * 1000;
	}
	return { fake, baseUrl };
}

/** Return All through n8n's engine against `fake`. */
async function returnAll(fake: FakeApi, baseUrl: string) {
	return await runNode({
		parameters: { resource: 'conversation', operation: 'getAll', returnAll: true },
		credentials: credentials.privateIntegrationToken({ privateIntegrationToken: fake.token, locationId: fake.locationId, baseUrl }),
		nodeType,
	});
}

async function run(label: string, group: number): Promise<boolean> {
	const { fake, baseUrl } = await seededFake(group);
	// Start in a fresh window of the server's limit, as a new run would.
	const started = Date.now();
	const result = await returnAll(fake, baseUrl);
	const wallMs = Date.now() - started;
	await fake.close();
	const ids = result.items.map((item) => String((item.json as IDataObject).id));
	const unique = new Set(ids).size;
	const requests = fake.count();
	const tooMany = fake.requests.filter((request) => request.status === 429).length;
	const floor = floorMs(requests);
	console.log(
		`${label.padEnd(28)} rows ${String(ids.length).padStart(6)} (unique ${String(unique).padStart(6)}, lost ${ROWS - unique}) · requests ${requests} · 429s ${tooMany} · wall ${(wallMs / 1000).toFixed(2)} s · floor ${(floor / 1000).toFixed(2)} s · ratio ${(wallMs / floor).toFixed(2)}×${result.error ? ` · ERROR ${result.error.message}` : ''}`,
	);
	return !result.error && unique === ROWS && ids.length === ROWS;
}

/**
 * What a script (or n8n's HTTP Request node with pagination) would do instead: page with
 * `startAfterDate` = the last row's sort value until a short page, one request at a time, no
 * pacing. The same server: its wall time is the machine's real floor for these requests.
 */
async function plainLoop(label: string, group: number): Promise<void> {
	const { fake, baseUrl } = await seededFake(group);
	const started = Date.now();
	const ids = await pageThrough(fake, baseUrl);
	const wallMs = Date.now() - started;
	await fake.close();
	const unique = new Set(ids).size;
	const requests = fake.count();
	console.log(
		`${label.padEnd(28)} rows ${String(ids.length).padStart(6)} (unique ${String(unique).padStart(6)}, lost ${ROWS - unique}) · requests ${requests} · 429s ${fake.requests.filter((request) => request.status === 429).length} · wall ${(wallMs / 1000).toFixed(2)} s · floor ${(floorMs(requests) / 1000).toFixed(2)} s · ratio ${(wallMs / floorMs(requests)).toFixed(2)}×`,
	);
}

/** The plain loop's requests: the IDs of the rows read. */
async function pageThrough(fake: FakeApi, baseUrl: string): Promise<string[]> {
	const ids: string[] = [];
	let after: unknown;
	for (;;) {
		const query = new URLSearchParams({
			locationId: fake.locationId,
			limit: '100',
			...(after !== undefined ? { startAfterDate: String(after) } : {}),
		});
		const response = await fetch(`${baseUrl}/conversations/search?${query}`, { headers: { authorization: `Bearer ${fake.token}` } });
		if (response.status === 429) {
			await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
			continue;
		}
		const body = (await response.json()) as { conversations: Array<{ id: string; sort: number[] }> };
		ids.push(...body.conversations.map((row) => row.id));
		if (body.conversations.length < 100) break;
		after = body.conversations[body.conversations.length - 1].sort[0];
	}
	return ids;
}

/** The plain loop's untimed first run, over a small server: its code loaded and compiled. */
async function warmUpLoop(): Promise<void> {
	const { fake, baseUrl } = await seededFake(1, WARM_UP_ROWS);
	await pageThrough(fake, baseUrl);
	await fake.close();
}

async function main() {
	console.log(`Return All of ${ROWS} conversations, ${LATENCY_MS} ms latency, ${LIMIT.max} requests per ${LIMIT.intervalMs / 1000} s`);
	const first = await run('distinct, first run', 1);
	const distinct = await run('distinct sort values', 1);
	const threes = await run('every 3 rows tied', 3);
	console.log('Instead: a plain paging loop (HTTP Request node style: startAfterDate = last sort value, until a short page)');
	await warmUpLoop();
	await plainLoop('distinct sort values', 1);
	await plainLoop('every 3 rows tied', 3);
	if (process.argv.includes('--phases')) {
		const { fake, baseUrl } = await seededFake(1);
		recordPhases(fake);
		await returnAll(fake, baseUrl);
		await fake.close();
		console.log(`Where a page's time goes: one more Return All, distinct sort values`);
		for (const line of phaseLines(LATENCY_MS)) console.log(line);
	}
	if (!first || !distinct || !threes) process.exitCode = 1;
}

main().catch((error: Error) => {
	console.error(error);
	process.exitCode = 1;
});
