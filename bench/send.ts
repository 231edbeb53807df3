/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals -- a benchmark script (dev tool, never shipped): it prints its figures, reads its arguments and sets the process exit code */
/**
 * ./dev bench:send [--items 1000] [--max 100] [--interval 10000] [--processes 1] [--latency 0]
 *
 * 1,000 Message > Send items through n8n's engine (WorkflowExecute → RoutingNode → the node's
 * pacing and retries, default settings) against the sandbox on 127.0.0.1 enforcing HighLevel's
 * limit of 100 requests per 10 s with its X-RateLimit-* headers and 429s, in real time. Prints
 * the wall time, the achieved rate as a share of the limit, the 429 answers the server gave, the
 * failed items and the duplicate sends the server saw. `--processes 2` splits the items over two
 * concurrent runs with separate budgets (like two n8n workers sharing the token).
 * Exits 1 when an item failed, a send was duplicated or lost, or the rate was under 90%.
 */
import { createSandbox, DEMO } from '../sandbox';
import { credentials, runNode } from '../test/support/engine';
import { amountOption } from './args';

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

interface Seen {
	at: number;
	status: number;
	text?: string;
}

async function main() {
	const items = Math.floor(amountOption('items', 1000));
	const max = Math.floor(amountOption('max', 100));
	const intervalMs = amountOption('interval', 10_000);
	const processes = Math.max(1, Math.floor(amountOption('processes', 1)));
	const latencyMs = amountOption('latency', 0);

	const seen: Seen[] = [];
	const sandbox = await createSandbox({
		conversations: 20,
		rateLimit: { max, intervalMs },
		latencyMs,
		onExchange: (exchange) => {
			if (exchange.method !== 'POST' || exchange.path !== '/conversations/messages') return;
			const body = exchange.body as { message?: string } | undefined;
			seen.push({ at: Date.now(), status: exchange.status, text: body?.message });
		},
	});
	const baseUrl = await sandbox.listen();
	const credential = credentials.privateIntegrationToken({
		privateIntegrationToken: sandbox.token,
		locationId: sandbox.locationId,
		baseUrl,
	});

	console.log(
		`Sending ${items} messages through n8n's engine (${processes} process${processes > 1 ? 'es' : ''}) to the sandbox at ${baseUrl}, limit ${max} per ${intervalMs / 1000} s${latencyMs ? `, ${latencyMs} ms latency` : ''}...`,
	);
	const heapBefore = process.memoryUsage().heapUsed;
	let heapPeak = heapBefore;
	const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 250);
	const started = Date.now();
	const share = Math.ceil(items / processes);
	const runs = await Promise.all(
		Array.from({ length: processes }, (_, worker) => {
			const first = worker * share;
			const input = Array.from({ length: Math.max(0, Math.min(share, items - first)) }, (_, index) => ({
				json: { text: `Benchmark message #${first + index}` },
			}));
			return runNode({
				parameters: { resource: 'message', operation: 'send', type: 'SMS', contactId: DEMO.smsContactId, message: '={{ $json.text }}' },
				input,
				credentials: credential,
				credentialId: `worker-${worker + 1}`,
				continueOnFail: true,
			});
		}),
	);
	const wallMs = Date.now() - started;
	clearInterval(sampler);
	await sandbox.close();

	const outputs = runs.flatMap((run) => run.items);
	const failed = outputs.filter((item) => item.error);
	const accepted = new Map<string, number>();
	for (const exchange of seen) {
		if (exchange.status < 300 && exchange.text) accepted.set(exchange.text, (accepted.get(exchange.text) ?? 0) + 1);
	}
	const duplicates = [...accepted.values()].filter((count) => count > 1).length;
	const missing = items - accepted.size;
	const tooMany = seen.filter((exchange) => exchange.status === 429).length;
	const answeredAt = seen.filter((exchange) => exchange.status < 300).map((exchange) => exchange.at);
	let busiest = 0;
	for (let i = 0, j = 0; j < answeredAt.length; j++) {
		while (answeredAt[j] - answeredAt[i] >= intervalMs) i++;
		busiest = Math.max(busiest, j - i + 1);
	}

	// The rate the sends went at, against the limit's rate (max per interval).
	const rate = accepted.size / (wallMs / 1000);
	const limitRate = max / (intervalMs / 1000);
	const rateShare = rate / limitRate;
	// The fastest the limit allows: a full window at once, then one every interval.
	const idealMs = (Math.ceil(items / max) - 1) * intervalMs;
	const rows: Array<[string, string]> = [
		['items', String(items)],
		['wall time', `${(wallMs / 1000).toFixed(1)} s`],
		['achieved rate', `${rate.toFixed(2)} sends/s = ${(rateShare * 100).toFixed(1)}% of the limit (${limitRate} requests/s)`],
		[
			'fastest the limit allows',
			`${(idealMs / 1000).toFixed(1)} s (a full window, then ${max} every ${intervalMs / 1000} s): ${((idealMs / wallMs) * 100).toFixed(1)}% of it reached`,
		],
		['busiest window at the server', `${busiest} sends in ${intervalMs / 1000} s (limit ${max})`],
		['429 answers seen', String(tooMany)],
		['requests sent', String(seen.length)],
		['failed items', String(failed.length)],
		['duplicate sends (server)', String(duplicates)],
		['lost sends (server)', String(missing)],
		[
			'memory',
			`heap ${mb(heapBefore)} MB before, ${mb(heapPeak)} MB at most during the run; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
		],
	];
	const width = Math.max(...rows.map(([label]) => label.length));
	for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
	if (failed.length) console.log(`first failure: ${failed[0].error?.message}`);

	const ok = failed.length === 0 && duplicates === 0 && missing === 0 && rateShare >= 0.9;
	console.log(ok ? 'PASS: no failed item, no duplicate, rate at least 90% of the limit' : 'FAIL');
	process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
