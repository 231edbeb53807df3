/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a benchmark script (dev tool, never shipped): it starts n8n and a server, reads /proc and prints its figures */
/**
 * ./dev bench:real [--items 2000] [--rounds 3] [--before d84cc8a] [--n8n 2.41.1]
 *
 * What the node costs per item in real n8n (`n8n start`, regular mode, SQLite), beside n8n's HTTP
 * Request node doing the same GETs: unlike bench:overhead (n8n-core in-process, credentials from
 * memory), each credential read here is n8n's own (database load, decryption, expressions).
 *
 * With the e2e harness (scripts/e2e): the package packed and installed in a fresh user folder as
 * users install it, one n8n, a local API in its own process that answers at once with no practical
 * limit (bench/localApi.ts). Workflows: Manual Trigger → Code (N items `{ id: "conv-<i>" }`) →
 * (a) Conversations API, Conversation → Get, ID `{{ $json.id }}` (Private Integration Token
 * credential); (b) HTTP Request 4.2, GET `<server>/conversations/{{ encodeURIComponent($json.id) }}`
 * with a Header Auth credential and the same Version/Accept headers. Each is run manually through
 * the REST API as the editor does. A second n8n, up at the same time, has the package of an earlier
 * commit (`--before`, packed from a `git archive` copy) and the same workflows: after a warm-up
 * round that is not counted, the rounds take turns over both processes and both workflows (one
 * execution at a time), so the node's before/after is measured in the same session under the same load.
 *
 * Per item, from each workflow's best round (least node time): the node's own run time as n8n
 * records it (`executionTime` of its task: the Code node is not in it), the execution's wall time
 * (n8n's startedAt → stoppedAt: Code node included, saving the execution not), and the CPU time
 * (user + system, from /proc/<pid>/stat) of n8n's main process from the run request until the
 * execution is saved as done (the Code node's JavaScript runs in n8n's task-runner process and is
 * not in it). Exits non-zero when any execution failed, any item
 * came back with an error or the wrong conversation, or a node put out other than N items.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureN8n, freshUserFolder, packPackage, REPO, type N8nInstall } from '../scripts/e2e/install';
import { isDone, N8nApi, startN8nProcess, waitUntilReady, type Workflow } from '../scripts/e2e/n8n';
import { freePorts, log, run, sleep, stopAll, waitFor, type Managed } from '../scripts/e2e/proc';
import { ACTION_NODE, CREDENTIAL_NAME, CREDENTIAL_TYPE, node, withCredential, type WorkflowJson } from '../scripts/e2e/workflows';
import { countOption, textOption } from './args';
import { startLocalApi } from './localApi';
import { packCommit } from './packCommit';

const TOKEN = 'bench-token';
const LOCATION = 'bench-location';
const TRIGGER = 'Start';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
const TICKS = Number(run('getconf', ['CLK_TCK']).trim()) || 100;

/** CPU time (user + system, ms) a process has used so far. */
function cpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

interface Contender {
	key: string;
	label: string;
	/** The node under test, last in the workflow. */
	target: WorkflowJson['nodes'][number];
}

function contenders(serverUrl: string, headerAuthId: string, packageLabel: string): Contender[] {
	return [
		{
			key: 'node',
			label: `Conversations API → Conversation → Get (${packageLabel})`,
			target: node(
				'Conversations API',
				ACTION_NODE,
				1,
				{
					authentication: 'privateIntegrationToken',
					resource: 'conversation',
					operation: 'get',
					conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				},
				{ onError: 'continueRegularOutput' },
			),
		},
		{
			key: 'http',
			label: "n8n's HTTP Request node 4.2 (Header Auth credential)",
			target: node(
				'HTTP Request',
				'n8n-nodes-base.httpRequest',
				4.2,
				{
					method: 'GET',
					url: `=${serverUrl}/conversations/{{ encodeURIComponent($json.id) }}`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpHeaderAuth',
					sendHeaders: true,
					headerParameters: {
						parameters: [
							{ name: 'Version', value: '2021-04-15' },
							{ name: 'Accept', value: 'application/json' },
						],
					},
					options: {},
				},
				{ onError: 'continueRegularOutput', credentials: { httpHeaderAuth: { id: headerAuthId, name: 'Bench header auth' } } },
			),
		},
	];
}

/** Manual Trigger → Code (`items` items `{ id: "conv-<i>" }`) → the contender's node. */
function benchWorkflow(contender: Contender, items: number, credentialId: string): WorkflowJson {
	const code = node('Items', 'n8n-nodes-base.code', 2, {
		jsCode: `return Array.from({ length: ${items} }, (_, index) => ({ json: { id: 'conv-' + index } }));`,
	});
	return withCredential(
		{
			name: `bench:real ${contender.key} × ${items}`,
			nodes: [node(TRIGGER, 'n8n-nodes-base.manualTrigger', 1, {}), code, contender.target],
			connections: {
				[TRIGGER]: { main: [[{ node: code.name, type: 'main', index: 0 }]] },
				[code.name]: { main: [[{ node: contender.target.name, type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		},
		credentialId,
	);
}

interface Round {
	nodeMs: number;
	wallMs: number;
	cpuMs: number;
	outputs: number;
	/** Items with an error or another conversation than asked for; all N when the execution failed. */
	failed: number;
	problem?: string;
}

async function runOnce(api: N8nApi, pid: number, workflow: Workflow, nodeName: string, items: number): Promise<Round> {
	await sleep(1000); // let n8n settle (saving, GC) after the previous execution
	const cpuBefore = cpuMs(pid);
	const id = await api.runManually(workflow, TRIGGER);
	// The summary list is cheap for n8n to answer; the execution's data is read once it is done.
	await waitFor(
		`execution ${id}`,
		async () => (await api.executions(workflow.id)).find((summary) => summary.id === id && isDone(summary)),
		600_000,
		500,
	);
	const cpu = cpuMs(pid) - cpuBefore;
	const execution = await api.waitForExecution(id);
	const task = execution.runData[nodeName]?.[0];
	const outputs = task?.data?.main?.[0] ?? [];
	const wrong = outputs.filter((item, index) => item.json.error !== undefined || item.json.id !== `conv-${index}`).length;
	const problem =
		execution.status !== 'success'
			? `execution ${id} ended "${execution.status}": ${execution.error ?? task?.error?.message ?? ''}`
			: outputs.length !== items
				? `execution ${id}: ${outputs.length} items out, expected ${items}`
				: wrong
					? `execution ${id}: ${wrong} items with an error or the wrong conversation, e.g. ${JSON.stringify(outputs.find((item, index) => item.json.error !== undefined || item.json.id !== `conv-${index}`)?.json).slice(0, 300)}`
					: undefined;
	return {
		nodeMs: task?.executionTime ?? Number.NaN,
		wallMs: Date.parse(String(execution.stoppedAt)) - Date.parse(String(execution.startedAt)),
		cpuMs: cpu,
		outputs: outputs.length,
		failed: execution.status === 'success' ? wrong + Math.max(0, items - outputs.length) : items,
		problem,
	};
}

interface Result {
	instance: string;
	contender: Contender;
	best?: Round;
	/** Failed items over all rounds. */
	failed: number;
	problems: string[];
}

/** One `n8n start` with the given tarball, set up: owner, both credentials, both workflows. */
interface Instance {
	name: string;
	n8n: Managed;
	pid: number;
	api: N8nApi;
	runs: Array<{ contender: Contender; workflow: Workflow; result: Result }>;
}

async function startInstance(options: {
	install: N8nInstall;
	tarball: string;
	name: string;
	packageLabel: string;
	serverUrl: string;
	items: number;
	logDir: string;
}): Promise<Instance> {
	const { install } = options;
	const userFolder = freshUserFolder(`bench-${options.name.replace(/\W+/g, '')}`, options.tarball);
	const [port, brokerPort] = await freePorts(5790, 2);
	const n8n = startN8nProcess(`bench-real-${options.name.replace(/\W+/g, '')}`, 'start', {
		install,
		userFolder,
		port,
		brokerPort,
		logDir: options.logDir,
	});
	await waitUntilReady(n8n, 'start');
	const api = new N8nApi(`http://127.0.0.1:${port}`, install);
	await api.setupOwner();
	const credentialId = await api.createCredential(CREDENTIAL_NAME, CREDENTIAL_TYPE, {
		privateIntegrationToken: TOKEN,
		locationId: LOCATION,
		baseUrl: options.serverUrl,
	});
	const headerAuthId = await api.createCredential('Bench header auth', 'httpHeaderAuth', {
		name: 'Authorization',
		value: `Bearer ${TOKEN}`,
	});
	const runs = [];
	for (const contender of contenders(options.serverUrl, headerAuthId, options.packageLabel)) {
		runs.push({
			contender,
			workflow: await api.createWorkflow(benchWorkflow(contender, options.items, credentialId)),
			result: { instance: options.name, contender, failed: 0, problems: [] },
		});
	}
	log(
		`${options.name}: n8n ${install.version} ready on port ${port} (pid ${String(n8n.child.pid)}) with the package ${options.packageLabel}`,
	);
	return { name: options.name, n8n, pid: n8n.child.pid as number, api, runs };
}

/**
 * A warm-up round that is not counted (loading, JIT, the heap growing: the first full-size runs
 * of a fresh n8n are slower by up to a third), then the rounds: both n8n processes are up the
 * whole time and take turns, each running its two workflows in turn, so that the machine's load
 * (shared, drifting) falls on all four alike. Keeps each workflow's best round (least node time).
 */
async function measure(instances: Instance[], items: number, rounds: number): Promise<void> {
	for (let round = 0; round <= rounds; round++) {
		// Every other round the other process goes first.
		for (const instance of round % 2 ? instances : [...instances].reverse()) {
			for (const { contender, workflow, result } of instance.runs) {
				const figures = await runOnce(instance.api, instance.pid, workflow, contender.target.name, items);
				log(
					`${round ? `round ${round}` : 'warm-up'}, ${instance.name}, ${contender.key}: node ${figures.nodeMs} ms, wall ${figures.wallMs} ms, n8n CPU ${figures.cpuMs.toFixed(0)} ms${figures.problem ? `; ${figures.problem}` : ''}`,
				);
				result.failed += figures.failed;
				if (figures.problem) result.problems.push(figures.problem);
				if (round && (!result.best || figures.nodeMs < result.best.nodeMs)) result.best = figures;
			}
		}
	}
}

const perItem = (ms: number, items: number) => `${(ms / items).toFixed(3)} ms`;

async function main(): Promise<void> {
	const started = Date.now();
	const items = countOption('items', 2000);
	const rounds = countOption('rounds', 3);
	const beforeCommit = textOption('before', 'd84cc8a');
	const install = ensureN8n(textOption('n8n', '2.41.1'));
	const logDir = path.join(REPO, '.build', 'bench-real');
	const head = run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']).trim();
	const dirty = run('git', ['-C', REPO, 'status', '--porcelain', '--', 'nodes', 'credentials', 'package.json']).trim()
		? ' + uncommitted changes'
		: '';
	const nowTarball = packPackage();
	const beforeTarball = packCommit(beforeCommit);
	const server = await startLocalApi(LOCATION);
	try {
		console.log(
			`${items} items per execution, ${rounds} round(s), n8n ${install.version} (regular mode, SQLite), local API at ${server.url} (no limit, no latency, its own process); Node.js ${process.version}, ${os.cpus().length} CPUs, load average ${os
				.loadavg()
				.map((load) => load.toFixed(2))
				.join(' ')}`,
		);
		const common = { install, serverUrl: server.url, items, logDir };
		const now = await startInstance({ ...common, tarball: nowTarball, name: 'n8n #1', packageLabel: `now, ${head}${dirty}` });
		const before = await startInstance({ ...common, tarball: beforeTarball, name: 'n8n #2', packageLabel: `before, ${beforeCommit}` });
		await measure([now, before], items, rounds);
		const results = [now, before].flatMap((instance) => instance.runs.map((run) => run.result));
		const [nodeNow, httpNow, nodeBefore, httpBefore] = results.map((result) => result.best as Round);

		console.log('');
		console.log('| n8n process | Node | Node time per item | Execution wall per item | n8n CPU per item | Items | Failures |');
		console.log('|---|---|---|---|---|---|---|');
		for (const result of results) {
			const best = result.best as Round;
			console.log(
				`| ${result.instance} | ${result.contender.label} | ${perItem(best.nodeMs, items)} | ${perItem(best.wallMs, items)} | ${perItem(best.cpuMs, items)} | ${best.outputs} | ${result.failed} |`,
			);
		}
		const figures = (pick: (round: Round) => number, a: Round, b: Round) => pick(a) / pick(b);
		const line = (label: string, ratioOf: (pick: (round: Round) => number) => number) =>
			console.log(
				`${label}: node time ${ratioOf((round) => round.nodeMs).toFixed(2)}×, execution wall ${ratioOf((round) => round.wallMs).toFixed(2)}×, n8n CPU ${ratioOf((round) => round.cpuMs).toFixed(2)}×`,
			);
		console.log('');
		line('This node / HTTP Request node, now (n8n #1)', (pick) => figures(pick, nodeNow, httpNow));
		line(`This node / HTTP Request node, before (n8n #2)`, (pick) => figures(pick, nodeBefore, httpBefore));
		line(`This node, after / before (${head} / ${beforeCommit})`, (pick) => figures(pick, nodeNow, nodeBefore));
		line('HTTP Request node, n8n #1 / n8n #2 (the same node: how far the two processes differ)', (pick) =>
			figures(pick, httpNow, httpBefore),
		);
		line(
			"This node, after / before, each against its own process's HTTP Request node",
			(pick) => figures(pick, nodeNow, httpNow) / figures(pick, nodeBefore, httpBefore),
		);
		const problems = results.flatMap((result) => result.problems);
		for (const problem of problems) console.log(`FAILED: ${problem}`);
		if (problems.length) process.exitCode = 1;
		log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; n8n's logs under ${logDir}`);
	} finally {
		server.child.kill();
		await stopAll();
	}
}

main().catch(async (error: unknown) => {
	console.error(error);
	await stopAll();
	process.exitCode = 1;
});
