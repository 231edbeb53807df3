/**
 * OAuth2 under load in real n8n, regular mode (SQLite) or queue mode (Postgres + Redis, main +
 * 2 workers × concurrency 8: all 16 executions run at once on the workers): OAuth2 credentials connected through
 * n8n's own flow to sandboxes playing HighLevel's token rules (sandbox/tokens.ts) with access tokens
 * that live a few seconds (5 s; E2E_OAUTH_TOKEN_SECONDS) and single-use refresh tokens; per
 * credential 8 executions of 50 Message › Send each started at once (webhooks), so that many
 * requests meet each expiry together. A sub-account connection and an agency one (whose company
 * token and sub-account tokens expire every few seconds), in the same n8n at the same time.
 * Checked: no execution or item fails, every send is accepted exactly once, and the credential
 * still works afterwards (its test passes; an execution after the next expiry succeeds).
 * Figures: executions, sends, 401s met (and how many with a token a refresh had already replaced,
 * from the sandbox's token log, written beside n8n's logs), refreshes accepted and refused.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- e2e harness (dev tool, never shipped): E2E_OAUTH_TOKEN_SECONDS changes the token lifetime; the token log is written beside n8n's */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createSandbox, DEMO, type Sandbox, type TokenStats } from '../../../sandbox';
import type { TokenEvent } from '../../../sandbox/tokens';
import { createAgencySandbox, type AgencySandbox } from '../../../sandbox/agency';
import { CREDENTIAL_TYPE as NODE_CREDENTIAL_TYPE } from '../../../credentials/constants';
import { createDatabase, ensureQueueServices, removeFolder, startPostgres, startRedis, type N8nInstall } from '../install';
import { isDone, N8nApi, queueModeEnv, startN8nProcess, waitUntilReady, type ExecutionDetail } from '../n8n';
import { freePorts, sleep, waitFor, type Managed } from '../proc';
import { expect, type Report } from '../report';
import { ACTION_NODE, sendWorkflow } from '../workflows';

const OAUTH2_TYPE = NODE_CREDENTIAL_TYPE.marketplaceApp;
const CREDENTIAL_BLANKING_VALUE = '__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6';
const EXECUTIONS = 8;
const SENDS = 50;
/** Executions each queue-mode worker runs at once (2 workers: the 16 executions of both connections at once). */
const WORKER_CONCURRENCY = 8;
/** Access token lifetime: a few seconds, so that every execution meets several expiries. */
const TOKEN_SECONDS = Number(process.env.E2E_OAUTH_TOKEN_SECONDS) || 5;

export interface OAuthLoadContext {
	install: N8nInstall;
	userFolder: string;
	logDir: string;
	report: Report;
}

interface Connection {
	kind: 'sub-account' | 'agency';
	baseUrl: string;
	clientId: string;
	clientSecret: string;
	accountType: 'subAccount' | 'agency';
	/** The node's Location ID (agency: the sub-account to send as). */
	locationId?: string;
	/** The sandbox that holds the sent messages. */
	sandbox: Sandbox;
	tokens: () => TokenStats;
	/** The token rules' log of every check and refresh (tokens by digest). */
	journal: TokenEvent[];
	/** Location token exchanges (agency). */
	exchanges: () => number;
	authorizations: () => Array<{ redeemed: boolean }>;
}

export async function oauthLoadSuite(context: OAuthLoadContext, mode: 'regular' | 'queue' = 'regular'): Promise<void> {
	const { install, report } = context;
	const suite = `n8n ${install.version} (OAuth2 under load, ${mode === 'queue' ? `queue mode: Postgres + Redis, main + 2 workers × concurrency ${WORKER_CONCURRENCY}` : 'regular mode'})`;
	const n8nPorts = await freePorts(mode === 'queue' ? 5810 : 5790, mode === 'queue' ? 6 : 2);
	const callback = `http://127.0.0.1:${n8nPorts[0]}/rest/oauth2-credential/callback`;
	const sandbox = await createSandbox({
		conversations: 20,
		rateLimit: false,
		oauth: { accessTokenSeconds: TOKEN_SECONDS, redirectUris: [callback] },
	});
	const agency = await createAgencySandbox({
		locations: 2,
		conversations: 5,
		rateLimit: false,
		redirectUris: [callback],
		companyTokenSeconds: TOKEN_SECONDS,
		locationTokenSeconds: TOKEN_SECONDS + 1,
	});
	const started: Managed[] = [];
	let pgData = '';
	try {
		const connections: Connection[] = [
			{
				kind: 'sub-account',
				baseUrl: await sandbox.listen(0, '127.0.0.1'),
				clientId: sandbox.oauth!.clientId,
				clientSecret: sandbox.oauth!.clientSecret,
				accountType: 'subAccount',
				sandbox,
				tokens: () => sandbox.oauth!.tokens.stats,
				journal: (sandbox.oauth!.tokens.journal = []),
				exchanges: () => 0,
				authorizations: () => sandbox.oauth!.authorizations,
			},
			agencyConnection(agency, await agency.listen(0, '127.0.0.1')),
		];
		let env: Record<string, string> | undefined;
		if (mode === 'queue') {
			// The queue suite's components: Postgres and Redis (Debian's packages), executions on the workers.
			const services = await report.check(suite, 'Postgres and Redis started', async () => {
				const { postgres } = ensureQueueServices();
				const [pgPort, redisPort] = [...(await freePorts(5495, 1)), ...(await freePorts(6395, 1))];
				const pg = await startPostgres(postgres, pgPort, context.logDir);
				started.push(pg.process);
				pgData = pg.dataDir;
				createDatabase(postgres, pgPort, 'n8n');
				started.push(await startRedis(redisPort, context.logDir));
				env = {
					...queueModeEnv({ postgresPort: pgPort, database: 'n8n', redisPort }),
					N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'false',
					// n8n's Postgres pool (default 2): every request reads the credential from the database.
					...(process.env.E2E_OAUTH_PG_POOL ? { DB_POSTGRESDB_POOL_SIZE: process.env.E2E_OAUTH_PG_POOL } : {}),
				};
				return `Postgres on ${pgPort}, Redis on ${redisPort}`;
			});
			if (!services) return;
		}
		const main = startN8nProcess(`oauth-load-${mode}-${install.version}`, 'start', {
			install,
			userFolder: context.userFolder,
			port: n8nPorts[0],
			brokerPort: n8nPorts[1],
			logDir: context.logDir,
			env,
		});
		started.push(main);
		const api = new N8nApi(`http://127.0.0.1:${n8nPorts[0]}`, install);
		const up = await report.check(
			suite,
			mode === 'queue' ? 'main and 2 workers start; owner set up' : 'n8n starts; owner set up',
			async () => {
				await waitUntilReady(main, 'start');
				await api.setupOwner();
				if (mode === 'queue') {
					const workers = [0, 1].map((index) =>
						startN8nProcess(`oauth-load-worker-${index + 1}-${install.version}`, 'worker', {
							install,
							userFolder: context.userFolder,
							port: n8nPorts[2 + index * 2],
							brokerPort: n8nPorts[3 + index * 2],
							logDir: context.logDir,
							env,
							args: [`--concurrency=${WORKER_CONCURRENCY}`],
						}),
					);
					started.push(...workers);
					await Promise.all(workers.map(async (worker) => await waitUntilReady(worker, 'worker')));
				}
				return `port ${n8nPorts[0]}`;
			},
		);
		if (!up) return;
		// Both connections connected, then loaded at the same time (one n8n, as a user with both would run them).
		// Workflows are created and activated one at a time: n8n 1.x's SQLite refuses concurrent ones
		// ("cannot start a transaction within a transaction").
		let queue: Promise<unknown> = Promise.resolve();
		const serial = async <T>(step: () => Promise<T>): Promise<T> => {
			const done = queue.then(step, step);
			queue = done.catch(() => undefined);
			return await done;
		};
		const ready: Array<{ connection: Connection; credentialId: string }> = [];
		for (const connection of connections) {
			const credentialId = await connectCheck(suite, api, report, connection, callback);
			if (credentialId) ready.push({ connection, credentialId });
		}
		await Promise.all(
			ready.map(
				async ({ connection, credentialId }) =>
					await loadChecks(suite, api, report, connection, credentialId, context.logDir, mode, serial),
			),
		);
	} finally {
		// n8n's processes first (in parallel), then Redis and Postgres.
		const n8nProcesses = started.filter((managed) => managed.name.startsWith('oauth-load-'));
		await Promise.all(n8nProcesses.map(async (managed) => await managed.stop()));
		for (const managed of started.filter((candidate) => !n8nProcesses.includes(candidate)).reverse()) await managed.stop();
		if (pgData) removeFolder(pgData);
		await sandbox.close();
		await agency.close();
	}
}

function agencyConnection(agency: AgencySandbox, baseUrl: string): Connection {
	const location = agency.locations[0];
	return {
		kind: 'agency',
		baseUrl,
		clientId: agency.clientId,
		clientSecret: agency.clientSecret,
		accountType: 'agency',
		locationId: location.locationId,
		sandbox: location,
		tokens: () => agency.tokens.stats,
		journal: (agency.tokens.journal = []),
		exchanges: () => [...agency.exchanges.values()].reduce((sum, count) => sum + count, 0),
		authorizations: () => agency.authorizations,
	};
}

/** n8n's "Connect my account": its authorization URL opened on the sandbox, the redirect followed to n8n. */
async function connect(api: N8nApi, connection: Connection, name: string, callback: string): Promise<string> {
	const credentialId = await api.createCredential(name, OAUTH2_TYPE, {
		accountType: connection.accountType,
		clientId: connection.clientId,
		clientSecret: connection.clientSecret,
		baseUrl: connection.baseUrl,
	});
	const authorization = new URL(await api.request<string>('GET', `/rest/oauth2-credential/auth?id=${credentialId}`));
	const page = await fetch(`${connection.baseUrl}${authorization.pathname}${authorization.search}`, { redirect: 'manual' });
	const location = page.headers.get('location') ?? '';
	await page.arrayBuffer();
	expect(
		page.status === 302 && location.startsWith(`${callback}?`),
		`authorization page answered ${page.status} → ${location || 'nowhere'}`,
	);
	const landing = await api.browse(location);
	expect(landing.status === 200 && landing.text.includes('Connection successful'), `n8n's callback answered ${landing.status}`);
	expect(
		connection.authorizations().some((consent) => consent.redeemed),
		'the code was not redeemed',
	);
	return credentialId;
}

async function credentialTest(api: N8nApi, credentialId: string, name: string): Promise<string> {
	const stored = await api.request<{ data?: Record<string, unknown> }>('GET', `/rest/credentials/${credentialId}?includeData=true`);
	const test = await api.request<{ status: string; message: string }>('POST', '/rest/credentials/test', {
		credentials: { id: credentialId, name, type: OAUTH2_TYPE, data: { ...stored.data, oauthTokenData: CREDENTIAL_BLANKING_VALUE } },
	});
	return `${test.status} ${test.message}`;
}

/** Texts of the outbound messages the sandbox accepted, with how often each. */
function accepted(sandbox: Sandbox, prefix: string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const conversation of sandbox.state.listConversations()) {
		for (const message of sandbox.state.messagesOf(conversation.id)) {
			if (message.body?.startsWith(prefix)) counts.set(message.body, (counts.get(message.body) ?? 0) + 1);
		}
	}
	return counts;
}

/**
 * What the token log says about the 401s of a run: how many met a token that had already been
 * replaced by a refresh (a request signed with a token read before another refresh) and how many
 * the newest token (it had just expired); the log is written beside n8n's logs.
 */
function tokenLogSummary(events: TokenEvent[], from: number, file: string): string {
	const run = events.filter((event) => event.at >= from);
	writeFileSync(file, run.map((event) => JSON.stringify({ ...event, at: event.at - from })).join('\n') + '\n');
	const issued = new Map<string, number>();
	let newest = '';
	let stale = 0;
	let current = 0;
	const staleBy: number[] = [];
	for (const event of run) {
		if (event.event === 'refreshed' && event.access) {
			issued.set(event.access, event.at);
			newest = event.access;
		}
		if (event.event !== 'expired') continue;
		if (newest && event.access !== newest) {
			stale++;
			staleBy.push(event.at - (issued.get(newest) ?? event.at));
		} else current++;
	}
	staleBy.sort((a, b) => a - b);
	const median = staleBy.length ? staleBy[Math.floor(staleBy.length / 2)] : 0;
	return `401s with a token already replaced ${stale} (median ${median} ms after the replacement), with the newest token ${current}; log ${basename(file)}`;
}

const credentialName = (connection: Connection) => `OAuth2 load (${connection.kind})`;

/** The connection's credential, connected through n8n's own flow: its ID, or '' when that failed. */
async function connectCheck(suite: string, api: N8nApi, report: Report, connection: Connection, callback: string): Promise<string> {
	let credentialId = '';
	await report.check(
		suite,
		`${connection.kind}: OAuth2 credential connected through n8n's own flow (access tokens live ${TOKEN_SECONDS} s)`,
		async () => {
			credentialId = await connect(api, connection, credentialName(connection), callback);
			return `credential ${credentialId}`;
		},
	);
	return credentialId;
}

async function loadChecks(
	suite: string,
	api: N8nApi,
	report: Report,
	connection: Connection,
	credentialId: string,
	logDir: string,
	mode: 'regular' | 'queue',
	serial: <T>(step: () => Promise<T>) => Promise<T>,
): Promise<void> {
	const name = credentialName(connection);
	const path = `oauth-load-${mode}-${connection.kind}`;
	const workflowJson = sendWorkflow(path, DEMO.smsContactId);
	for (const node of workflowJson.nodes) {
		if (node.type !== ACTION_NODE) continue;
		node.parameters = {
			authentication: 'oAuth2',
			...node.parameters,
			...(connection.locationId ? { locationId: { __rl: true, mode: 'id', value: connection.locationId } } : {}),
		};
		node.credentials = { [OAUTH2_TYPE]: { id: credentialId, name } };
	}
	const workflow = await serial(async () => {
		const created = await api.createWorkflow(workflowJson);
		await api.activate(created);
		return created;
	});
	const webhook = `${api.baseUrl}/webhook/${path}`;
	const post = async (texts: string[]) =>
		await waitFor(
			'the webhook to accept the batch',
			async () => {
				const response = await fetch(webhook, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ messages: texts.map((text) => ({ text })) }),
				});
				return response.status === 200 ? 200 : undefined;
			},
			60_000,
			500,
		);

	await report.check(
		suite,
		`${connection.kind}: ${EXECUTIONS} executions × ${SENDS} Message › Send at once across token expiries: 0 failed items, every send accepted once, the credential still works`,
		async () => {
			const before = { ...connection.tokens() };
			const exchangesBefore = connection.exchanges();
			const prefix = `load ${connection.kind} ${Date.now()} `;
			const batches = Array.from({ length: EXECUTIONS }, (_, execution) =>
				Array.from({ length: SENDS }, (_, index) => `${prefix}#${execution}-${index}`),
			);
			const startedAt = Date.now();
			const journalFrom = startedAt;
			await Promise.all(batches.map(async (batch) => await post(batch)));
			const executions = await waitFor(
				'the executions to finish',
				async () => {
					const list = await api.executions(workflow.id);
					return list.length >= EXECUTIONS && list.every(isDone) ? list : undefined;
				},
				300_000,
				1000,
			);
			const seconds = (Date.now() - startedAt) / 1000;
			const details: ExecutionDetail[] = await Promise.all(executions.map(async (execution) => await api.waitForExecution(execution.id)));
			const failed = details.filter((execution) => execution.status !== 'success');
			const counts = accepted(connection.sandbox, prefix);
			const expected = batches.flat();
			const once = expected.filter((text) => counts.get(text) === 1).length;
			const twice = [...counts.values()].filter((count) => count > 1).length;
			const after = connection.tokens();
			const figures =
				`${details.length} executions (${failed.length} failed${failed[0]?.error ? `: "${failed[0].error}"` : ''}); ` +
				`sends accepted once ${once}/${expected.length}, twice or more ${twice}; ` +
				`401s for an expired token ${after.expired - before.expired}; refreshes accepted ${after.refreshed - before.refreshed}, refused ${after.invalidGrant - before.invalidGrant} (Invalid grant)` +
				(connection.kind === 'agency' ? `; location token exchanges ${connection.exchanges() - exchangesBefore}` : '') +
				`; ${seconds.toFixed(1)} s; ` +
				tokenLogSummary(connection.journal, journalFrom, join(logDir, `oauth-load-${mode}-${connection.kind}.jsonl`));
			// The credential afterwards: its test, and an execution after the next expiry, with no reconnect.
			await sleep((TOKEN_SECONDS + 1) * 1000);
			// One test at a time: n8n's tester keeps one temporary node per node type and removes it when a
			// test ends, so two tests of this node at once in one process fail with "Node not found".
			const test = await serial(async () => await credentialTest(api, credentialId, name));
			const laterText = `${prefix}later`;
			await post([laterText]);
			const later = await waitFor(
				'the later execution',
				async () => {
					const list = await api.executions(workflow.id);
					return list.length > EXECUTIONS && list.every(isDone) ? list : undefined;
				},
				60_000,
				500,
			);
			const last = await api.waitForExecution(later.sort((a, b) => Number(b.id) - Number(a.id))[0].id);
			const summary = `${figures}; afterwards: credential test ${test}, later execution ${last.status}, its send accepted ${accepted(connection.sandbox, laterText).get(laterText) ?? 0}×`;
			expect(failed.length === 0 && once === expected.length && twice === 0, summary);
			expect(test.startsWith('OK') && last.status === 'success' && accepted(connection.sandbox, laterText).get(laterText) === 1, summary);
			return summary;
		},
	);
	await serial(async () => await api.deactivate(workflow));
}
