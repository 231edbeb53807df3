/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- (the encryption key and owner password are of a throw-away local instance) e2e harness (dev tool, never shipped): starts n8n processes and talks to their REST API */
/** Real n8n processes (main, worker, webhook) and the REST calls the editor makes. */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { N8nInstall } from './install';
import { Managed, sleep, waitFor } from './proc';

export type N8nCommand = 'start' | 'worker' | 'webhook';

/** The same key for every process of one instance: workers decrypt the credential main stored. */
const ENCRYPTION_KEY = 'e2e-harness-encryption-key-not-a-secret';

export interface N8nProcessOptions {
	install: N8nInstall;
	userFolder: string;
	/** HTTP port (main, webhook process; a worker's health server). */
	port: number;
	/** Task broker port: each process has its own (the default 5679 would clash). */
	brokerPort: number;
	logDir: string;
	env?: Record<string, string>;
	args?: string[];
}

export function startN8nProcess(name: string, command: N8nCommand, options: N8nProcessOptions): Managed {
	const env: NodeJS.ProcessEnv = {
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		TMPDIR: process.env.TMPDIR,
		N8N_USER_FOLDER: options.userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_PORT: String(options.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		WEBHOOK_URL: `http://127.0.0.1:${options.port}/`,
		N8N_WEBHOOK_URL: `http://127.0.0.1:${options.port}/`,
		QUEUE_HEALTH_CHECK_PORT: String(options.port),
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// E2E_N8N_LOG_LEVEL=debug keeps n8n's debug lines (resume, wait tracker, execution saves) in the logs.
		N8N_LOG_LEVEL: process.env.E2E_N8N_LOG_LEVEL ?? 'info',
		N8N_LOG_OUTPUT: 'console',
		GENERIC_TIMEZONE: 'UTC',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		NODE_ENV: 'production',
		...options.env,
	};
	return new Managed(name, process.execPath, [options.install.bin, command, ...(options.args ?? [])], { env, logDir: options.logDir });
}

const READY: Record<N8nCommand, RegExp> = {
	start: /Editor is now accessible via/,
	worker: /n8n worker is now ready/,
	webhook: /Webhook listener waiting for requests/,
};

/** The environment of an n8n process in queue mode: its Postgres database and the Redis queue. */
export function queueModeEnv(services: { postgresPort: number; database: string; redisPort: number }): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(services.postgresPort),
		DB_POSTGRESDB_DATABASE: services.database,
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(services.redisPort),
	};
}

/**
 * Waits until n8n serves a production webhook URL: a moment after activation it still answers 404
 * (which starts nothing). The probe is an unsigned empty body: this package's trigger answers 401 and
 * starts nothing; n8n's Webhook node starts one execution, which callers count apart.
 */
export async function webhookRegistered(url: string, timeoutMs = 120_000): Promise<void> {
	await waitFor(
		`${url} to be registered`,
		async () => {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			await response.arrayBuffer();
			return response.status === 404 ? undefined : true;
		},
		timeoutMs,
		500,
	);
}

export async function waitUntilReady(process: Managed, command: N8nCommand, timeoutMs = 240_000): Promise<void> {
	await waitFor(
		`n8n ${process.name} to start`,
		() => {
			if (!process.alive) throw new Error(`n8n ${process.name} exited (${process.exitCode}):\n${process.output.slice(-3000)}`);
			return READY[command].test(process.output) || undefined;
		},
		timeoutMs,
		500,
	);
}

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
	workflowId: string;
	startedAt?: string;
	stoppedAt?: string;
}

/** How long after a finished read of an execution the harness reads it again to confirm it (see waitForExecution). */
const SAVE_SETTLE_MS = 500;

/** An execution that will not change any more (n8n's statuses: new, running, waiting, success, error, crashed, canceled). */
export function isDone(execution: { status: string }): boolean {
	return !['new', 'running', 'waiting', 'unknown'].includes(execution.status);
}

export interface ExecutionDetail extends ExecutionSummary {
	/** runData[node] = the node's runs, each with data.main[output] = items. */
	runData: Record<
		string,
		Array<{
			data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
			error?: { message?: string };
			/** ms the node's run took, as n8n records it. */ executionTime?: number;
		}>
	>;
	error?: string;
	lastNodeExecuted?: string;
	/** Nodes still on the execution's stack, as saved (a finished success has none left). */
	pending: number;
}

export interface Workflow {
	id: string;
	versionId: string;
	name: string;
	nodes: Array<Record<string, unknown> & { name: string; type: string; parameters: Record<string, unknown> }>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** The REST API the editor uses (a session cookie), for n8n 1.x and 2.x. */
export class N8nApi {
	/** The browser's cookies for n8n: the session (n8n-auth) and, when n8n sets it, the OAuth flow's binding cookie. */
	private readonly cookies = new Map<string, string>();
	private readonly flatted: { parse(text: string): unknown };

	constructor(
		readonly baseUrl: string,
		readonly install: N8nInstall,
	) {
		const requireFromN8n = createRequire(path.join(install.dir, 'node_modules', 'n8n', 'package.json'));
		this.flatted = requireFromN8n('flatted') as { parse(text: string): unknown };
	}

	private get cookie(): string {
		return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}

	private keepCookies(response: Response): void {
		for (const cookie of response.headers.getSetCookie?.() ?? []) {
			const [pair] = cookie.split(';');
			const at = pair.indexOf('=');
			if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
		}
	}

	async request<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
		const send = async () =>
			await fetch(`${this.baseUrl}${url}`, {
				method,
				headers: {
					'content-type': 'application/json',
					accept: 'application/json',
					...(this.cookie ? { cookie: this.cookie } : {}),
					'browser-id': 'e2e-harness',
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		// On a loaded machine a request has failed on the connection ("fetch failed": no answer at
		// all, as with nodeTypes below): sent again twice before it counts, its cause named.
		let response: Response | undefined;
		for (let attempt = 1; !response; attempt++) {
			try {
				response = await send();
			} catch (error) {
				if (attempt >= 3)
					// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- a dev tool's error, no node to name
					throw new Error(
						`${method} ${url}: ${(error as Error).message} (${String((error as { cause?: unknown }).cause)}), ${attempt} attempts`,
					);
				await sleep(2000);
			}
		}
		this.keepCookies(response);
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 500)}`);
		const parsed = text ? (JSON.parse(text) as { data?: T }) : {};
		return (parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed) as T;
	}

	/** A page the browser opens on n8n (an OAuth callback): with its cookies, redirects not followed. */
	async browse(url: string): Promise<{ status: number; location: string | null; text: string }> {
		if (!url.startsWith(`${this.baseUrl}/`)) throw new Error(`${url} is not on this n8n (${this.baseUrl})`);
		const response = await fetch(url, {
			headers: { accept: 'text/html', ...(this.cookie ? { cookie: this.cookie } : {}) },
			redirect: 'manual',
		});
		this.keepCookies(response);
		return { status: response.status, location: response.headers.get('location'), text: await response.text() };
	}

	async setupOwner(): Promise<void> {
		await this.request('POST', '/rest/owner/setup', {
			email: 'owner@e2e.example.com',
			firstName: 'E2E',
			lastName: 'Owner',
			password: 'E2e-harness-Passw0rd',
		});
		if (!this.cookies.has('n8n-auth')) throw new Error('owner setup gave no session cookie');
	}

	/** The node types n8n loaded (the editor's /types/nodes.json). */
	async nodeTypes(): Promise<string[]> {
		// Right after start, on a loaded machine, the first fetch of this large file has failed on the
		// connection ("fetch failed"): retried a few times before it counts.
		let response: Response | undefined;
		for (let attempt = 1; !response; attempt++) {
			try {
				response = await fetch(`${this.baseUrl}/types/nodes.json`, { headers: { cookie: this.cookie } });
			} catch (error) {
				if (attempt >= 5)
					// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- a dev tool's error, no node to name
					throw new Error(
						`GET /types/nodes.json: ${(error as Error).message} (${String((error as { cause?: unknown }).cause)}), ${attempt} attempts`,
					);
				await sleep(2000);
			}
		}
		if (!response.ok) throw new Error(`GET /types/nodes.json: ${response.status}`);
		const types = (await response.json()) as Array<{ name: string }>;
		return types.map((type) => type.name);
	}

	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<string> {
		const created = await this.request<{ id: string }>('POST', '/rest/credentials', { name, type, data });
		return created.id;
	}

	async createWorkflow(workflow: Record<string, unknown>): Promise<Workflow> {
		// As the editor's import: a new workflow, inactive, without the exported ID, version, tags or pinned data.
		const body: Record<string, unknown> = { ...workflow };
		for (const key of ['id', 'pinData', 'meta', 'tags', 'versionId']) delete body[key];
		// n8n 1.x needs `active` in the body (its column is NOT NULL); 2.x takes it too.
		body.active = false;
		return await this.request<Workflow>('POST', '/rest/workflows', body);
	}

	/** Publishes the saved version (2.x; 1.123 has the same endpoint): the workflow's triggers start. */
	async activate(workflow: Workflow): Promise<void> {
		await this.request('POST', `/rest/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
	}

	async deactivate(workflow: Workflow): Promise<void> {
		await this.request('POST', `/rest/workflows/${workflow.id}/deactivate`, {});
	}

	/** What the editor's "Execute workflow" does: a manual run from the given trigger; returns the execution ID. */
	async runManually(workflow: Workflow, triggerName: string): Promise<string> {
		const result = await this.request<{ executionId?: string; waitingForWebhook?: boolean }>('POST', `/rest/workflows/${workflow.id}/run`, {
			workflowData: workflow,
			triggerToStartFrom: { name: triggerName },
			startNodes: [],
		});
		if (!result.executionId) throw new Error(`manual run of "${workflow.name}" started no execution: ${JSON.stringify(result)}`);
		return String(result.executionId);
	}

	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.request<{ results: ExecutionSummary[] }>('GET', `/rest/executions?filter=${filter}&limit=100`);
		return page.results.map((execution) => ({ ...execution, id: String(execution.id) }));
	}

	async execution(id: string): Promise<ExecutionDetail> {
		const raw = await this.request<ExecutionSummary & { data: string }>('GET', `/rest/executions/${id}`);
		const data = this.flatted.parse(raw.data) as {
			resultData: { runData: ExecutionDetail['runData']; error?: { message?: string }; lastNodeExecuted?: string };
			executionData?: { nodeExecutionStack?: unknown[] };
		};
		return {
			...raw,
			id: String(raw.id),
			runData: data.resultData.runData ?? {},
			error: data.resultData.error?.message,
			lastNodeExecuted: data.resultData.lastNodeExecuted,
			pending: data.executionData?.nodeExecutionStack?.length ?? 0,
		};
	}

	/**
	 * The workflow's executions once at least `atLeast` exist and all have finished, and no more
	 * came in a quiet spell of `quietMs` (late deliveries, retries), oldest first.
	 */
	async settledExecutions(workflowId: string, atLeast: number, quietMs: number): Promise<ExecutionSummary[]> {
		await waitFor(
			`${atLeast} executions of workflow ${workflowId}`,
			async () => {
				const executions = await this.executions(workflowId);
				return executions.length >= atLeast && executions.every(isDone) ? true : undefined;
			},
			120_000,
			1000,
		);
		await sleep(quietMs);
		const settled = await waitFor(
			`the executions of workflow ${workflowId} to finish`,
			async () => {
				const executions = await this.executions(workflowId);
				return executions.every(isDone) ? executions : undefined;
			},
			60_000,
			1000,
		);
		return settled.sort((a, b) => Number(a.id) - Number(b.id));
	}

	/**
	 * An execution once it has finished and its saved data is the final one. n8n 1.x on SQLite (its
	 * default pool size 0) saves an execution in two updates outside a transaction, the status first,
	 * then the data (@n8n/db's `updateExistingExecution`; 2.x wraps them in one): a read between them
	 * sees the final status with the data saved before, e.g. a resumed Send and Wait "success" whose
	 * run data is still the one saved when it resumed (the node's waiting run removed, nothing run
	 * after it). So a finished read counts once a success has no node left on its stack (what was
	 * saved before always has one) and a second read, SAVE_SETTLE_MS later, shows the same status,
	 * stop time and runs (for the other statuses: the gap between the updates grows with the reads
	 * queued on n8n's one SQLite connection: 0.18 s and more with 16 readers at once). Every suite
	 * reads a finished execution's data through it, also one a list already shows finished.
	 */
	async waitForExecution(id: string, timeoutMs = 180_000): Promise<ExecutionDetail> {
		const state = (execution: ExecutionDetail) =>
			JSON.stringify([execution.status, execution.stoppedAt, execution.pending, execution.runData]);
		return await waitFor(
			`execution ${id} to finish`,
			async () => {
				const execution = await this.execution(id);
				if (!isDone(execution) || (execution.status === 'success' && execution.pending > 0)) return undefined;
				await sleep(SAVE_SETTLE_MS);
				const again = await this.execution(id);
				return state(again) === state(execution) ? again : undefined;
			},
			timeoutMs,
			1000,
		);
	}
}

/** The items a node put out in an execution (all its runs; one output, or all outputs). */
export function outputItems(execution: ExecutionDetail, node: string, output?: number): Array<Record<string, unknown>> {
	const runs = execution.runData[node] ?? [];
	return runs.flatMap((run) => {
		const outputs = run.data?.main ?? [];
		const chosen = output === undefined ? outputs : [outputs[output]];
		return chosen.flatMap((items) => (items ?? []).map((item) => item.json));
	});
}
