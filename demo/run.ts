/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- demo: a dev tool, never shipped (prints its report, sets the exit code) */
/**
 * Demo (`./dev demo`): the templates of templates/ run through the real n8n engine against
 * the local sandbox of the Conversations API, with a readable account of what they did.
 *
 * Only configuration values of the templates change (the Set nodes a user fills in, and the
 * webhook's request): the nodes, expressions and connections run as they are shipped.
 */
import { createSandbox, type Sandbox } from '../sandbox';
import type { CredentialData } from '../test/support/engine';
import { loadSample, loadTemplate, runWorkflow, withFields, type WorkflowJson, type WorkflowRunResult } from '../test/support/workflow';
import type { IDataObject } from 'n8n-workflow';
import { instantReply, providerBridge } from './webhooks';
import { agencyDigest } from './agency';

export type Print = (line: string) => void;

interface DemoContext {
	sandbox: Sandbox;
	baseUrl: string;
	credentials: CredentialData;
	print: Print;
}

const CHANNEL_LABELS: Record<string, string> = {
	SMS: 'SMS',
	Email: 'email',
	WhatsApp: 'WhatsApp',
	FB: 'Facebook',
	IG: 'Instagram',
	Live_Chat: 'Live Chat',
	TYPE_SMS: 'SMS',
	TYPE_EMAIL: 'email',
	TYPE_WHATSAPP: 'WhatsApp',
	TYPE_FACEBOOK: 'Facebook',
	TYPE_INSTAGRAM: 'Instagram',
	TYPE_LIVE_CHAT: 'Live Chat',
	TYPE_GMB: 'Google review',
	TYPE_REVIEW: 'review',
	TYPE_CALL: 'call',
};

const channelLabel = (value: unknown) => CHANNEL_LABELS[String(value)] ?? String(value ?? '?');

/** One line of a message text, cut to `max` characters. */
function short(text: unknown, max = 60): string {
	const line = String(text ?? '')
		.replace(/\s+/g, ' ')
		.trim();
	return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Fails the template when the execution failed, naming the node. */
function check(result: WorkflowRunResult): void {
	if (!result.error) return;
	const node = (result.error as { node?: { name?: string } }).node?.name;
	throw new Error(`${node ? `node "${node}": ` : ''}${result.error.message}`);
}

/** The outputs of a Switch node, with their labels (rules' output names, then the fallback). */
function switchOutputs(workflow: WorkflowJson, result: WorkflowRunResult, nodeName: string) {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	const parameters = (node?.parameters ?? {}) as {
		rules?: { values?: Array<{ outputKey?: string }> };
		options?: { fallbackOutput?: string; renameFallbackOutput?: string };
	};
	const labels = (parameters.rules?.values ?? []).map((rule, index) => rule.outputKey || String(index));
	if (parameters.options?.fallbackOutput === 'extra') labels.push(parameters.options.renameFallbackOutput || 'Fallback');
	return labels.map((label, index) => ({ label, items: result.json(nodeName, index) }));
}

// ---------------------------------------------------------------------------------------------

async function searchConversations({ credentials, print }: DemoContext): Promise<void> {
	const criteria = { keyword: 'refund', status: 'all', channel: '', assignee: '', limit: 25 };
	const workflow = withFields(loadTemplate('search-conversations'), 'Search criteria', criteria);
	const result = await runWorkflow(workflow, { credentials });
	check(result);
	const rows = result.json('Tidy list');
	print(`1. Search conversations (Manual Trigger): keyword "${criteria.keyword}", status ${criteria.status}`);
	print(`   ${rows.length} conversation(s) found, newest first:`);
	for (const row of rows.slice(0, 5)) {
		print(`   - ${row.contact} · ${row.channel} · ${String(row.date).slice(0, 16).replace('T', ' ')} · "${short(row.lastMessage, 50)}"`);
	}
	if (rows.length > 5) print(`   … and ${rows.length - 5} more (each row also has a link, e.g. ${rows[0].link})`);
}

async function welcomeNewConversations({ sandbox, credentials, print }: DemoContext): Promise<void> {
	const simulated = await sandbox.simulate({ newConversations: 8 });
	const workflow = loadTemplate('welcome-new-conversation');
	const result = await runWorkflow(workflow, { credentials });
	check(result);
	const found = result.json('New conversations awaiting a reply');
	print(
		`2. Welcome new conversations (Schedule Trigger): ${simulated.conversations.length} new conversations simulated, ` +
			`${found.length} created in the last 5 minutes with an inbound last message`,
	);
	for (const { label, items } of switchOutputs(workflow, result, 'Route by channel')) {
		for (const item of items) {
			const conversation = sandbox.state.conversation(String(item.conversationId));
			const sent = conversation?.lastMessageDirection === 'outbound' ? conversation.lastMessageBody : undefined;
			print(
				sent
					? `   - ${item.contactName} (wrote on ${channelLabel(conversation?.lastMessageType)}): welcome sent by ${channelLabel(item.channel)}: "${short(sent, 55)}"`
					: `   - ${item.contactName}: ${label === 'No reply channel' ? 'skipped, no reply channel (review)' : 'not sent'}`,
			);
		}
	}
}

async function keywordRouting({ sandbox, baseUrl, credentials, print }: DemoContext): Promise<void> {
	const config = {
		billingUserIds: 'user-billing',
		salesUserIds: 'user-sales, user-sales-2',
		supportUserIds: 'user-support, user-support-2, user-support-3',
		frontDeskUserIds: 'user-sales-2',
		awayUserIds: 'user-support-2',
		rotationStart: 0,
		maxConversations: 8,
		locationId: sandbox.locationId,
		apiBaseUrl: baseUrl,
	};
	const workflow = withFields(loadTemplate('keyword-routing'), 'Routing config', config);
	const result = await runWorkflow(workflow, { credentials });
	check(result);
	const found = result.json('Unread inbound conversations');
	const answerable = result.json('Has a reply channel');
	print(
		`3. Keyword routing (Schedule Trigger): ${found.length} unread conversations with an inbound last message` +
			(found.length > answerable.length ? `, ${found.length - answerable.length} without a reply channel left out` : '') +
			"; each assigned in turn to its team's people (Tom Tech of support marked away)",
	);
	const before = Object.fromEntries(found.map((item) => [String(item.id), item.assignedTo ? String(item.assignedTo) : '']));
	const nameOf = (id: string | undefined) => (id ? (sandbox.state.user(id)?.name ?? id) : 'nobody');
	const teamEmails = Object.fromEntries(
		result.json('Reply channel', 'all').map((item) => [String(item.conversationId), String(item.teamEmail)]),
	);
	for (const { label, items } of switchOutputs(workflow, result, 'Route by keywords and metadata')) {
		for (const item of items) {
			const conversation = sandbox.state.conversation(String(item.conversationId));
			const teamContact = sandbox.state.contactByEmail(teamEmails[String(item.conversationId)] ?? '');
			const notified =
				teamContact &&
				sandbox.state
					.messagesOf(sandbox.state.conversationOfContact(teamContact.id)?.id ?? '')
					.some((message) => message.direction === 'outbound' && message.body.includes(String(item.lastMessage).slice(0, 40)));
			const done = [
				conversation?.lastMessageDirection === 'outbound' ? `acknowledged by ${channelLabel(item.channel)}` : 'NOT acknowledged',
				conversation?.starred && conversation.unreadCount > 0 ? 'starred + unread' : 'NOT starred/unread',
				notified ? `${teamContact?.email} notified` : 'team NOT notified',
			];
			print(`   - ${item.contactName} (${channelLabel(item.lastMessageType)}) "${short(item.lastMessage, 42)}"`);
			const now = conversation?.assignedTo;
			const was = before[String(item.conversationId)];
			const assigned = now === was ? `stays with ${nameOf(now)}` : `assigned to ${nameOf(now)}${was ? ` (was ${nameOf(was)})` : ''}`;
			print(`     → ${label}: ${assigned}, ${done.join(', ')}`);
		}
	}
}

async function ablefySale({ sandbox, baseUrl, credentials, print }: DemoContext): Promise<void> {
	const payment = loadSample('ablefy-payment');
	const payer = payment.payer as IDataObject;
	const workflow = withFields(loadTemplate('ablefy-sale-welcome'), 'Config', {
		apiBaseUrl: baseUrl,
		locationId: sandbox.locationId,
	});
	const webhookRequest = {
		headers: { 'content-type': 'application/json', 'user-agent': 'ablefy-webhooks' },
		params: {},
		query: {},
		body: payment,
		webhookUrl: 'http://localhost:5678/webhook/ablefy-sale',
		executionMode: 'production',
	};
	const result = await runWorkflow(workflow, { credentials, triggerItems: [webhookRequest] });
	check(result);
	const buyer = result.json('Map buyer')[0];
	const upsert = result.json('Upsert contact')[0];
	const contact = upsert.contact as IDataObject;
	const found = result.json("Find buyer's conversation").filter((item) => item.id);
	const created = result.json('Create conversation')[0] as IDataObject | undefined;
	const sent = result.json('Send welcome email')[0];
	const email = sandbox.state.message(String(sent?.messageId));
	const subject = email?.emailId ? sandbox.state.email(email.emailId)?.subject : undefined;
	print(`4. ablefy sale welcome (Webhook POST /webhook/ablefy-sale, templates/samples/ablefy-payment.json)`);
	print(`   ${buyer.name} <${payer.email}> bought "${buyer.product}" (order ${buyer.orderId}, ${buyer.amount})`);
	print(`   contact ${upsert.new ? 'created' : 'updated'} by upsert: ${contact.id}`);
	print(found.length ? `   conversation found: ${found[0].id}` : `   no conversation yet → created ${created?.id}`);
	print(
		email
			? `   welcome email sent to ${payer.email} in conversation ${sent.conversationId}: "${subject}"`
			: '   welcome email NOT found in the sandbox',
	);
}

/**
 * n8n's AI Agent and chat models (@n8n/n8n-nodes-langchain, with LangChain) are not part of the
 * demo's engine: the demo says where the receptionist runs instead.
 */
function aiReceptionist(print: Print): void {
	print("8. AI receptionist (templates/ai-receptionist.json): n8n's AI nodes are not in this demo's engine; see it in real n8n:");
	print('   ./dev e2e -- --only receptionist   (its guardrails through the engine: ./dev test -- test/e2e/aiReceptionist.test.ts)');
}

const TEMPLATES: Array<[string, (context: DemoContext) => Promise<void>]> = [
	['search-conversations', searchConversations],
	['welcome-new-conversation', welcomeNewConversations],
	['keyword-routing', keywordRouting],
	['ablefy-sale-welcome', ablefySale],
	['instant-reply', async (context) => void (await instantReply(context))],
	['custom-provider-bridge', async (context) => void (await providerBridge(context))],
	// Its own sandbox: an agency with five sub-accounts (sandbox/agency.ts).
	['agency-digest', async ({ print }) => await agencyDigest(print, 7)],
];

/** Runs the demo; resolves with the process exit code (0 when every template ran). */
export async function main(print: Print = (line) => console.log(line)): Promise<number> {
	const sandbox = await createSandbox();
	const failed: string[] = [];
	try {
		const baseUrl = await sandbox.listen(0, '127.0.0.1');
		const credentials: CredentialData = {
			conversationsApi: { privateIntegrationToken: sandbox.token, locationId: sandbox.locationId, baseUrl },
		};
		print(
			`Conversations API sandbox at ${baseUrl} (location ${sandbox.locationId}, ` +
				`${sandbox.state.listConversations().length} conversations); credential: Private Integration Token → ${baseUrl}`,
		);
		for (const [name, run] of TEMPLATES) {
			print('');
			try {
				await run({ sandbox, baseUrl, credentials, print });
			} catch (error) {
				failed.push(name);
				print(`   ✗ templates/${name}.json failed: ${(error as Error).message}`);
			}
		}
		print('');
		aiReceptionist(print);
	} finally {
		await sandbox.close();
	}
	print('');
	print(
		failed.length
			? `${failed.length} of ${TEMPLATES.length} templates failed: ${failed.join(', ')}`
			: `All ${TEMPLATES.length} templates ran without errors; sandbox closed.`,
	);
	return failed.length ? 1 : 0;
}

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error: Error) => {
			console.error(`demo failed: ${error.stack ?? error.message}`);
			process.exit(1);
		},
	);
}
