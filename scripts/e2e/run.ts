/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- e2e harness (dev tool, never shipped): reads its arguments and environment, sets the exit code */
/**
 * ./dev e2e [--versions 2.41.1,1.123.81] [--queue-versions 2.41.1] [--skip-queue] [--skip-durable] [--skip-oauth-load] [--only-oauth-load]
 *           [--oauth-load-modes regular,queue]
 *           [--only receptionist|sendAndWait|webhook|queue]   (only the AI receptionist's, Send and Wait's, or the webhook trigger's regular-mode checks, restarts included; or only queue mode)
 *           [--queue-window sliding|fixed|sliding-all]   (how the sandbox counts the limit in queue mode; sliding by default)
 *
 * Real n8n in the loop: installs pinned n8n releases into a cache folder (reused), packs this
 * package and installs the tarball into a fresh n8n user folder per version, then runs the
 * templates, the polling trigger (and the webhook trigger, when the package has it) in `n8n start`,
 * OAuth2 under load (suites/oauthLoad.ts: concurrent executions across token expiries, sub-account
 * and agency at once, in regular and queue mode, on every version; --skip-oauth-load leaves it out,
 * --only-oauth-load runs nothing else), and queue mode (Postgres + Redis, main + 2 workers + a webhook process). Prints each check with
 * its figures and ends with `N passed, N failed`; exits 1 when a check failed. Stops everything it
 * started, also on Ctrl-C.
 */
import path from 'node:path';
import { ensureN8n, freshUserFolder, packPackage, removeFolder, REPO, type N8nInstall } from './install';
import { log, stopAll } from './proc';
import { Report } from './report';
import { oauthLoadSuite } from './suites/oauthLoad';
import { QUEUE_WINDOWS, queueSuite, type QueueWindow } from './suites/queue';
import { receptionistChecks } from './suites/receptionist';
import { sendAndWaitChecks } from './suites/sendAndWait';
import { regularSuite, type RunningN8n } from './suites/regular';
import { PENDING_CHECKS, webhookQueueChecks, webhookRegularChecks, webhookTriggerType } from './suites/webhook';

/** The n8n the tests use (n8n-core 2.41.1) and the newest 1.x. */
const DEFAULT_VERSIONS = ['2.41.1', '1.123.81'];

function option(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
	const started = Date.now();
	const versions = (option('versions') ?? process.env.E2E_N8N_VERSIONS ?? DEFAULT_VERSIONS.join(',')).split(',').filter(Boolean);
	const onlyOAuthLoad = process.argv.includes('--only-oauth-load');
	// --oauth-load-modes regular,queue (both by default).
	const oauthLoadModes = (option('oauth-load-modes') ?? 'regular,queue')
		.split(',')
		.filter((mode): mode is 'regular' | 'queue' => mode === 'regular' || mode === 'queue');
	// --only receptionist|sendAndWait|webhook: n8n in regular mode with only those checks (no queue, no durable scheduler).
	const only = option('only');
	const ONLY = ['receptionist', 'sendAndWait', 'webhook', 'queue'];
	if (only !== undefined && !ONLY.includes(only)) throw new Error(`--only takes one of ${ONLY.join(', ')}, not "${only}"`);
	const onlyQueue = only === 'queue';
	const queueWindow = (option('queue-window') ?? 'sliding') as QueueWindow;
	if (!QUEUE_WINDOWS.includes(queueWindow))
		throw new Error(`--queue-window takes one of ${QUEUE_WINDOWS.join(', ')}, not "${queueWindow}"`);
	const queueVersions =
		process.argv.includes('--skip-queue') || (only && !onlyQueue) || onlyOAuthLoad
			? []
			: (option('queue-versions') ?? process.env.E2E_QUEUE_VERSIONS ?? versions[0]).split(',').filter(Boolean);
	const logRoot = path.join(REPO, '.build', 'e2e');
	const report = new Report();
	const webhookType = webhookTriggerType();
	const folders: string[] = [];
	/** The webhook trigger's checks on a running suite; listed as pending when the package has no such node. */
	function webhookChecks<T>(suite: string, index: 0 | 1, checks: (context: T, type: string) => Promise<void>) {
		if (webhookType) return async (context: T) => await checks(context, webhookType);
		report.pending(suite, PENDING_CHECKS[index], 'the package has no webhook trigger node yet (issue 11)');
		return undefined;
	}
	try {
		const installs: N8nInstall[] = [];
		for (const version of [...new Set([...versions, ...queueVersions])]) {
			await report.check('setup', `n8n ${version} installed (cache outside the package)`, () => {
				const install = ensureN8n(version);
				installs.push(install);
				return install.installed ? `installed in ${install.seconds.toFixed(0)} s into ${install.dir}` : `reused ${install.dir}`;
			});
		}
		let tarball = '';
		await report.check('setup', 'package packed (npm run pack: build, npm pack, pack check)', () => {
			tarball = packPackage();
			return path.basename(tarball);
		});
		if (!tarball) return;

		for (const install of installs) {
			const logDir = path.join(logRoot, install.version);
			let userFolder = '';
			await report.check('setup', `n8n ${install.version}: tarball installed into a fresh user folder's .n8n/nodes`, () => {
				userFolder = freshUserFolder(install.version, tarball);
				folders.push(userFolder);
				return `${userFolder}/.n8n/nodes`;
			});
			if (!userFolder) continue;
			if (versions.includes(install.version) && !only && !process.argv.includes('--skip-oauth-load')) {
				for (const mode of oauthLoadModes) {
					const loadFolder = freshUserFolder(`${install.version}-oauth-load-${mode}`, tarball);
					folders.push(loadFolder);
					await oauthLoadSuite({ install, userFolder: loadFolder, logDir, report }, mode);
				}
			}
			if (versions.includes(install.version) && !onlyOAuthLoad && !onlyQueue) {
				const webhook =
					only && only !== 'webhook' ? undefined : webhookChecks(`n8n ${install.version} (regular mode, SQLite)`, 0, webhookRegularChecks);
				const extra = async (running: RunningN8n) => {
					await webhook?.(running);
					if (!only || only === 'receptionist') await receptionistChecks(running);
					if (!only || only === 'sendAndWait') await sendAndWaitChecks(running);
				};
				await regularSuite({ install, userFolder, logDir, report, extra, extraOnly: Boolean(only) });
				// n8n 2.x's opt-in durable scheduler runs polls as leased jobs: the trigger must hold there too.
				if (!install.version.startsWith('1.') && !process.argv.includes('--skip-durable') && !only) {
					const durableFolder = freshUserFolder(`${install.version}-durable`, tarball);
					folders.push(durableFolder);
					await regularSuite({ install, userFolder: durableFolder, logDir, report, durableScheduler: true });
				}
			}
			if (queueVersions.includes(install.version)) {
				const extra = webhookChecks(`n8n ${install.version} (queue mode)`, 1, webhookQueueChecks);
				await queueSuite({ install, userFolder, logDir, report, extra, window: queueWindow });
			}
		}
	} finally {
		await stopAll();
		for (const folder of folders) removeFolder(folder);
		log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; logs of every process under ${logRoot}`);
		report.print(path.join(logRoot, 'summary.json'));
		process.exitCode = report.failed > 0 || report.passed === 0 ? 1 : 0;
	}
}

main().catch(async (error: unknown) => {
	console.error(error);
	await stopAll();
	process.exitCode = 1;
});
