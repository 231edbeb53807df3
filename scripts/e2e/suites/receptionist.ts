/**
 * templates/ai-receptionist.json in real n8n, active: n8n's AI Agent with n8n's OpenAI Chat Model,
 * whose credential's Base URL points at a scripted stand-in model on loopback (../model.ts), and
 * this package's node as its tools. The sandbox, as HighLevel, sends every message it sees as a
 * signed InboundMessage / OutboundMessage to the trigger's production URL (the app's webhook URL).
 *
 * Checked with the exact requests the sandbox saw: a customer's message gets one reply in its
 * conversation on its channel, cut to the SMS limit; "a person" hands the conversation off (the
 * contact assigned to the configured user) and the agent then stays silent there; the agent's own
 * reply, delivered back as an OutboundMessage, starts nothing; a flood of 20 messages gets at most
 * the configured replies; a delivery repeated (twice at once, then a retry) gets one reply. The
 * stand-in asserts what n8n offered the model: this package's four tools with their descriptions.
 */
import type { Conversation, Delivery } from '../../../sandbox';
import { outputItems, webhookRegistered, type ExecutionDetail, type Workflow } from '../n8n';
import { startModel, type ModelRequest, type Script, type StandInModel } from '../model';
import { sleep } from '../proc';
import { expect } from '../report';
import { loadTemplate, withCredential, withFields, type WorkflowJson } from '../workflows';
import type { RunningN8n, SandboxWrite } from './regular';

const SUITE_NODE = {
	trigger: 'Inbound message',
	agent: 'AI receptionist',
	skipped: 'Not answered',
};
const TOOLS = ['Read_recent_messages', 'Reply', 'Hand_off_to_a_person', 'Star_conversation'];
const HANDOFF_USER = 'user-support';
const MAX_REPLIES = 3;
const MAX_SMS = 320;
/** Longer than an SMS may be: the template cuts it. */
const ANSWER =
	`Thanks for writing to Acme Studio! We are open Monday to Friday from 9 am to 6 pm and on Saturdays from 10 am to 2 pm. ${'You can book a visit any time on our website, and a colleague confirms it within the hour. '.repeat(4)}`.trim();
const HANDOFF_NOTE = 'I have asked a colleague to take over; they will write to you here shortly.';
const FLOOD_ANSWER = 'Got it, thank you!';

/** What the stand-in model does for a customer's message. */
const script: Script = (customerText) => {
	if (/\bperson\b/i.test(customerText)) {
		return {
			calls: [
				{ tool: 'Hand_off_to_a_person', args: {} },
				{ tool: 'Reply', args: { message: HANDOFF_NOTE } },
			],
			text: 'Handed off.',
		};
	}
	if (customerText.startsWith('flood')) return { calls: [{ tool: 'Reply', args: { message: FLOOD_ANSWER } }], text: 'Answered.' };
	return {
		calls: [
			{ tool: 'Read_recent_messages', args: {} },
			{ tool: 'Reply', args: { message: ANSWER } },
		],
		text: 'Answered.',
	};
};

interface Receptionist {
	n8n: RunningN8n;
	model: StandInModel;
	workflow: Workflow;
	template: WorkflowJson;
	/** Executions already seen (their IDs). */
	seen: Set<string>;
}

/** A new contact with an unassigned SMS conversation (the seeded ones mostly have an assignee). */
function newConversation(n8n: RunningN8n, name: string): Conversation {
	const { state } = n8n.sandbox;
	const contact = state.addContact({ name, phone: `+1 415 555 ${String(1000 + state.listConversations().length).slice(-4)}` });
	return state.addConversation({ contactId: contact.id, type: 'TYPE_PHONE', channel: 'SMS' });
}

/** The customer writes: the sandbox records an inbound SMS and sends its signed InboundMessage. */
function customerWrites(n8n: RunningN8n, conversation: Conversation, body: string): Delivery {
	const message = n8n.sandbox.state.addMessage(conversation, { direction: 'inbound', messageType: 'TYPE_SMS', body });
	const delivery = n8n.sandbox.webhooks.deliveries.find(
		(candidate) => candidate.payload.messageId === message.id && candidate.event === 'InboundMessage',
	);
	if (!delivery) throw new Error(`the sandbox sent no InboundMessage for ${message.id} (no app webhook URL registered?)`);
	return delivery;
}

/** The executions that started since the last call, once all have finished and no more came. */
async function newExecutions(receptionist: Receptionist, atLeast: number): Promise<ExecutionDetail[]> {
	await receptionist.n8n.sandbox.webhooks.idle();
	const all = await receptionist.n8n.api.settledExecutions(receptionist.workflow.id, receptionist.seen.size + atLeast, 3000);
	const fresh: ExecutionDetail[] = [];
	for (const summary of all.filter((candidate) => !receptionist.seen.has(candidate.id))) {
		receptionist.seen.add(summary.id);
		fresh.push(await receptionist.n8n.api.waitForExecution(summary.id));
	}
	return fresh;
}

const answered = (execution: ExecutionDetail) => (execution.runData[SUITE_NODE.agent]?.length ?? 0) > 0;
const conversationOf = (execution: ExecutionDetail) => String(outputItems(execution, SUITE_NODE.trigger)[0]?.conversationId ?? '');
const outbound = (n8n: RunningN8n, conversation: Conversation) =>
	n8n.sandbox.state.messagesOf(conversation.id).filter((message) => message.direction === 'outbound');
/** JSON with its keys sorted: the same request whatever order the node builds its body in. */
const canonical = (value: unknown): string =>
	JSON.stringify(value, (_key, inner: unknown) =>
		inner && typeof inner === 'object' && !Array.isArray(inner)
			? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
			: inner,
	);
const describe = (writes: SandboxWrite[]) =>
	writes.map((write) => `${write.method} ${write.path} ${JSON.stringify(write.body)} → ${write.status}`).join('; ') || 'none';

function ok(execution: ExecutionDetail): void {
	expect(
		execution.status === 'success',
		`execution ${execution.id} ended "${execution.status}"${execution.error ? `: ${execution.error}` : ''} (last node: ${execution.lastNodeExecuted ?? '?'})`,
	);
}

/** The template as a user sets it up: both credentials, the settings, the sandbox's public key. */
function configured(n8n: RunningN8n, openAiCredentialId: string): WorkflowJson {
	let template = withCredential(loadTemplate('ai-receptionist'), n8n.credentialId);
	template = withCredential(template, openAiCredentialId, 'openAiApi', 'OpenAI account');
	// Quiet hours off (start = end): the run must not depend on the time of day.
	template = withFields(template, 'Receptionist settings', {
		handoffUserId: HANDOFF_USER,
		maxRepliesPerHour: MAX_REPLIES,
		quietHoursStart: 0,
		quietHoursEnd: 0,
		maxSmsLength: MAX_SMS,
	});
	const trigger = template.nodes.find((node) => node.name === SUITE_NODE.trigger);
	if (!trigger) throw new Error('the template has no "Inbound message" trigger');
	trigger.parameters = { ...trigger.parameters, publicKey: n8n.sandbox.webhooks.publicKeyPem };
	return template;
}

async function setUp(n8n: RunningN8n): Promise<Receptionist | undefined> {
	let receptionist: Receptionist | undefined;
	await n8n.report.check(
		n8n.suite,
		'template ai-receptionist: active with the OpenAI credential → stand-in model; the sandbox sends its events to the trigger',
		async () => {
			const model = await startModel(script);
			try {
				const credentialId = await n8n.api.createCredential('OpenAI account', 'openAiApi', { apiKey: 'stand-in-key', url: model.url });
				const template = configured(n8n, credentialId);
				const workflow = await n8n.api.createWorkflow(template);
				await n8n.api.activate(workflow);
				const trigger = template.nodes.find((node) => node.name === SUITE_NODE.trigger);
				const url = `${n8n.n8nUrl}/webhook/${String(trigger?.webhookId)}/highlevel`;
				// Registered a moment after activation (404 until then); the unsigned probe gets 401 and starts nothing.
				await webhookRegistered(url);
				n8n.sandbox.webhooks.register(url);
				receptionist = { n8n, model, workflow, template, seen: new Set() };
				return `workflow ${workflow.id} active; model at ${model.url}; app webhook URL ${url}`;
			} finally {
				if (!receptionist) await model.close();
			}
		},
	);
	return receptionist;
}

/** What n8n offered the model: this package's four tools, each with the template's description and only the parameters the model fills. */
function checkOffered(receptionist: Receptionist, request: ModelRequest): string {
	const offered = request.tools.map((tool) => tool.name).sort();
	expect(
		JSON.stringify(offered) === JSON.stringify([...TOOLS].sort()),
		`the model was offered ${offered.join(', ')}, expected ${TOOLS.join(', ')}`,
	);
	for (const tool of request.tools) {
		const node = receptionist.template.nodes.find((candidate) => candidate.name.replace(/ /g, '_') === tool.name);
		expect(
			node?.type === 'n8n-nodes-conversations-api.conversationsApiTool',
			`tool ${tool.name} is not this package's node (${node?.type})`,
		);
		expect(
			tool.description === node?.parameters.toolDescription,
			`tool ${tool.name}'s description is "${tool.description}", not the template's`,
		);
	}
	const parameters = Object.fromEntries(
		request.tools.map((tool) => [
			tool.name,
			Object.keys(tool.parameters.properties ?? {})
				.sort()
				.join(','),
		]),
	);
	expect(
		canonical(parameters) ===
			canonical({ Read_recent_messages: '', Reply: 'message', Hand_off_to_a_person: '', Star_conversation: 'starred' }),
		`the model fills ${JSON.stringify(parameters)}, expected only Reply.message and Star_conversation.starred`,
	);
	const reply = request.tools.find((tool) => tool.name === 'Reply')?.parameters.properties?.message;
	expect(
		Boolean(reply?.description && reply.description.split(' ').length > 5),
		`Reply.message has the description "${reply?.description}"`,
	);
	return `offered ${offered.length} tools (${offered.join(', ')}) with the template's descriptions; the model fills Reply.message ("${reply?.description}") and Star_conversation.starred`;
}

export async function receptionistChecks(n8n: RunningN8n): Promise<void> {
	const receptionist = await setUp(n8n);
	if (!receptionist) return;
	const { report, suite, sandbox } = n8n;
	const { model } = receptionist;
	try {
		let firstReply: string | undefined;
		await report.check(
			suite,
			'ai-receptionist: a signed InboundMessage → one reply in that conversation on SMS, cut to the SMS limit; tools offered to the model are ours, described',
			async () => {
				const conversation = newConversation(n8n, 'Rita Reply');
				const writesBefore = n8n.writes.length;
				const requestsBefore = model.requests.length;
				customerWrites(n8n, conversation, 'Hi! What are your opening hours?');
				const executions = await newExecutions(receptionist, 1);
				const writes = n8n.writes.slice(writesBefore);
				const requests = model.requests.slice(requestsBefore);
				const replies = outbound(n8n, conversation);
				const figures = `${executions.length} execution(s); ${requests.length} model requests; sandbox writes: ${describe(writes)}`;
				firstReply = replies[0]?.id;
				expect(executions.length === 1, figures);
				ok(executions[0]);
				expect(answered(executions[0]), `the agent did not run: ${figures}`);
				const expected = { type: 'SMS', contactId: conversation.contactId, message: ANSWER.slice(0, MAX_SMS) };
				expect(
					writes.length === 1 &&
						writes[0].method === 'POST' &&
						writes[0].path === '/conversations/messages' &&
						canonical(writes[0].body) === canonical(expected),
					`expected exactly POST /conversations/messages ${JSON.stringify(expected)}: ${figures}`,
				);
				expect(
					replies.length === 1 && replies[0].messageType === 'TYPE_SMS' && replies[0].body === expected.message,
					`the conversation's outbound messages: ${JSON.stringify(replies.map((reply) => [reply.messageType, reply.body.length]))}`,
				);
				expect(model.errors.length === 0, `the stand-in model refused: ${model.errors.join('; ')}`);
				expect(requests.length === 3, `${requests.length} model requests, expected 3 (read, reply, final text): ${figures}`);
				const offered = checkOffered(receptionist, requests[0]);
				// The tool result the model read: Simplify's compact messages, not the API's raw rows.
				const toolResult = requests[1].messages
					.filter((message) => message.role === 'tool')
					.map((message) => String(message.content))
					.join('');
				expect(
					toolResult.includes('What are your opening hours?') && !toolResult.includes('locationId') && !toolResult.includes('altId'),
					`Read recent messages gave the model ${toolResult.slice(0, 300)}`,
				);
				return `${figures.replace(/; sandbox writes: .*/, '')}; sandbox saw exactly POST /conversations/messages {type: SMS, contactId, message: ${expected.message.length} chars (the model's ${ANSWER.length} cut to ${MAX_SMS})}; ${offered}; Read recent messages returned compact rows (${toolResult.length} chars)`;
			},
		);

		await report.check(
			suite,
			"ai-receptionist: the agent's own reply, delivered back as a signed OutboundMessage → 200, no execution",
			async () => {
				expect(firstReply !== undefined, 'no reply from the check before');
				const deliveries = sandbox.webhooks.deliveries.filter(
					(delivery) => delivery.event === 'OutboundMessage' && delivery.payload.messageId === firstReply,
				);
				const executions = await newExecutions(receptionist, 0);
				const statuses = deliveries.flatMap((delivery) => delivery.attempts.map((attempt) => attempt.status));
				const figures = `${deliveries.length} OutboundMessage delivery of reply ${firstReply} answered ${statuses.join('/') || 'never'}; ${executions.length} new executions`;
				expect(deliveries.length === 1 && JSON.stringify(statuses) === '[200]', figures);
				expect(executions.length === 0, figures);
				return figures;
			},
		);

		await report.check(
			suite,
			`ai-receptionist: "I want to talk to a person" → contact assigned to ${HANDOFF_USER}, one note; the next message gets no answer`,
			async () => {
				const conversation = newConversation(n8n, 'Hank Handoff');
				let writesBefore = n8n.writes.length;
				customerWrites(n8n, conversation, 'This is not working. I want to talk to a person.');
				const first = await newExecutions(receptionist, 1);
				const handoffWrites = n8n.writes.slice(writesBefore);
				const contact = sandbox.state.contact(conversation.contactId);
				const figures = [
					`${first.length} execution(s)`,
					`sandbox writes: ${describe(handoffWrites)}`,
					`contact assignedTo ${String(contact?.assignedTo)}`,
				];
				expect(first.length === 1, figures.join('; '));
				ok(first[0]);
				const expected = [
					{ method: 'PUT', path: `/contacts/${conversation.contactId}`, body: { assignedTo: HANDOFF_USER } },
					{
						method: 'POST',
						path: '/conversations/messages',
						body: { type: 'SMS', contactId: conversation.contactId, message: HANDOFF_NOTE },
					},
				];
				const seen = handoffWrites.map(({ method, path, body }) => ({ method, path, body }));
				expect(canonical(seen) === canonical(expected), `expected exactly ${JSON.stringify(expected)}: ${figures.join('; ')}`);
				expect(
					contact?.assignedTo === HANDOFF_USER && sandbox.state.conversation(conversation.id)?.assignedTo === HANDOFF_USER,
					figures.join('; '),
				);

				writesBefore = n8n.writes.length;
				const requestsBefore = model.requests.length;
				customerWrites(n8n, conversation, 'Hello? Is anybody there?');
				const second = await newExecutions(receptionist, 1);
				const after = n8n.writes.slice(writesBefore);
				figures.push(
					`then "Hello? Is anybody there?": ${second.length} execution(s) ending at "${second.map((execution) => execution.lastNodeExecuted).join(', ')}", ${model.requests.length - requestsBefore} model requests, writes: ${describe(after)}`,
				);
				expect(
					second.length === 1 && !answered(second[0]) && (second[0].runData[SUITE_NODE.skipped]?.length ?? 0) === 1,
					figures.join('; '),
				);
				ok(second[0]);
				expect(
					model.requests.length === requestsBefore && after.length === 0 && outbound(n8n, conversation).length === 1,
					figures.join('; '),
				);
				return figures.join('; ');
			},
		);

		await report.check(
			suite,
			`ai-receptionist: 20 inbound messages in one conversation within a minute → at most ${MAX_REPLIES} replies`,
			async () => {
				const conversation = newConversation(n8n, 'Flo Flood');
				const started = Date.now();
				// One every 2.5 s, as a chatty customer or a looping bot writes; each execution ends before the next starts.
				for (let index = 0; index < 20; index++) {
					customerWrites(n8n, conversation, `flood ${index + 1}: are you there?`);
					await sleep(2500);
				}
				const seconds = (Date.now() - started) / 1000;
				const executions = await newExecutions(receptionist, 20);
				const replies = outbound(n8n, conversation);
				const ran = executions.filter(answered).length;
				const figures = `20 messages in ${seconds.toFixed(0)} s → ${executions.length} executions (${executions.filter((execution) => execution.status === 'success').length} success), the agent ran in ${ran}, ${replies.length} replies`;
				expect(executions.length === 20 && executions.every((execution) => execution.status === 'success'), figures);
				expect(
					executions.every((execution) => conversationOf(execution) === conversation.id),
					figures,
				);
				expect(replies.length <= MAX_REPLIES && replies.length > 0, figures);
				expect(
					replies.every((reply) => reply.body === FLOOD_ANSWER),
					figures,
				);
				return figures;
			},
		);

		await report.check(
			suite,
			'ai-receptionist: the same InboundMessage delivered twice at once, then retried → one execution, one reply',
			async () => {
				const conversation = newConversation(n8n, 'Dora Duplicate');
				sandbox.webhooks.injectNext('duplicate');
				const delivery = customerWrites(n8n, conversation, 'Do you ship to Canada?');
				await sandbox.webhooks.idle();
				await sleep(1500);
				// HighLevel's retry: the same signed bytes again.
				const retry = await fetch(delivery.url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-ghl-signature': delivery.signature },
					body: delivery.body,
				});
				await retry.arrayBuffer();
				const executions = await newExecutions(receptionist, 1);
				const replies = outbound(n8n, conversation);
				const statuses = [...delivery.attempts.map((attempt) => attempt.status), retry.status];
				const figures = `deliveries answered ${statuses.join('/')}; ${executions.length} execution(s); ${replies.length} reply`;
				expect(statuses.length === 3 && statuses.every((status) => status === 200), figures);
				expect(executions.length === 1 && replies.length === 1, figures);
				ok(executions[0]);
				return figures;
			},
		);
	} finally {
		sandbox.webhooks.register(undefined);
		await n8n.api.deactivate(receptionist.workflow).catch(() => undefined);
		await model.close();
	}
}
