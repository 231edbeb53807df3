/**
 * One n8n (`n8n start`, SQLite, regular mode) with the packed package in its user folder: the
 * package loads, the templates run against the sandbox and change it as they should, and an
 * active polling trigger starts exactly one execution per poll with new events, with those events.
 */
import { createSandbox, type Sandbox, type SandboxExchange } from '../../../sandbox';
import type { N8nInstall } from '../install';
import { isDone, N8nApi, outputItems, startN8nProcess, waitUntilReady, type ExecutionDetail, type Workflow } from '../n8n';
import { freePorts, log, logFile, sleep, waitFor, type Managed } from '../proc';
import { expect, type Report } from '../report';
import { agencyChecks } from './agency';
import {
	ACTION_NODE,
	CREDENTIAL_NAME,
	CREDENTIAL_TYPE,
	loadSample,
	loadTemplate,
	pollingWorkflow,
	TRIGGER_NODE,
	withCredential,
	withFields,
	type WorkflowJson,
} from '../workflows';

export interface RegularContext {
	install: N8nInstall;
	userFolder: string;
	logDir: string;
	report: Report;
	/** Extra checks on the same running n8n (the webhook trigger's, when the package has it). */
	extra?: (context: RunningN8n) => Promise<void>;
	/**
	 * n8n 2.41's opt-in durable scheduler (poll triggers as leased jobs, through the workflow
	 * publication service) instead of the default one: only the polling trigger is checked.
	 */
	durableScheduler?: boolean;
	/** Only the extra checks on the started n8n (`./dev e2e -- --only receptionist`). */
	extraOnly?: boolean;
}

/** What turns on n8n 2.41's durable scheduler for poll triggers (see @n8n/config's scheduler config). */
export const DURABLE_SCHEDULER_ENV = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
};

export interface RunningN8n {
	suite: string;
	api: N8nApi;
	sandbox: Sandbox;
	sandboxUrl: string;
	credentialId: string;
	n8nUrl: string;
	report: Report;
	/** Search requests the sandbox answered with 200 so far (a poll starts with one). */
	searches: () => number;
	/** When the sandbox last answered a request. */
	lastRequestAt: () => number;
	/** Stops n8n and starts it again on the same port and user folder (database kept), ready (regular mode). */
	restart?: () => Promise<void>;
	/** Every request that was not a GET, as the sandbox saw it (method, path, JSON body, status), oldest first. */
	writes: SandboxWrite[];
}

export type SandboxWrite = Pick<SandboxExchange, 'method' | 'path' | 'body' | 'status'>;

function ok(execution: ExecutionDetail): void {
	expect(
		execution.status === 'success',
		`execution ${execution.id} ended "${execution.status}"${execution.error ? `: ${execution.error}` : ''}${execution.lastNodeExecuted ? ` (last node: ${execution.lastNodeExecuted})` : ''}`,
	);
}

export async function regularSuite(context: RegularContext): Promise<void> {
	const { install, report } = context;
	const suite = `n8n ${install.version} (regular mode, SQLite${context.durableScheduler ? ', durable scheduler' : ''})`;
	const [n8nPort, brokerPort, sandboxPort] = [...(await freePorts(5690, 2)), ...(await freePorts(4090, 1))];
	let searches = 0;
	let lastRequestAt = 0;
	const writes: SandboxWrite[] = [];
	const sandboxLog = logFile(context.logDir, `sandbox-regular${context.durableScheduler ? '-durable' : ''}`);
	const sandbox = await createSandbox({
		conversations: 300,
		onExchange: (exchange) => {
			sandboxLog(`${exchange.method} ${exchange.path} ${exchange.status}`);
			lastRequestAt = Date.now();
			if (exchange.method === 'GET' && exchange.path === '/conversations/search' && exchange.status < 300) searches += 1;
			if (exchange.method !== 'GET')
				writes.push({ method: exchange.method, path: exchange.path, body: exchange.body, status: exchange.status });
		},
	});
	const sandboxUrl = await sandbox.listen(sandboxPort, '127.0.0.1');
	let n8n: Managed | undefined;
	let starts = 0;
	const start = () =>
		startN8nProcess(
			`main-${install.version}${context.durableScheduler ? '-durable' : ''}${starts++ ? `-restart-${starts - 1}` : ''}`,
			'start',
			{
				install,
				userFolder: context.userFolder,
				port: n8nPort,
				brokerPort,
				logDir: context.logDir,
				env: context.durableScheduler ? DURABLE_SCHEDULER_ENV : undefined,
			},
		);
	const restart = async () => {
		await n8n?.stop();
		n8n = start();
		await waitUntilReady(n8n, 'start');
	};
	try {
		n8n = start();
		const startedAt = Date.now();
		const n8nUrl = `http://127.0.0.1:${n8nPort}`;
		const api = new N8nApi(n8nUrl, install);
		const started = await report.check(suite, 'n8n starts with the package in ~/.n8n/nodes', async () => {
			await waitUntilReady(n8n as Managed, 'start');
			return `ready in ${((Date.now() - startedAt) / 1000).toFixed(0)} s on port ${n8nPort}`;
		});
		if (!started) return;

		let credentialId = '';
		const setUp = await report.check(suite, 'owner, credential (Private Integration Token → sandbox), node types loaded', async () => {
			await api.setupOwner();
			const types = await api.nodeTypes();
			expect(
				types.includes(ACTION_NODE) && types.includes(TRIGGER_NODE),
				`node types ${ACTION_NODE} / ${TRIGGER_NODE} not loaded (n8n has ${types.length} types)`,
			);
			credentialId = await api.createCredential(CREDENTIAL_NAME, CREDENTIAL_TYPE, {
				privateIntegrationToken: sandbox.token,
				locationId: sandbox.locationId,
				baseUrl: sandboxUrl,
			});
			return `owner set up; ${ACTION_NODE} and ${TRIGGER_NODE} among ${types.length} node types; credential ${credentialId}`;
		});
		if (!setUp) return;

		const running: RunningN8n = {
			suite,
			api,
			sandbox,
			sandboxUrl,
			credentialId,
			n8nUrl,
			report,
			searches: () => searches,
			lastRequestAt: () => lastRequestAt,
			restart,
			writes,
		};
		if (!context.durableScheduler && !context.extraOnly) await templateChecks(running);
		if (!context.durableScheduler && !context.extraOnly) await agencyChecks(running, runTemplate);
		if (!context.extraOnly) await pollingTriggerCheck(running);
		if (context.extra) await context.extra(running);
	} finally {
		await n8n?.stop();
		await sandbox.close();
		log(`${suite}: stopped n8n and the sandbox`);
	}
}

async function importWorkflow(n8n: RunningN8n, workflow: WorkflowJson): Promise<Workflow> {
	return await n8n.api.createWorkflow(withCredential(workflow, n8n.credentialId));
}

async function runTemplate(n8n: RunningN8n, workflow: WorkflowJson, trigger: string): Promise<ExecutionDetail> {
	const imported = await importWorkflow(n8n, workflow);
	const executionId = await n8n.api.runManually(imported, trigger);
	const execution = await n8n.api.waitForExecution(executionId);
	ok(execution);
	return execution;
}

function allMessageIds(sandbox: Sandbox): Set<string> {
	return new Set([...sandbox.state.messages.keys()]);
}

async function templateChecks(n8n: RunningN8n): Promise<void> {
	const { sandbox, report, suite } = n8n;

	await report.check(suite, 'template search-conversations (manual run)', async () => {
		const execution = await runTemplate(n8n, loadTemplate('search-conversations'), 'When clicking ‘Execute workflow’');
		const rows = outputItems(execution, 'Tidy list');
		const matching = sandbox.state.listConversations().filter((conversation) => {
			const contact = sandbox.state.contact(conversation.contactId);
			return [contact?.name, contact?.email, contact?.phone, contact?.companyName, conversation.lastMessageBody].some((value) =>
				value?.toLowerCase().includes('refund'),
			);
		});
		const newest = [...matching]
			.sort((a, b) => b.lastMessageDate - a.lastMessageDate)
			.slice(0, 25)
			.map((conversation) => conversation.id);
		expect(rows.length === 25, `${rows.length} rows, expected 25 (the criteria's limit)`);
		expect(
			JSON.stringify(rows.map((row) => row.conversationId)) === JSON.stringify(newest),
			'the rows are not the 25 newest conversations matching "refund"',
		);
		return `execution ${execution.id}: 25 rows = the 25 newest of ${matching.length} conversations matching "refund"`;
	});

	await report.check(suite, 'template welcome-new-conversation (manual run of the Schedule Trigger)', async () => {
		const simulated = await sandbox.simulate({ newConversations: 8 });
		const before = allMessageIds(sandbox);
		const execution = await runTemplate(n8n, loadTemplate('welcome-new-conversation'), 'Every 5 minutes');
		const found = outputItems(execution, 'New conversations awaiting a reply')
			.map((item) => String(item.id))
			.sort();
		expect(
			JSON.stringify(found) === JSON.stringify([...simulated.conversations].sort()),
			`found ${found.length} new conversations, simulated ${simulated.conversations.length}`,
		);
		let welcomed = 0;
		let skipped = 0;
		for (const id of simulated.conversations) {
			const added = sandbox.state.messagesOf(id).filter((message) => !before.has(message.id));
			const reviewOnly = sandbox.state.conversation(id)?.lastMessageType === 'TYPE_REVIEW';
			if (added.length === 0 && reviewOnly) {
				skipped += 1;
				continue;
			}
			expect(
				added.length === 1 && added[0].direction === 'outbound',
				`conversation ${id}: ${added.length} new messages, expected one welcome`,
			);
			expect(
				added[0].body.includes('thanks for reaching out to Acme Studio'),
				`conversation ${id}: welcome text "${added[0].body.slice(0, 60)}"`,
			);
			welcomed += 1;
		}
		expect(welcomed > 0, 'nobody was welcomed');
		const others = [...sandbox.state.messages.values()].filter(
			(message) => !before.has(message.id) && !simulated.conversations.includes(message.conversationId),
		);
		expect(others.length === 0, `${others.length} messages went to other conversations`);
		return `execution ${execution.id}: ${simulated.conversations.length} new conversations, ${welcomed} welcomed once each, ${skipped} without a reply channel skipped, nothing else sent`;
	});

	await report.check(suite, 'template keyword-routing (manual run)', async () => {
		const before = allMessageIds(sandbox);
		const workflow = withFields(loadTemplate('keyword-routing'), 'Routing config', {
			billingUserIds: 'user-billing',
			salesUserIds: 'user-sales',
			supportUserIds: 'user-support',
			locationId: sandbox.locationId,
			apiBaseUrl: n8n.sandboxUrl,
			maxConversations: 10,
		});
		const execution = await runTemplate(n8n, workflow, 'Every 5 minutes');
		const answerable = outputItems(execution, 'Has a reply channel').map((item) => String(item.conversationId));
		expect(answerable.length > 0, 'no unread inbound conversation with a reply channel was found');
		for (const id of answerable) {
			const conversation = sandbox.state.conversation(id);
			const added = sandbox.state.messagesOf(id).filter((message) => !before.has(message.id));
			expect(added.length === 1 && added[0].direction === 'outbound', `conversation ${id}: ${added.length} acknowledgements, expected 1`);
			expect(conversation?.starred === true && conversation.unreadCount > 0, `conversation ${id} is not starred and unread`);
		}
		const notes = outputItems(execution, 'Notify team');
		expect(notes.length === answerable.length, `${notes.length} team notes for ${answerable.length} conversations`);
		return `execution ${execution.id}: ${answerable.length} conversations acknowledged once each, starred, kept unread; ${notes.length} team notes sent`;
	});

	await report.check(suite, 'template ablefy-sale-welcome (active, production webhook)', async () => {
		const workflow = withFields(loadTemplate('ablefy-sale-welcome'), 'Config', {
			apiBaseUrl: n8n.sandboxUrl,
			locationId: sandbox.locationId,
		});
		const imported = await importWorkflow(n8n, workflow);
		await n8n.api.activate(imported);
		const payment = loadSample('ablefy-payment');
		const payer = payment.payer as { email: string };
		const product = (payment.product as { name: string }).name;
		// Activation registers the production webhook a moment after it answers: until then n8n says 404 (and starts nothing).
		const status = await waitFor(
			'the production webhook to be registered',
			async () => {
				const response = await fetch(`${n8n.n8nUrl}/webhook/ablefy-sale`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(payment),
				});
				await response.arrayBuffer();
				return response.status === 404 ? undefined : response.status;
			},
			30_000,
			500,
		);
		expect(status === 200, `POST /webhook/ablefy-sale answered ${status}`);
		const executions = await waitFor(
			'the webhook execution',
			async () => {
				const list = await n8n.api.executions(imported.id);
				return list.length && list.every(isDone) ? list : undefined;
			},
			60_000,
		);
		expect(executions.length === 1, `${executions.length} executions for one webhook call`);
		const execution = await n8n.api.waitForExecution(executions[0].id);
		ok(execution);
		const contact = sandbox.state.contactByEmail(payer.email);
		expect(contact !== undefined, `no contact ${payer.email} in the sandbox`);
		const conversation = sandbox.state.conversationOfContact(String(contact?.id));
		const emails = sandbox.state
			.messagesOf(String(conversation?.id))
			.filter(
				(message) =>
					message.direction === 'outbound' && message.emailId && sandbox.state.email(message.emailId)?.subject?.includes(product),
			);
		expect(emails.length === 1, `${emails.length} welcome emails naming "${product}" in the buyer's conversation`);
		await n8n.api.deactivate(imported);
		return `1 execution (${execution.mode}); contact ${contact?.id} upserted; 1 welcome email "${sandbox.state.email(String(emails[0].emailId))?.subject}"`;
	});
}

/**
 * Items the trigger emitted in each execution of the workflow, oldest execution first: a finished
 * one as its settled save shows them (waitForExecution), one still running with its status only.
 */
async function triggerRuns(n8n: RunningN8n, workflowId: string): Promise<Array<{ id: string; status: string; ids: string[] }>> {
	const list = (await n8n.api.executions(workflowId)).sort((a, b) => Number(a.id) - Number(b.id));
	const runs = [];
	for (const summary of list) {
		if (!isDone(summary)) {
			runs.push({ id: summary.id, status: summary.status, ids: [] });
			continue;
		}
		const execution = await n8n.api.waitForExecution(summary.id);
		runs.push({ id: summary.id, status: execution.status, ids: outputItems(execution, 'New message').map((item) => String(item.id)) });
	}
	return runs;
}

export async function pollingTriggerCheck(n8n: RunningN8n): Promise<void> {
	const { sandbox, report, suite } = n8n;
	await report.check(suite, 'polling trigger (active): one execution per poll with news, each event exactly once', async () => {
		const workflow = await importWorkflow(n8n, pollingWorkflow());
		const searchesBefore = n8n.searches();
		await n8n.api.activate(workflow);
		const activatedAt = Date.now();
		// The activation poll notes the newest message and emits nothing: what happens before it ends
		// is history. It has ended when it got its search answered and the sandbox has been quiet.
		await waitFor('the activation poll', () => (n8n.searches() > searchesBefore ? true : undefined), 90_000, 200);
		await waitFor('the activation poll to end', () => (Date.now() - n8n.lastRequestAt() > 3000 ? true : undefined), 90_000, 200);
		const afterActivation = await triggerRuns(n8n, workflow.id);
		expect(afterActivation.length === 0, `${afterActivation.length} executions right after activation (history replayed?)`);

		const batches = [await sandbox.simulate({ inboundMessages: 4, newConversations: 1 }), undefined as undefined | { messages: string[] }];
		const first = await waitFor(
			'the first poll with news',
			async () => {
				const runs = await triggerRuns(n8n, workflow.id);
				return runs.length >= 1 && runs.every((run) => isDone(run)) ? runs : undefined;
			},
			100_000,
			2000,
		);
		batches[1] = await sandbox.simulate({ inboundMessages: 3 });
		const second = await waitFor(
			'the second poll with news',
			async () => {
				const runs = await triggerRuns(n8n, workflow.id);
				return runs.length >= first.length + 1 && runs.every((run) => isDone(run)) ? runs : undefined;
			},
			100_000,
			2000,
		);
		await sleep(3000);
		const runs = await triggerRuns(n8n, workflow.id);
		await n8n.api.deactivate(workflow);

		const expected = batches.map((batch) => [...(batch?.messages ?? [])].sort());
		const emitted = runs.map((run) => [...run.ids].sort());
		const all = runs.flatMap((run) => run.ids);
		const duplicates = all.length - new Set(all).size;
		expect(
			runs.length === 2,
			`${runs.length} executions for 2 polls with news (${second.length} when the second appeared): ${JSON.stringify(emitted)}`,
		);
		expect(
			runs.every((run) => run.status === 'success'),
			`statuses ${runs.map((run) => run.status).join(', ')}`,
		);
		expect(
			JSON.stringify(emitted) === JSON.stringify(expected),
			`emitted ${JSON.stringify(emitted)}, expected ${JSON.stringify(expected)}`,
		);
		expect(duplicates === 0, `${duplicates} events emitted twice`);
		return `${runs.length} executions (${runs.map((run) => `#${run.id}: ${run.ids.length} items`).join(', ')}) for ${expected[0].length} + ${expected[1].length} simulated messages; 0 missed, 0 duplicates; ${((Date.now() - activatedAt) / 1000).toFixed(0)} s`;
	});
}
