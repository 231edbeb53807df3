/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- a benchmark script (dev tool, never shipped): it prints its figures, reads its arguments, forks worker processes and sets the process exit code */
/**
 * ./dev bench:workers [--processes 1,2,3,5] [--items 1000] [--max 100] [--interval 10000] [--latency 0] [--sliding] [--count-refused] [--verbose]
 *
 * Many workers, one rate limit. For each K in --processes: K independent OS processes (forked
 * Node.js processes, each with its own copy of the node and so its own rate budget, like n8n
 * queue-mode workers) each run *Message → Send* for their share of --items through n8n's engine
 * (default settings), all started at the same moment, against one sandbox enforcing the limit
 * with HighLevel's X-RateLimit-* headers and 429s. Prints per K: wall time / floor (from "go";
 * also from the first request, after n8n has prepared the items), 429s per send,
 * items that needed their last attempt (5th), failed items, duplicate and lost sends as the server
 * saw them, the busiest 10 s. `--sliding`: the sandbox's window slides (any 100 in 10 s) instead of
 * starting with its first request; `--count-refused`: refused requests count against it too (an
 * API that does; with the fixed window that changes nothing, a refusal only comes when it is
 * full). `--verbose`: when the API's windows opened and when requests were refused.
 * Exits 1 when a run failed an item, duplicated or lost a send.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, DEMO } from '../sandbox';
import { DEFAULT_RETRY_POLICY } from '../nodes/ConversationsApi/shared/retry';
import { amountOption } from './args';

interface Job {
	baseUrl: string;
	token: string;
	locationId: string;
	first: number;
	count: number;
	worker: number;
}

interface Done {
	failed: number;
	firstFailure?: string;
}

const tag = (index: number) => `Worker benchmark message #${index}`;

/** A worker process: loads n8n's engine, waits for "go", sends its share, reports. */
async function child(): Promise<void> {
	const { credentials, runNode } = await import('../test/support/engine');
	const job = await new Promise<Job>((resolve) => process.once('message', (message) => resolve(message as Job)));
	const credential = credentials.privateIntegrationToken({ privateIntegrationToken: job.token, locationId: job.locationId, baseUrl: job.baseUrl });
	// Warm the engine up (as a running n8n worker is): items with no Contact ID fail before any request.
	await runNode({
		parameters: { resource: 'message', operation: 'send', type: 'SMS', contactId: '', message: 'warm-up' },
		input: Array.from({ length: job.count }, () => ({ json: {} })),
		credentials: credential,
		credentialId: 'warm-up',
		continueOnFail: true,
	});
	process.send?.('ready');
	await new Promise((resolve) => process.once('message', resolve));
	const { items } = await runNode({
		parameters: { resource: 'message', operation: 'send', type: 'SMS', contactId: DEMO.smsContactId, message: '={{ $json.text }}' },
		input: Array.from({ length: job.count }, (_, index) => ({ json: { text: tag(job.first + index) } })),
		credentials: credential,
		credentialId: 'shared-token',
		continueOnFail: true,
	});
	const failed = items.filter((item) => item.error);
	const done: Done = { failed: failed.length, firstFailure: failed[0]?.error?.message };
	process.send?.(done, () => process.exit(0));
}

interface Attempts {
	tries: number;
	accepted: number;
}

async function runK(processes: number, items: number, max: number, intervalMs: number, latencyMs: number, countRefused: boolean, sliding: boolean) {
	const attempts = new Map<string, Attempts>();
	let tooMany = 0;
	let firstRequestAt: number | undefined;
	const refusedAt: number[] = [];
	const acceptedAt: number[] = [];
	const sandbox = await createSandbox({ conversations: 20, rateLimit: { max, intervalMs, countRefused, sliding }, latencyMs });
	const target = new URL(await sandbox.listen());
	// The sandbox refuses before it reads a body: a pass-through proxy sees which item each request was.
	const proxy = http.createServer((request, response) => {
		firstRequestAt ??= Date.now();
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks);
			const upstream = http.request(
				{ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers },
				(answer) => {
					if (request.method === 'POST' && request.url?.split('?')[0] === '/conversations/messages') {
						let text = '';
						try {
							text = String((JSON.parse(body.toString()) as { message?: string }).message ?? '');
						} catch {
							text = ''; // not a send of this benchmark
						}
						const entry = attempts.get(text) ?? { tries: 0, accepted: 0 };
						entry.tries++;
						if (answer.statusCode === 429) {
							tooMany++;
							refusedAt.push(Date.now());
						}
						else if ((answer.statusCode ?? 500) < 300) {
							entry.accepted++;
							acceptedAt.push(Date.now());
						}
						attempts.set(text, entry);
					}
					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
				},
			);
			upstream.on('error', () => response.destroy());
			upstream.end(body);
		});
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	const baseUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	const share = Math.ceil(items / processes);
	const workers = Array.from({ length: processes }, (_, worker) => {
		const first = worker * share;
		const job: Job = { baseUrl, token: sandbox.token, locationId: sandbox.locationId, first, count: Math.max(0, Math.min(share, items - first)), worker };
		const proc = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const exited = new Promise<never>((_resolve, reject) =>
			proc.once('exit', (code) => reject(new Error(`worker ${worker + 1} exited with ${code}`))),
		);
		exited.catch(() => {});
		const ready = Promise.race([new Promise<void>((resolve) => proc.once('message', () => resolve())), exited]);
		const done = ready.then(async () => await Promise.race([new Promise<Done>((resolve) => proc.once('message', (message) => resolve(message as Done))), exited]));
		proc.send(job);
		return { proc, ready, done };
	});
	await Promise.all(workers.map((worker) => worker.ready));
	const started = Date.now();
	for (const worker of workers) worker.proc.send('go');
	const results = await Promise.all(workers.map((worker) => worker.done));
	const wallMs = Date.now() - started;
	await new Promise((resolve) => proxy.close(resolve));
	await sandbox.close();

	let lastAttempt = 0;
	let duplicates = 0;
	let lost = 0;
	let mostTries = 0;
	for (let index = 0; index < items; index++) {
		const entry = attempts.get(tag(index));
		if (!entry || entry.accepted === 0) lost++;
		else {
			if (entry.accepted > 1) duplicates++;
			if (entry.tries >= DEFAULT_RETRY_POLICY.maxAttempts) lastAttempt++;
		}
		mostTries = Math.max(mostTries, entry?.tries ?? 0);
	}
	let busiest = 0;
	acceptedAt.sort((a, b) => a - b);
	for (let i = 0, j = 0; j < acceptedAt.length; j++) {
		while (acceptedAt[j] - acceptedAt[i] >= intervalMs) i++;
		busiest = Math.max(busiest, j - i + 1);
	}
	if (process.argv.includes('--verbose')) {
		// The API's windows as the server opened them (first accepted request after the last one ended).
		const starts: number[] = [];
		for (const at of acceptedAt) if (!starts.length || at >= starts[starts.length - 1] + intervalMs) starts.push(at);
		const since = (at: number) => ((at - started) / 1000).toFixed(2);
		console.log(`  windows opened at ${starts.map(since).join(' ')} s; last send ${since(acceptedAt[acceptedAt.length - 1])} s`);
		console.log(`  refused at ${refusedAt.map(since).join(' ')} s`);
	}
	const failed = results.reduce((sum, result) => sum + result.failed, 0);
	const floorMs = (Math.ceil(items / max) - 1) * intervalMs;
	return {
		processes,
		wallMs,
		ratio: wallMs / floorMs,
		firstMs: (firstRequestAt ?? started) - started,
		tooMany,
		perSend: tooMany / items,
		lastAttempt,
		mostTries,
		failed,
		duplicates,
		lost,
		busiest,
		firstFailure: results.find((result) => result.firstFailure)?.firstFailure,
	};
}

async function main() {
	const index = process.argv.indexOf('--processes');
	const list = index >= 0 ? process.argv[index + 1].split(',').map(Number) : [1, 2, 3, 5];
	if (list.some((k) => !Number.isInteger(k) || k < 1)) throw new Error('--processes must be a comma-separated list of counts');
	const items = Math.floor(amountOption('items', 1000));
	const max = Math.floor(amountOption('max', 100));
	const intervalMs = amountOption('interval', 10_000);
	const latencyMs = amountOption('latency', 0);
	const countRefused = process.argv.includes('--count-refused');
	const sliding = process.argv.includes('--sliding');
	const floorMs = (Math.ceil(items / max) - 1) * intervalMs;
	console.log(
		`${items} sends in all by K worker processes (own budget each), limit ${max} per ${intervalMs / 1000} s${sliding ? ' (sliding window)' : ''}${countRefused ? ' counting refused requests' : ''}${latencyMs ? `, ${latencyMs} ms latency` : ''}; floor ${(floorMs / 1000).toFixed(0)} s`,
	);
	const header = ['K', 'wall', 'wall/floor', 'first request', 'first → last answer', '429s', '429s/send', 'last attempt', 'most tries', 'failed', 'duplicates', 'lost', 'busiest window'];
	console.log(header.join(' | '));
	let ok = true;
	for (const processes of list) {
		const row = await runK(processes, items, max, intervalMs, latencyMs, countRefused, sliding);
		console.log(
			[
				row.processes,
				`${(row.wallMs / 1000).toFixed(1)} s`,
				`${row.ratio.toFixed(3)}×`,
				`${(row.firstMs / 1000).toFixed(1)} s`,
				`${((row.wallMs - row.firstMs) / 1000).toFixed(1)} s = ${((row.wallMs - row.firstMs) / floorMs).toFixed(3)}×`,
				row.tooMany,
				`${(row.perSend * 100).toFixed(1)}%`,
				row.lastAttempt,
				row.mostTries,
				row.failed,
				row.duplicates,
				row.lost,
				`${row.busiest} (limit ${max})`,
			].join(' | '),
		);
		if (row.firstFailure) console.log(`  first failure: ${row.firstFailure}`);
		ok &&= row.failed === 0 && row.duplicates === 0 && row.lost === 0;
	}
	process.exitCode = ok ? 0 : 1;
}

if (process.argv.includes('--child')) {
	child().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
} else {
	main().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}
