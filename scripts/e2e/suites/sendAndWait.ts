/**
 * Message → Send and Wait for Response in real n8n, active workflow: Webhook → Send and Wait
 * (SMS, approve or decline, a short wait limit) → "Answered?" → "Approved?" → Approved / Declined,
 * or → Timed out. The sandbox receives the message with n8n's signed links; the harness follows
 * them as a phone would: a link preview bot's GET (then any GET) shows the page and resumes
 * nothing; a tampered link is refused; the page's POST resumes the execution on the approved (or
 * declined) path; an execution nobody answers resumes on the time limit's path. The three
 * executions wait at the same time, so the suite costs about one n8n wait-tracker cycle (≤ 60 s).
 */
import { outputItems, webhookRegistered, type ExecutionDetail } from '../n8n';
import { sleep, waitFor } from '../proc';
import { expect } from '../report';
import { ACTION_NODE, node, withCredential, type WorkflowJson } from '../workflows';
import type { RunningN8n } from './regular';

const PATH = 'e2e-send-and-wait';
/**
 * The wait limit, per execution: short for the one nobody answers (n8n looks for due executions
 * every 60 s), long for the answered ones (an answer racing n8n's own resume at the limit is not
 * what these checks are about).
 */
const LIMIT_SECONDS = 5;
const ANSWERED_LIMIT_SECONDS = 600;
const SLACK_PREVIEW = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';
const IMESSAGE_PREVIEW =
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0';

const PATHS = { approved: 'Approved', declined: 'Declined', timedOut: 'Timed out' } as const;

/** An IF (version 1: the same in 1.x and 2.x) on a boolean expression. */
const ifNode = (name: string, expression: string) =>
	node(name, 'n8n-nodes-base.if', 1, { conditions: { boolean: [{ value1: `={{ ${expression} }}`, value2: true }] } });

function workflow(): WorkflowJson {
	const main = (target: string) => ({ node: target, type: 'main', index: 0 });
	return {
		name: 'e2e: send and wait for response',
		nodes: [
			node(
				'Ask',
				'n8n-nodes-base.webhook',
				2,
				{ httpMethod: 'POST', path: PATH, responseMode: 'onReceived', options: {} },
				{ webhookId: `e2e-${PATH}` },
			),
			node('Send and wait', ACTION_NODE, 1.1, {
				resource: 'message',
				operation: 'sendAndWait',
				channel: 'SMS',
				contactId: { __rl: true, mode: 'id', value: '={{ $json.body.contactId }}' },
				message: '={{ $json.body.text }}',
				responseType: 'approval',
				approvalOptions: { values: { approvalType: 'double', approveLabel: 'Yes', disapproveLabel: 'No' } },
				waitOptions: {
					limitWaitTime: {
						values: { limitType: 'afterTimeInterval', resumeAmount: '={{ $json.body.limitSeconds }}', resumeUnit: 'seconds' },
					},
				},
			}),
			ifNode('Answered?', '$json.data !== undefined'),
			ifNode('Approved?', '$json.data.approved === true'),
			node(PATHS.approved, 'n8n-nodes-base.noOp', 1, {}),
			node(PATHS.declined, 'n8n-nodes-base.noOp', 1, {}),
			node(PATHS.timedOut, 'n8n-nodes-base.noOp', 1, {}),
		],
		connections: {
			Ask: { main: [[main('Send and wait')]] },
			'Send and wait': { main: [[main('Answered?')]] },
			'Answered?': { main: [[main('Approved?')], [main(PATHS.timedOut)]] },
			'Approved?': { main: [[main(PATHS.approved)], [main(PATHS.declined)]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

interface Asked {
	executionId: string;
	text: string;
	links: { yes: string; no: string };
	sentBody: Record<string, unknown>;
}

/** The node's output item of its last run (n8n 1.x drops the waiting run on resume, 2.x keeps it). */
function lastOutput(execution: ExecutionDetail, name: string): Record<string, unknown> | undefined {
	const runs = execution.runData[name] ?? [];
	return runs.at(-1)?.data?.main?.[0]?.[0]?.json as Record<string, unknown> | undefined;
}

/** The path an execution ended on. */
function pathOf(execution: ExecutionDetail): string {
	return (
		Object.values(PATHS)
			.filter((name) => outputItems(execution, name).length > 0)
			.join(', ') || '(none)'
	);
}

export async function sendAndWaitChecks(n8n: RunningN8n): Promise<void> {
	const { api, report, suite, sandbox } = n8n;
	const created = await api.createWorkflow(withCredential(workflow(), n8n.credentialId));
	await api.activate(created);
	const url = `${n8n.n8nUrl}/webhook/${PATH}`;
	const contacts = sandbox.state
		.listConversations()
		.slice(0, 3)
		.map((conversation) => conversation.contactId);
	/** A link of the message, pointed at this n8n (n8n names itself by its configured host). */
	const local = (link: string) => link.replace(/^https?:\/\/[^/]+/, n8n.n8nUrl);
	let known = new Set<string>();

	/** Starts one execution: the sandbox's copy of the message, its links, the waiting execution. */
	async function ask(contactId: string, text: string, limitSeconds = ANSWERED_LIMIT_SECONDS): Promise<Asked> {
		const writesBefore = n8n.writes.length;
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ contactId, text, limitSeconds }),
		});
		await response.arrayBuffer();
		const write = await waitFor(
			`the sandbox to receive "${text}"`,
			() =>
				n8n.writes
					.slice(writesBefore)
					.find(
						(candidate) =>
							candidate.method === 'POST' &&
							candidate.path === '/conversations/messages' &&
							String((candidate.body as Record<string, unknown>)?.message ?? '').startsWith(text),
					),
			60_000,
		);
		const body = write.body as Record<string, unknown>;
		const message = String(body.message);
		const yes = /\nYes: (\S+)/.exec(message)?.[1] ?? '';
		const no = /\nNo: (\S+)/.exec(message)?.[1] ?? '';
		const execution = await waitFor(
			`a waiting execution for "${text}"`,
			async () => (await api.executions(created.id)).find((candidate) => !known.has(candidate.id) && candidate.status === 'waiting'),
			60_000,
		);
		known = new Set([...known, execution.id]);
		// n8n 1.x on SQLite saves the status "waiting" before the data (see waitForExecution): a
		// person answers seconds later, so the check waits for the saved run (answering earlier
		// races n8n itself).
		await waitFor(
			`execution ${execution.id}'s waiting state to be saved`,
			async () => ((await api.execution(execution.id)).runData['Send and wait']?.length ? true : undefined),
			60_000,
		);
		return { executionId: execution.id, text: message, links: { yes, no }, sentBody: body };
	}

	const status = async (id: string) => (await api.execution(id)).status;

	try {
		await webhookRegistered(url);
		// The probe of webhookRegistered started an execution with no contact: it fails at once.
		await sleep(1500);
		known = new Set((await api.executions(created.id)).map((execution) => execution.id));

		let timedOut: Asked | undefined;
		await report.check(
			suite,
			'send and wait: the sandbox receives the SMS with signed approve/decline links; the execution waits',
			async () => {
				timedOut = await ask(contacts[2], 'Nobody answers this one?', LIMIT_SECONDS);
				const asked = timedOut;
				const figures = `POST /conversations/messages ${JSON.stringify({ ...asked.sentBody, message: `${asked.text.slice(0, 60)}…` })}; links ${asked.links.yes.replace(/signature=\w+/, 'signature=…')}`;
				expect(asked.sentBody.type === 'SMS' && asked.sentBody.contactId === contacts[2], figures);
				for (const [link, approved] of [
					[asked.links.yes, 'true'],
					[asked.links.no, 'false'],
				] as const) {
					const parsed = new URL(link);
					expect(parsed.pathname.startsWith(`/webhook-waiting/${asked.executionId}/`), `link ${link} is not the execution's waiting URL`);
					expect(
						parsed.searchParams.get('approved') === approved && /^[0-9a-f]{64}$/.test(parsed.searchParams.get('signature') ?? ''),
						`link ${link} is not signed`,
					);
				}
				return `${figures}; execution ${asked.executionId} waiting`;
			},
		);

		await report.check(
			suite,
			"send and wait: preview bots' GETs (Slack, iMessage, none) show the page and approve nothing; a tampered link is refused",
			async () => {
				const asked = await ask(contacts[0], 'Approve the quote?');
				const figures: string[] = [];
				for (const agent of [SLACK_PREVIEW, IMESSAGE_PREVIEW, undefined]) {
					const page = await fetch(local(asked.links.yes), { headers: agent ? { 'user-agent': agent } : {} });
					const html = await page.text();
					figures.push(`GET ${agent ? agent.slice(0, 22) : '(no user agent)'} → ${page.status}`);
					expect(
						page.status === 200 && html.includes('<form method="post"') && html.includes('>Yes</button>'),
						`${figures.join('; ')}: ${html.slice(0, 200)}`,
					);
				}
				const tampered = local(asked.links.no).replace('approved=false', 'approved=true');
				const refused = await fetch(tampered, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: '',
				});
				await refused.arrayBuffer();
				figures.push(`POST with approved=false→true under the decline signature → ${refused.status}`);
				expect(refused.status === 401, figures.join('; '));
				await sleep(2000);
				const after = await status(asked.executionId);
				figures.push(`execution ${asked.executionId} ${after}`);
				expect(after === 'waiting', figures.join('; '));

				// The page's form: a POST to the same URL.
				const answer = await fetch(local(asked.links.yes), {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: '',
				});
				const answerPage = await answer.text();
				figures.push(`POST → ${answer.status}${answerPage.includes('Got it') ? ' (recorded page)' : ''}`);
				const done = await api.waitForExecution(asked.executionId, 60_000);
				const data = lastOutput(done, 'Send and wait')?.data as Record<string, unknown> | undefined;
				figures.push(`execution ${done.status} on "${pathOf(done)}" with data.approved=${String(data?.approved)}`);
				expect(done.status === 'success' && pathOf(done) === PATHS.approved && data?.approved === true, figures.join('; '));
				return figures.join('; ');
			},
		);

		await report.check(suite, "send and wait: the decline link's page, posted, resumes on the declined path", async () => {
			const asked = await ask(contacts[1], 'Shall we cancel your order?');
			const page = await fetch(local(asked.links.no));
			const html = await page.text();
			expect(page.status === 200 && html.includes('>No</button>'), `GET → ${page.status}: ${html.slice(0, 200)}`);
			const answer = await fetch(local(asked.links.no), {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: '',
			});
			await answer.arrayBuffer();
			const done = await api.waitForExecution(asked.executionId, 60_000);
			const data = lastOutput(done, 'Send and wait')?.data as Record<string, unknown> | undefined;
			const figures = `POST → ${answer.status}; execution ${asked.executionId} ${done.status} on "${pathOf(done)}" with data.approved=${String(data?.approved)} (nodes run: ${Object.keys(done.runData).join(', ')}; Send and wait runs: ${JSON.stringify(done.runData['Send and wait']?.map((run) => run.data?.main)).slice(0, 400)}${done.error ? `; error: ${done.error}` : ''})`;
			expect(done.status === 'success' && pathOf(done) === PATHS.declined && data?.approved === false, figures);
			return figures;
		});

		await report.check(
			suite,
			`send and wait: unanswered, the execution resumes on the timed-out path after its ${LIMIT_SECONDS} s limit`,
			async () => {
				if (!timedOut) throw new Error('the first check sent no message');
				const asked = timedOut;
				const started = Date.now();
				const done = await api.waitForExecution(asked.executionId, 120_000);
				const output = lastOutput(done, 'Send and wait');
				const figures = `execution ${done.status} on "${pathOf(done)}" (resumed ≤ ${((Date.now() - started) / 1000).toFixed(0)} s after this check began); output has data: ${String(output?.data !== undefined)}`;
				expect(done.status === 'success' && pathOf(done) === PATHS.timedOut && output?.data === undefined, figures);
				// A late answer changes nothing.
				const late = await fetch(local(asked.links.yes), {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: '',
				});
				await late.arrayBuffer();
				await sleep(1000);
				const after = await api.waitForExecution(asked.executionId, 60_000);
				expect(pathOf(after) === PATHS.timedOut, `${figures}; a late POST (${late.status}) changed the path to ${pathOf(after)}`);
				return `${figures}; a late POST → ${late.status}, nothing resumed`;
			},
		);
	} finally {
		await api.deactivate(created).catch(() => undefined);
	}
}
