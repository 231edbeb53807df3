/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- a benchmark script (dev tool, never shipped): it prints its figures, reads its arguments, forks worker processes and sets the process exit code */
/**
 * ./dev bench:workers [--processes 1,2,3,5] [--items 1000] [--max 100] [--interval 10000] [--latency 0]
 *   [--window fixed|sliding|sliding-all] [--uneven even|half|late] [--before <commit>] [--table] [--verbose]
 *
 * Many workers, one rate limit. For each K in --processes: K independent OS processes (forked
 * Node.js processes, each with its own copy of the node and so its own rate budget, like n8n
 * queue-mode workers) each run *Message → Send* for their share of --items through n8n's engine
 * (default settings), all started at the same moment, against one sandbox enforcing the limit
 * with HighLevel's X-RateLimit-* headers and 429s. Prints per K: wall time / floor (from "go";
 * also from the first request, after n8n has prepared the items), 429s per send,
 * items that needed their last attempt (5th), failed items, duplicate and lost sends as the server
 * saw them, the busiest 10 s.
 * `--window`: how the sandbox counts: `fixed` (a window starts with its first request, as
 * HighLevel's is assumed to), `sliding` (any `max` accepted requests in an interval), `sliding-all`
 * (refused requests count too). `--sliding` and `--count-refused` are the older spellings.
 * `--uneven half`: worker 1 has half the items of each of the others; `--uneven late`: worker 1
 * starts one interval after the others. `--table`: accepted sends per worker per interval.
 * `--before <commit>`: each case runs twice, the package at that commit first (`git archive`,
 * compiled in a temporary folder), then this one, and prints both rows.
 * `--verbose`: when the API's windows opened and when requests were refused.
 * Exits 1 when a run failed an item, duplicated or lost a send.
 *
 * `--sim [--jitter 0,100] [--seed 22]`: the same budgets in virtual time instead (test/support/rateSim.ts; about
 * a second per case, deterministic): every window kind (or `--window a,b`), K in --processes, runs
 * even, half and late (or `--uneven a,b`), a 20 ms round trip plus 0–jitter ms on each way (random
 * from `--seed`). Prints
 * per case wall / floor, 429s, items on their last attempt, starved windows (a worker below a third
 * of its share two windows in a row while others are busy) and unused windows (under 90% after a
 * worker stopped); with `--before`, the package at that commit first, in the same run.
 * `--late-ms <ms>[,<ms>...]`: how late worker 1 starts in late runs (one interval by default; a second or
 * two is what real processes often show: the one that starts its process later); a list runs each.
 * `--refusals`: every refused request too (worker, attempt, when it was sent, reached the API and was
 * answered, and how old the worker's latest answer was when it sent it).
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, realpathSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, DEMO } from '../sandbox';
import { DEFAULT_RETRY_POLICY } from '../nodes/ConversationsApi/shared/retry';
import { amountOption, textOption } from './args';

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
	const credential = credentials.privateIntegrationToken({
		privateIntegrationToken: job.token,
		locationId: job.locationId,
		baseUrl: job.baseUrl,
	});
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

type Uneven = 'even' | 'half' | 'late';

interface Case {
	processes: number;
	items: number;
	max: number;
	intervalMs: number;
	latencyMs: number;
	countRefused: boolean;
	sliding: boolean;
	uneven: Uneven;
	/** The compiled benchmark whose `--child` runs the workers (this one, or the package at another commit). */
	script: string;
}

/** Items per worker: even shares, or worker 1 with half of what each other one has. */
function shares(processes: number, items: number, uneven: Uneven): number[] {
	if (uneven !== 'half' || processes < 2) {
		const share = Math.ceil(items / processes);
		return Array.from({ length: processes }, (_, worker) => Math.max(0, Math.min(share, items - worker * share)));
	}
	const full = Math.ceil((2 * items) / (2 * processes - 1));
	const first = items - full * (processes - 1);
	return [first, ...Array.from({ length: processes - 1 }, () => full)];
}

async function runK({ processes, items, max, intervalMs, latencyMs, countRefused, sliding, uneven, script }: Case) {
	const attempts = new Map<string, Attempts>();
	let tooMany = 0;
	let firstRequestAt: number | undefined;
	const refusedAt: number[] = [];
	const acceptedAt: number[] = [];
	/** Accepted sends: when, and which worker's item. */
	const acceptedBy: Array<{ at: number; worker: number }> = [];
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
						} else if ((answer.statusCode ?? 500) < 300) {
							entry.accepted++;
							acceptedAt.push(Date.now());
							const index = Number(/#(\d+)$/.exec(text)?.[1]);
							if (Number.isInteger(index)) acceptedBy.push({ at: Date.now(), worker: workerOf(index) });
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
	const counts = shares(processes, items, uneven);
	const firsts = counts.map((_, worker) => counts.slice(0, worker).reduce((sum, count) => sum + count, 0));
	const workerOf = (index: number) => firsts.filter((first) => index >= first).length - 1;
	const workers = counts.map((count, worker) => {
		const job: Job = { baseUrl, token: sandbox.token, locationId: sandbox.locationId, first: firsts[worker], count, worker };
		const proc = fork(script, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const exited = new Promise<never>((_resolve, reject) =>
			proc.once('exit', (code) => reject(new Error(`worker ${worker + 1} exited with ${code}`))),
		);
		exited.catch(() => {});
		const ready = Promise.race([new Promise<void>((resolve) => proc.once('message', () => resolve())), exited]);
		const done = ready.then(
			async () => await Promise.race([new Promise<Done>((resolve) => proc.once('message', (message) => resolve(message as Done))), exited]),
		);
		proc.send(job);
		return { proc, ready, done };
	});
	await Promise.all(workers.map((worker) => worker.ready));
	const started = Date.now();
	// Uneven "late": worker 1 starts one interval after the others.
	workers.forEach((worker, index) => {
		if (uneven === 'late' && index === 0 && processes > 1) setTimeout(() => worker.proc.send('go'), intervalMs);
		else worker.proc.send('go');
	});
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
	// Accepted sends per worker per interval from "go".
	const perWindow: number[][] = [];
	for (const { at, worker } of acceptedBy) {
		const window = Math.max(0, Math.floor((at - started) / intervalMs));
		while (perWindow.length <= window) perWindow.push(counts.map(() => 0));
		perWindow[window][worker]++;
	}
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
		perWindow,
		firstFailure: results.find((result) => result.firstFailure)?.firstFailure,
	};
}

/** The compiled benchmark of the package at `commit` of the repository here: `git archive` into a temporary folder, compiled there. */
function buildCommit(commit: string): { script: string; remove: () => void } {
	const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
	const folder = mkdtempSync(path.join(os.tmpdir(), `bench-workers-${commit}-`));
	execFileSync('sh', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'sh', repo, commit, folder]);
	symlinkSync(realpathSync(path.join(repo, 'node_modules')), path.join(folder, 'node_modules'));
	execFileSync(
		process.execPath,
		[path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(folder, 'tsconfig.dev.json')],
		{ stdio: 'inherit' },
	);
	const script = path.join(folder, '.build', 'bench', 'workers.js');
	if (!existsSync(script)) throw new Error(`no bench/workers.ts at ${commit}`);
	return { script, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

async function main() {
	const index = process.argv.indexOf('--processes');
	const list = index >= 0 ? process.argv[index + 1].split(',').map(Number) : [1, 2, 3, 5];
	if (list.some((k) => !Number.isInteger(k) || k < 1)) throw new Error('--processes must be a comma-separated list of counts');
	const items = Math.floor(amountOption('items', 1000));
	const max = Math.floor(amountOption('max', 100));
	const intervalMs = amountOption('interval', 10_000);
	const latencyMs = amountOption('latency', 0);
	const windowKind = textOption(
		'window',
		process.argv.includes('--sliding') ? (process.argv.includes('--count-refused') ? 'sliding-all' : 'sliding') : 'fixed',
	);
	if (!['fixed', 'sliding', 'sliding-all'].includes(windowKind)) throw new Error('--window must be fixed, sliding or sliding-all');
	const sliding = windowKind !== 'fixed';
	const countRefused = windowKind === 'sliding-all' || process.argv.includes('--count-refused');
	const uneven = textOption('uneven', 'even') as Uneven;
	if (!['even', 'half', 'late'].includes(uneven)) throw new Error('--uneven must be even, half or late');
	const beforeCommit = textOption('before', '');
	const before = beforeCommit ? buildCommit(beforeCommit) : undefined;
	const floorMs = (Math.ceil(items / max) - 1) * intervalMs;
	const unevenText =
		uneven === 'half'
			? '; worker 1 has half the items of each other worker'
			: uneven === 'late'
				? '; worker 1 starts one interval late'
				: '';
	console.log(
		`${items} sends in all by K worker processes (own budget each), limit ${max} per ${intervalMs / 1000} s (${windowKind} window${countRefused && !sliding ? ', counting refused requests' : ''})${latencyMs ? `, ${latencyMs} ms latency` : ''}${unevenText}; floor ${(floorMs / 1000).toFixed(0)} s`,
	);
	const header = [
		'K',
		'package',
		'wall',
		'wall/floor',
		'first request',
		'first → last answer',
		'429s',
		'429s/send',
		'last attempt',
		'most tries',
		'failed',
		'duplicates',
		'lost',
		'busiest window',
	];
	console.log(header.join(' | '));
	let ok = true;
	const tables: string[] = [];
	try {
		for (const processes of list) {
			const runs: Array<[string, string]> = before
				? [
						[`before (${beforeCommit})`, before.script],
						['after', __filename],
					]
				: [['this', __filename]];
			for (const [label, script] of runs) {
				const row = await runK({ processes, items, max, intervalMs, latencyMs, countRefused, sliding, uneven, script });
				console.log(
					[
						row.processes,
						label,
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
				tables.push(
					`K = ${processes}, ${label}: accepted per worker (1/2/…) per ${intervalMs / 1000} s from the start: ${row.perWindow.map((counts) => counts.join('/')).join('  ')}`,
				);
				ok &&= row.failed === 0 && row.duplicates === 0 && row.lost === 0;
			}
		}
	} finally {
		before?.remove();
	}
	if (process.argv.includes('--table')) for (const line of tables) console.log(line);
	process.exitCode = ok ? 0 : 1;
}

type RateSim = typeof import('../test/support/rateSim');

/** `--sim`: the grid of cases in virtual time, this package's budget (and `--before`'s) side by side. */
async function simMain() {
	const here: RateSim = await import('../test/support/rateSim');
	const list = (name: string, fallback: string) => textOption(name, fallback).split(',').filter(Boolean);
	const kinds = list('window', here.WINDOW_KINDS.join(',')) as Array<import('../test/support/rateSim').WindowKind>;
	const processes = list('processes', '1,2,3,5').map(Number);
	const runsList = list('uneven', 'even,half,late') as Array<import('../test/support/rateSim').Runs>;
	const jitters = list('jitter', '0,100').map(Number);
	const items = Math.floor(amountOption('items', 1000));
	const max = Math.floor(amountOption('max', 100));
	const seed = Math.floor(amountOption('seed', 22));
	const intervalMs = amountOption('interval', 10_000);
	const lateList = list('late-ms', String(intervalMs)).map(Number);
	if (lateList.some((ms) => !Number.isFinite(ms) || ms < 0)) throw new Error('--late-ms must be milliseconds (a list: 500,2000)');
	const beforeCommit = textOption('before', '');
	const before = beforeCommit ? buildCommit(beforeCommit) : undefined;
	try {
		const packages: Array<[string, RateSim]> = before
			? [
					[
						`before (${beforeCommit})`,
						(await import(path.join(path.dirname(before.script), '..', 'test', 'support', 'rateSim.js'))) as RateSim,
					],
					['after', here],
				]
			: [['this', here]];
		console.log(
			`${items} sends, limit ${max} per ${intervalMs / 1000} s, simulated; 20 ms round trip + 0–jitter ms each way${lateList.join() !== String(intervalMs) ? `; late runs start ${lateList.join(' / ')} ms late` : ''}`,
		);
		console.log(
			[
				'window',
				'K',
				'runs',
				'jitter',
				'package',
				'wall/floor',
				'429s',
				'last attempt',
				'starved windows',
				'unused windows',
				'busiest',
			].join(' | '),
		);
		const tables: string[] = [];
		const refusals: string[] = [];
		const showRefusals = process.argv.includes('--refusals');
		for (const kind of kinds)
			for (const k of processes)
				for (const runs of k === 1 ? (['even'] as const) : runsList)
					for (const lateMs of runs === 'late' ? lateList : [intervalMs])
						for (const jitterMs of jitters)
							for (const [label, sim] of packages) {
								// Late runs name their lateness when it is not the default (one interval).
								const runsText = runs === 'late' && lateList.join() !== String(intervalMs) ? `late ${lateMs} ms` : runs;
								const random = Math.random;
								Math.random = here.seededRandom(seed);
								const workers = here.simWorkers(runs, k, items, intervalMs, lateMs);
								let result: import('../test/support/rateSim').SimResult;
								const lastAnswer = workers.map(() => -Infinity);
								const sends = new Map<string, { at: number; wordAge: number }>();
								const log = (entry: import('../test/support/rateSim').SimLogEntry) => {
									const key = `${entry.worker}:${entry.sequence}`;
									if (entry.what === 'sent') {
										sends.set(key, { at: entry.at, wordAge: entry.at - lastAnswer[entry.worker] });
										return;
									}
									lastAnswer[entry.worker] = entry.at;
									const send = sends.get(key);
									sends.delete(key);
									if (entry.what !== 'refused' || !send) return;
									const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
									refusals.push(
										`${kind} K = ${k} ${runsText} +${jitterMs} ms, ${label}: worker ${entry.worker + 1}, attempt ${entry.attempt}, ` +
											`sent ${seconds(send.at)} (its latest answer ${Number.isFinite(send.wordAge) ? `${Math.round(send.wordAge)} ms` : 'none'} before), ` +
											`reached the API ${seconds(entry.arrivedAt ?? entry.at)}, answered ${seconds(entry.at)}`,
									);
								};
								try {
									result = sim.simulate({ kind, workers, max, intervalMs, roundTripMs: 20, jitterMs, ...(showRefusals ? { log } : {}) });
								} finally {
									Math.random = random;
								}
								const starved = here.starvedWindows(result, max, intervalMs, workers).length;
								const unused = runs === 'half' ? String(here.unusedWindows(result, max, intervalMs).length) : '–';
								console.log(
									[
										kind,
										k,
										runsText,
										`${jitterMs} ms`,
										label,
										`${(result.wallMs / result.floorMs).toFixed(3)}×`,
										result.tooMany,
										result.lastAttempt,
										starved,
										unused,
										result.busiest,
									].join(' | '),
								);
								tables.push(
									`${kind} K = ${k} ${runsText} +${jitterMs} ms, ${label}: ${result.perWindow.map((counts) => counts.join('/')).join('  ')}`,
								);
							}
		if (process.argv.includes('--table')) for (const line of tables) console.log(line);
		for (const line of refusals) console.log(line);
	} finally {
		before?.remove();
	}
}

if (process.argv.includes('--sim')) {
	simMain().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
} else if (process.argv.includes('--child')) {
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
