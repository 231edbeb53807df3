/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a benchmark script (dev tool, never shipped): it starts n8n, Postgres and Redis, signs with node:crypto and prints its figures */
/**
 * ./dev bench:webhook-real [--deliveries 200] [--rounds 4] [--concurrency 15] [--modes regular,queue]
 *                          [--before 319f5b4] [--before-version 1] [--n8n 2.41.1] [--cpu-prof]
 *                          [--n8n-env NAME=value,...] [--floor]
 *
 * The webhook trigger at n8n's own speed: in real n8n, this package's HighLevel Conversations
 * Webhook Trigger (HighLevel Signature, default options) → No Operation, beside n8n's own Webhook
 * node (POST, respond immediately) → No Operation in the same n8n, both receiving the same valid
 * signed InboundMessage deliveries (each a new event: its own webhookId and a fresh timestamp),
 * `--concurrency` requests in flight. Two n8n instances are up at the same time: one with the
 * package as it is now, one with the package of an earlier commit (`--before`, packed from a
 * `git archive` copy, as bench:real does), each with both workflows.
 *
 * - regular mode: `n8n start` (SQLite); deliveries to the main process, executions run there.
 * - queue mode: Postgres + Redis (one of each, a database and a Bull prefix per instance), per
 *   instance a main, a worker (concurrency 10) and a webhook process; deliveries to the webhook
 *   process, executions on the worker.
 *
 * After a warm-up round that is not counted, the rounds take turns over both instances and both
 * workflows (the order flips every round), so that the machine's load (shared, drifting) falls on
 * all four alike. After each batch the bench waits until the batch's executions have all finished,
 * so that one batch's executions are not paid for by the next. Per workflow, over the counted
 * rounds: deliveries per second (deliveries / time from the first request to the last answer),
 * the answer time's p50 and p99 (as the sender sees it), the answers that were not 200 and the
 * executions that finished with success (one per delivery expected). The ratios trigger / Webhook
 * node are taken per round (the two ran back to back in the same n8n) and shown as their range.
 *
 * `--n8n-env`: settings for every n8n process (e.g. `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true`, see
 * docs/benchmarks.md: n8n 2.x runs each webhook request of a node other than its own Webhook node
 * in an expression isolate).
 *
 * The trigger's node version: the one a new node gets ("now"), `--before-version` ("before", 1).
 *
 * `--floor`: two more workflows per instance, started by a do-nothing community webhook node (with
 * and without a static-data write per delivery): what n8n costs any node that is not its own
 * Webhook node, whatever the node does.
 *
 * `--cpu-prof`: the "now" instance's receiving process (regular: main; queue: the webhook process)
 * runs with Node's `--cpu-prof`; the profile is written when it stops, under the log folder.
 *
 * Exits non-zero when a delivery was not answered 200 or an execution is missing.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
	createDatabase,
	ensureN8n,
	ensureQueueServices,
	freshUserFolder,
	packPackage,
	REPO,
	startPostgres,
	startRedis,
	type N8nInstall,
} from '../scripts/e2e/install';
import {
	N8nApi,
	queueModeEnv,
	startN8nProcess,
	waitUntilReady,
	webhookRegistered,
	type N8nProcessOptions,
	type Workflow,
} from '../scripts/e2e/n8n';
import { freePorts, log, run, sleep, stopAll, temporaryFolder, waitFor, type Managed } from '../scripts/e2e/proc';
import { webhookTriggerType } from '../scripts/e2e/suites/webhook';
import { HighLevelWebhookTrigger } from '../nodes/HighLevelWebhookTrigger/HighLevelWebhookTrigger.node';
import { countOption, textOption } from './args';
import { packCommit } from './packCommit';

type Mode = 'regular' | 'queue';

const keys = generateKeyPairSync('ed25519');
const PUBLIC_KEY = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const LOCATION = 'bench-location';

interface Delivery {
	body: string;
	signature: string;
}

/** A new signed InboundMessage event, as HighLevel sends it (the shape of the e2e suite's events). */
function signedEvent(index: number): Delivery {
	const body = JSON.stringify({
		type: 'InboundMessage',
		locationId: LOCATION,
		attachments: [],
		body: `bench webhook event #${index}`,
		contactId: `bench-contact-${index % 50}`,
		contentType: 'text/plain',
		conversationId: `bench-conversation-${index % 50}`,
		dateAdded: new Date().toISOString(),
		direction: 'inbound',
		messageType: 'SMS',
		messageId: `bench-message-${index}`,
		status: 'delivered',
		webhookId: randomUUID(),
		timestamp: new Date().toISOString(),
	});
	return { body, signature: sign(null, Buffer.from(body), keys.privateKey).toString('base64') };
}

interface Contender {
	key: 'trigger' | 'webhook' | 'floor' | 'floor-write';
	label: string;
	workflow: Record<string, unknown>;
	/** The production URL on a receiving process. */
	url(base: string): string;
}

const link = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
const noOp = {
	id: 'b0000000-0000-4000-8000-000000000002',
	name: 'No Operation',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [220, 0],
	parameters: {},
};

function contenders(triggerType: string, triggerVersion: number): Contender[] {
	const triggerWebhookId = randomUUID();
	const webhookPath = randomUUID();
	return [
		{
			key: 'trigger',
			label: 'HighLevel Conversations Webhook Trigger → No Operation',
			workflow: {
				name: 'bench:webhook-real trigger',
				nodes: [
					{
						id: 'b0000000-0000-4000-8000-000000000001',
						name: 'HighLevel event',
						type: triggerType,
						typeVersion: triggerVersion,
						position: [0, 0],
						webhookId: triggerWebhookId,
						parameters: { events: ['InboundMessage'], verification: 'highLevelSignature', publicKey: PUBLIC_KEY },
					},
					noOp,
				],
				connections: { 'HighLevel event': link(noOp.name) },
				settings: { executionOrder: 'v1' },
			},
			url: (base) => `${base}/webhook/${triggerWebhookId}/highlevel`,
		},
		{
			key: 'webhook',
			label: "n8n's Webhook node 2 (POST, respond immediately) → No Operation",
			workflow: {
				name: 'bench:webhook-real webhook',
				nodes: [
					{
						id: 'b0000000-0000-4000-8000-000000000003',
						name: 'Webhook',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: webhookPath,
						parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
					},
					noOp,
				],
				connections: { Webhook: link(noOp.name) },
				settings: { executionOrder: 'v1' },
			},
			url: (base) => `${base}/webhook/${webhookPath}`,
		},
	];
}

/**
 * `--floor`: the least any community webhook node costs in n8n, measured the same way. A package
 * made here (never shipped) holds two nodes that do nothing but start an execution with the body:
 * "floor" (nothing else: what n8n itself costs a webhook node that is not its own Webhook node)
 * and "floor-write" (plus a replay record of this package's size written to the workflow's static
 * data on every delivery, as the trigger did before 2.41.1's reset was worked around).
 */
const FLOOR_PACKAGE = 'n8n-nodes-bench-floor';

const FLOOR_NODE = `'use strict';
function floorNode(name, displayName, writes) {
	return class {
		constructor() {
			this.description = {
				// 1.1: n8n evaluates no expression per request (it does for webhook nodes of version 1).
				displayName, name, group: ['trigger'], version: [1, 1.1], defaultVersion: 1.1, icon: 'fa:bolt',
				description: 'Starts an execution with the request body, nothing else (a benchmark floor)',
				defaults: { name: displayName }, inputs: [], outputs: ['main'],
				webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: writes ? 'floor-write' : 'floor' }],
				properties: [],
			};
		}
		async webhook() {
			const body = this.getBodyData();
			if (writes) {
				// The size of the trigger's full record: 1,000 entries of 24 characters.
				const data = this.getWorkflowStaticData('node');
				const entry = String(body.webhookId).slice(0, 16) + '.' + Math.floor(Date.now() / 1000).toString(36);
				const text = ((data.replay ? data.replay + ' ' : '') + entry).slice(-24000);
				data.replay = text;
				// n8n 2.41.1 resets the "changed" flag when the execution starts: set it again a turn later.
				setTimeout(() => { data.replay = text; }, 0);
			}
			return { workflowData: [[{ json: body }]] };
		}
	};
}
module.exports = {
	BenchFloorWebhook: floorNode('benchFloorWebhook', 'Bench Floor Webhook', false),
	BenchFloorWriteWebhook: floorNode('benchFloorWriteWebhook', 'Bench Floor Write Webhook', true),
};
`;

/** The floor package as a tarball (npm pack of a folder written here). */
function packFloor(): string {
	const folder = temporaryFolder(mkdtempSync(path.join(os.tmpdir(), 'bench-floor-')));
	mkdirSync(path.join(folder, 'dist'));
	writeFileSync(path.join(folder, 'dist', 'BenchFloorWebhook.node.js'), FLOOR_NODE);
	writeFileSync(path.join(folder, 'dist', 'BenchFloorWriteWebhook.node.js'), "module.exports = require('./BenchFloorWebhook.node.js');\n");
	writeFileSync(
		path.join(folder, 'package.json'),
		JSON.stringify({
			name: FLOOR_PACKAGE,
			version: '1.0.0',
			license: 'MIT',
			keywords: ['n8n-community-node-package'],
			files: ['dist'],
			n8n: { n8nNodesApiVersion: 1, nodes: ['dist/BenchFloorWebhook.node.js', 'dist/BenchFloorWriteWebhook.node.js'] },
		}),
	);
	run('npm', ['pack', '--silent'], { cwd: folder });
	return path.join(folder, `${FLOOR_PACKAGE}-1.0.0.tgz`);
}

function floorContenders(): Contender[] {
	return (['floor', 'floor-write'] as const).map((key, index) => {
		const webhookId = randomUUID();
		const name = key === 'floor' ? 'Bench Floor Webhook' : 'Bench Floor Write Webhook';
		return {
			key,
			label:
				key === 'floor'
					? 'an empty community webhook node (starts the execution, nothing else) → No Operation'
					: 'the empty node + a 24 KB static-data write per delivery → No Operation',
			workflow: {
				name: `bench:webhook-real ${key}`,
				nodes: [
					{
						id: `b0000000-0000-4000-8000-00000000001${index}`,
						name,
						type: `${FLOOR_PACKAGE}.${key === 'floor' ? 'benchFloorWebhook' : 'benchFloorWriteWebhook'}`,
						typeVersion: 1.1,
						position: [0, 0],
						webhookId,
						parameters: {},
					},
					noOp,
				],
				connections: { [name]: link(noOp.name) },
				settings: { executionOrder: 'v1' },
			},
			url: (base) => `${base}/webhook/${webhookId}/${key}`,
		};
	});
}

interface Batch {
	wallMs: number;
	latencies: number[];
	notOk: number;
	executions: number;
}

interface Run {
	contender: Contender;
	workflow: Workflow;
	url: string;
	batches: Batch[];
}

interface Instance {
	name: string;
	label: string;
	api: N8nApi;
	runs: Run[];
}

/** The workflow's executions that finished with success (n8n's count, not a page of them). */
async function successes(api: N8nApi, workflowId: string): Promise<number> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: ['success'] }));
	const page = await api.request<{ count: number }>('GET', `/rest/executions?filter=${filter}&limit=1`);
	return page.count;
}

/** Sends every delivery, `concurrency` in flight; the answer times as the sender sees them. */
async function deliverAll(url: string, deliveries: Delivery[], concurrency: number): Promise<Omit<Batch, 'executions'>> {
	let next = 0;
	let notOk = 0;
	const latencies: number[] = [];
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < deliveries.length) {
				const delivery = deliveries[next++];
				const sentAt = performance.now();
				try {
					const response = await fetch(url, {
						method: 'POST',
						headers: { 'content-type': 'application/json', 'x-ghl-signature': delivery.signature },
						body: delivery.body,
					});
					await response.arrayBuffer();
					if (response.status !== 200) notOk++;
				} catch {
					notOk++;
				}
				latencies.push(performance.now() - sentAt);
			}
		}),
	);
	return { wallMs: performance.now() - started, latencies, notOk };
}

async function batch(instance: Instance, run: Run, count: number, concurrency: number, serial: { next: number }): Promise<Batch> {
	const deliveries = Array.from({ length: count }, () => signedEvent(serial.next++));
	const before = await successes(instance.api, run.workflow.id);
	await sleep(1000); // let n8n settle (saving, GC) after the previous batch
	const sent = await deliverAll(run.url, deliveries, concurrency);
	// Its executions finish before the next batch starts (none is paid for by another batch).
	let executions = 0;
	await waitFor(
		`${count} executions of ${run.workflow.name}`,
		async () => {
			executions = (await successes(instance.api, run.workflow.id)) - before;
			return executions >= count || undefined;
		},
		120_000,
		500,
	).catch(() => undefined);
	return { ...sent, executions };
}

function quantile(sorted: number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function measure(instances: Instance[], deliveries: number, rounds: number, concurrency: number): Promise<void> {
	const serial = { next: 0 };
	for (let round = 0; round <= rounds; round++) {
		for (const instance of round % 2 ? instances : [...instances].reverse()) {
			for (const run of round % 2 ? [...instance.runs].reverse() : instance.runs) {
				const figures = await batch(instance, run, round ? deliveries : Math.ceil(deliveries / 2), concurrency, serial);
				const sorted = [...figures.latencies].sort((a, b) => a - b);
				log(
					`${round ? `round ${round}` : 'warm-up'}, ${instance.name}, ${run.contender.key}: ${((figures.latencies.length * 1000) / figures.wallMs).toFixed(1)} deliveries/s, ` +
						`p50 ${quantile(sorted, 0.5).toFixed(0)} ms, p99 ${quantile(sorted, 0.99).toFixed(0)} ms, not 200: ${figures.notOk}, executions ${figures.executions}/${figures.latencies.length}`,
				);
				if (round) run.batches.push(figures);
			}
		}
	}
}

async function setUp(instance: Omit<Instance, 'runs'>, receiveBase: string, triggerType: string, build: Build): Promise<Instance> {
	await instance.api.setupOwner();
	const runs: Run[] = [];
	for (const contender of [...contenders(triggerType, build.triggerVersion), ...(build.floorTarball ? floorContenders() : [])]) {
		const workflow = await instance.api.createWorkflow(contender.workflow);
		await instance.api.activate(workflow);
		const url = contender.url(receiveBase);
		// Registered once a POST is no longer a 404 (an empty body: the trigger answers 401, the Webhook node starts one execution, counted apart).
		await webhookRegistered(url);
		runs.push({ contender, workflow, url, batches: [] });
	}
	return { ...instance, runs };
}

interface Build {
	name: string;
	label: string;
	tarball: string;
	/** The trigger's typeVersion in the workflow: what a new node gets in that package. */
	triggerVersion: number;
	/** `--floor`: the floor package, installed beside this one. */
	floorTarball?: string;
}

/** A fresh user folder with the build's package (and the floor package, with `--floor`). */
function userFolderOf(label: string, build: Build): string {
	const userFolder = freshUserFolder(label, build.tarball);
	if (build.floorTarball) {
		run('npm', ['install', build.floorTarball, '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: path.join(userFolder, '.n8n', 'nodes'),
		});
	}
	return userFolder;
}

/** `--n8n-env NAME=value,NAME=value`: settings for every n8n process. */
const n8nEnv: Record<string, string> = Object.fromEntries(
	textOption('n8n-env', '')
		.split(',')
		.filter(Boolean)
		.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);

function profileEnv(enabled: boolean, logDir: string, name: string): Record<string, string> {
	const profile: Record<string, string> = enabled
		? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(logDir, 'profiles', name.replace(/\W+/g, ''))}` }
		: {};
	return { ...n8nEnv, ...profile };
}

async function regularInstances(
	install: N8nInstall,
	builds: Build[],
	logDir: string,
	triggerType: string,
	cpuProf: boolean,
): Promise<Instance[]> {
	const instances: Instance[] = [];
	for (const [index, build] of builds.entries()) {
		const userFolder = userFolderOf(`bench-webhook-${index}`, build);
		const [port, brokerPort] = await freePorts(5810, 2);
		const n8n = startN8nProcess(`bench-webhook-regular-${index}`, 'start', {
			install,
			userFolder,
			port,
			brokerPort,
			logDir,
			env: profileEnv(cpuProf && index === 0, logDir, `regular-${build.name}`),
		});
		await waitUntilReady(n8n, 'start');
		const base = `http://127.0.0.1:${port}`;
		instances.push(await setUp({ name: build.name, label: build.label, api: new N8nApi(base, install) }, base, triggerType, build));
		log(`${build.name} (regular): n8n ${install.version} on ${base} (pid ${String(n8n.child.pid)}) with the package ${build.label}`);
	}
	return instances;
}

async function queueInstances(
	install: N8nInstall,
	builds: Build[],
	logDir: string,
	triggerType: string,
	cpuProf: boolean,
): Promise<Instance[]> {
	const { postgres } = ensureQueueServices();
	const [pgPort, redisPort] = [...(await freePorts(5520, 1)), ...(await freePorts(6420, 1))];
	await startPostgres(postgres, pgPort, logDir);
	await startRedis(redisPort, logDir);
	const instances: Instance[] = [];
	for (const [index, build] of builds.entries()) {
		const database = `bench_webhook_${index}`;
		createDatabase(postgres, pgPort, database);
		const userFolder = userFolderOf(`bench-webhook-queue-${index}`, build);
		const ports = await freePorts(5830 + index * 10, 6);
		const env: Record<string, string> = {
			...queueModeEnv({ postgresPort: pgPort, database, redisPort }),
			QUEUE_BULL_PREFIX: `bench${index}`,
			...n8nEnv,
		};
		const options = (port: number, brokerPort: number, extra: Record<string, string> = {}): N8nProcessOptions => ({
			install,
			userFolder,
			port,
			brokerPort,
			logDir,
			env: { ...env, ...extra },
		});
		const mainBase = `http://127.0.0.1:${ports[0]}`;
		const webhookBase = `http://127.0.0.1:${ports[2]}`;
		const tag = `bench-webhook-queue-${index}`;
		const main = startN8nProcess(
			`${tag}-main`,
			'start',
			options(ports[0], ports[1], { WEBHOOK_URL: `${webhookBase}/`, N8N_WEBHOOK_URL: `${webhookBase}/` }),
		);
		await waitUntilReady(main, 'start');
		const worker = startN8nProcess(`${tag}-worker`, 'worker', { ...options(ports[4], ports[5]), args: ['--concurrency=10'] });
		const webhook = startN8nProcess(
			`${tag}-webhook`,
			'webhook',
			options(ports[2], ports[3], profileEnv(cpuProf && index === 0, logDir, `queue-${build.name}`)),
		);
		await Promise.all([waitUntilReady(worker, 'worker'), waitUntilReady(webhook, 'webhook')]);
		instances.push(
			await setUp({ name: build.name, label: build.label, api: new N8nApi(mainBase, install) }, webhookBase, triggerType, build),
		);
		log(
			`${build.name} (queue): main ${mainBase}, webhook process ${webhookBase} (pid ${String((webhook as Managed).child.pid)}), worker; the package ${build.label}`,
		);
	}
	return instances;
}

interface Summary {
	perSecond: number;
	p50: number;
	p99: number;
	deliveries: number;
	notOk: number;
	executions: number;
}

function summary(run: Run): Summary {
	const latencies = run.batches.flatMap((figures) => figures.latencies).sort((a, b) => a - b);
	const wallMs = run.batches.reduce((sum, figures) => sum + figures.wallMs, 0);
	return {
		perSecond: (latencies.length * 1000) / wallMs,
		p50: quantile(latencies, 0.5),
		p99: quantile(latencies, 0.99),
		deliveries: latencies.length,
		notOk: run.batches.reduce((sum, figures) => sum + figures.notOk, 0),
		executions: run.batches.reduce((sum, figures) => sum + figures.executions, 0),
	};
}

/** Per round, a contender / Webhook node in the same instance: deliveries per second and p99. */
function roundRatios(trigger: Run, webhook: Run): { perSecond: number[]; p99: number[] } {
	const perSecond: number[] = [];
	const p99: number[] = [];
	trigger.batches.forEach((figures, round) => {
		const other = webhook.batches[round];
		const p99Of = (batchFigures: Batch) =>
			quantile(
				[...batchFigures.latencies].sort((a, b) => a - b),
				0.99,
			);
		perSecond.push(figures.latencies.length / figures.wallMs / (other.latencies.length / other.wallMs));
		p99.push(p99Of(figures) / p99Of(other));
	});
	return { perSecond, p99 };
}

const range = (values: number[]) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}×`;

function report(mode: Mode, instances: Instance[], concurrency: number): boolean {
	let ok = true;
	console.log('');
	console.log(
		`${mode} mode${mode === 'queue' ? ' (deliveries to the webhook process, executions on a worker)' : ' (SQLite)'}, ${concurrency} in flight:`,
	);
	console.log('');
	console.log('| n8n instance | Workflow | Deliveries/s | p50 | p99 | Deliveries | Not 200 | Executions |');
	console.log('|---|---|---|---|---|---|---|---|');
	for (const instance of instances) {
		for (const run of instance.runs) {
			const figures = summary(run);
			ok &&= figures.notOk === 0 && figures.executions === figures.deliveries;
			console.log(
				`| ${instance.name} (${instance.label}) | ${run.contender.label} | ${figures.perSecond.toFixed(1)} | ${figures.p50.toFixed(0)} ms | ${figures.p99.toFixed(0)} ms | ${figures.deliveries} | ${figures.notOk} | ${figures.executions} |`,
			);
		}
	}
	console.log('');
	for (const instance of instances) {
		const webhookRun = instance.runs.find((candidate) => candidate.contender.key === 'webhook') as Run;
		const webhook = summary(webhookRun);
		for (const run of instance.runs.filter((candidate) => candidate !== webhookRun)) {
			const figures = summary(run);
			const ratios = roundRatios(run, webhookRun);
			const name = run.contender.key === 'trigger' ? 'Trigger' : `Floor (${run.contender.key})`;
			console.log(
				`${name} / Webhook node, ${instance.name} (${instance.label}): deliveries/s ${(figures.perSecond / webhook.perSecond).toFixed(2)}× (rounds ${range(ratios.perSecond)}), ` +
					`p99 ${(figures.p99 / webhook.p99).toFixed(2)}× (rounds ${range(ratios.p99)}), p50 ${(figures.p50 / webhook.p50).toFixed(2)}×`,
			);
		}
	}
	return ok;
}

async function main(): Promise<void> {
	const started = Date.now();
	const deliveries = countOption('deliveries', 200);
	const rounds = countOption('rounds', 4);
	const concurrency = countOption('concurrency', 15);
	const modes = textOption('modes', 'regular,queue').split(',').filter(Boolean) as Mode[];
	const beforeCommit = textOption('before', '319f5b4');
	const cpuProf = process.argv.includes('--cpu-prof');
	const floorTarball = process.argv.includes('--floor') ? packFloor() : undefined;
	const { description } = new HighLevelWebhookTrigger();
	const nowVersion = description.defaultVersion ?? Math.max(...[description.version].flat());
	// Every later package keeps version 1 (saved workflows use it), so it is valid for any commit.
	const beforeVersion = Number(textOption('before-version', '1'));
	const install = ensureN8n(textOption('n8n', '2.41.1'));
	const triggerType = webhookTriggerType();
	if (!triggerType) throw new Error('package.json names no webhook trigger node');
	const logDir = path.join(REPO, '.build', 'bench-webhook-real');
	const head = run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']).trim();
	const dirty = run('git', ['-C', REPO, 'status', '--porcelain', '--', 'nodes', 'credentials', 'package.json']).trim()
		? ' + uncommitted changes'
		: '';
	const builds: Build[] = [
		{
			name: 'n8n #1',
			label: `now, ${head}${dirty}, trigger version ${nowVersion}`,
			tarball: packPackage(),
			triggerVersion: nowVersion,
			floorTarball,
		},
		{
			name: 'n8n #2',
			label: `before, ${beforeCommit}, trigger version ${beforeVersion}`,
			tarball: packCommit(beforeCommit),
			triggerVersion: beforeVersion,
			floorTarball,
		},
	];
	console.log(
		`${deliveries} signed InboundMessage deliveries per workflow and round, ${rounds} round(s) after a warm-up, ${concurrency} in flight, n8n ${install.version}` +
			`${
				Object.keys(n8nEnv).length
					? ` with ${Object.entries(n8nEnv)
							.map(([name, value]) => `${name}=${value}`)
							.join(' ')}`
					: ' (default settings)'
			}; ` +
			`Node.js ${process.version}, ${os.cpus().length} CPUs, load average ${os
				.loadavg()
				.map((load) => load.toFixed(2))
				.join(' ')}`,
	);
	let ok = true;
	try {
		for (const mode of modes) {
			const instances =
				mode === 'queue'
					? await queueInstances(install, builds, logDir, triggerType, cpuProf)
					: await regularInstances(install, builds, logDir, triggerType, cpuProf);
			await measure(instances, deliveries, rounds, concurrency);
			ok = report(mode, instances, concurrency) && ok;
			await stopAll();
		}
	} finally {
		await stopAll();
	}
	if (!ok) {
		console.log('FAILED: a delivery was not answered 200, or an execution is missing');
		process.exitCode = 1;
	}
	log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; n8n's logs${cpuProf ? ' and CPU profiles' : ''} under ${logDir}`);
}

main().catch(async (error: unknown) => {
	console.error(error);
	await stopAll();
	process.exitCode = 1;
});
