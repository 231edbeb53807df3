/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test: reads templates/ with Node built-ins */
/**
 * templates/ai-receptionist.json: its file (n8n's AI nodes at versions n8n 1.123 and 2.41 both
 * have, nothing n8n 3.0 removes), and its guardrails through the engine. The sandbox's signed
 * deliveries go over real HTTP into n8n's stand-in webhook server (test/support/webhook.ts); the
 * trigger, the Conversation and Recent messages nodes and the IF run as shipped against the
 * sandbox. n8n's AI nodes (@n8n/n8n-nodes-langchain) are not part of this engine: here the agent
 * is this package's Message → Send with a fixed text, so that each run that gets past the
 * guardrails leaves a reply as the agent would. The agent itself runs in real n8n
 * (`./dev e2e -- --only receptionist`, scripts/e2e/suites/receptionist.ts).
 */
import nock from 'nock';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { settle as settleDeliveries } from '../../demo/webhooks';
import { createSandbox, type Conversation, type Sandbox } from '../../sandbox';
import type { CredentialData } from '../support/engine';
import { startWebhookServer, withParameters, type N8nWebhookServer } from '../support/webhook';
import { loadTemplate, repoRoot, withFields, type WorkflowJson } from '../support/workflow';

const TEMPLATE = 'ai-receptionist';
const AI = '@n8n/n8n-nodes-langchain.';
const FIXED_REPLY = 'Thanks, we will get back to you.';

let sandbox: Sandbox;
let credentials: CredentialData;
let server: N8nWebhookServer | undefined;

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());
beforeEach(async () => {
	// Each test's sandbox has the same seed, so the same webhook IDs: each test's webhook server is a
	// fresh n8n process (it loads the trigger's node type anew).
	sandbox = await createSandbox({ rateLimit: false, conversations: 20, webhooks: { timeScale: 0.0001 } });
	const baseUrl = await sandbox.listen(0, '127.0.0.1');
	credentials = { conversationsApi: { privateIntegrationToken: sandbox.token, locationId: sandbox.locationId, baseUrl } };
});
afterEach(async () => {
	await server?.close();
	server = undefined;
	await sandbox.close();
});

describe('the template file', () => {
	const text = readFileSync(path.join(repoRoot(), 'templates', `${TEMPLATE}.json`), 'utf8');
	const workflow = JSON.parse(text) as WorkflowJson;
	const byName = (name: string) => workflow.nodes.find((node) => node.name === name);

	it('uses AI node versions that n8n 1.123 (n8n-nodes-langchain 1.122) and 2.41 both have, and nothing n8n 3.0 removes', () => {
		const ai = workflow.nodes.filter((node) => node.type.startsWith(AI)).map((node) => [node.type.slice(AI.length), node.typeVersion]);
		expect(ai).toEqual([
			['agent', 3],
			['lmChatOpenAi', 1.2],
			['memoryBufferWindow', 1.3],
		]);
		expect(workflow.nodes.map((node) => node.type)).not.toEqual(
			expect.arrayContaining([expect.stringMatching(/\.(function|functionItem|itemLists|code|toolCode)$/)]),
		);
		expect(text).not.toContain('$getPairedItem');
	});

	it('has the tools agent with a chat model, memory keyed by the conversation and four tools of this package', () => {
		const into = (type: string) =>
			Object.entries(workflow.connections)
				.filter(([, outputs]) => (outputs as Record<string, Array<Array<{ node: string }>>>)[type]?.[0]?.[0]?.node === 'AI receptionist')
				.map(([from]) => from);
		expect(into('ai_languageModel')).toEqual(['OpenAI Chat Model']);
		expect(into('ai_memory')).toEqual(['Memory per conversation']);
		expect(into('ai_tool')).toEqual(['Read recent messages', 'Reply', 'Hand off to a person', 'Star conversation']);
		expect(byName('Memory per conversation')?.parameters).toMatchObject({
			sessionIdType: 'customKey',
			sessionKey: "={{ $('Inbound message').first().json.conversationId }}",
		});
		expect(byName('Inbound message')?.parameters).toEqual({ events: ['InboundMessage'], filters: { direction: 'inbound' } });
		// The model's credential by name only; a base URL is the credential's, not the template's.
		expect(byName('OpenAI Chat Model')?.credentials).toEqual({ openAiApi: { name: 'OpenAI account' } });
		for (const node of workflow.nodes.filter((candidate) => candidate.type.startsWith('n8n-nodes-conversations-api.conversationsApi'))) {
			expect(node.credentials).toEqual({ conversationsApi: { name: 'Conversations API account' } });
		}
		expect(text).not.toMatch(/sk-[A-Za-z0-9]|Bearer |privateIntegrationToken|sandbox-token/);
	});

	it('sticky notes say how to set it up and what the guardrails do', () => {
		const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((node) => String(node.parameters.content));
		const all = notes.join('\n');
		expect(notes[0]).toMatch(/### Configure[\s\S]*### How it uses the API/);
		expect(all).toMatch(/Webhook URL[\s\S]*InboundMessage/);
		expect(all).toMatch(/OpenAI[\s\S]*Base URL/);
		expect(all).toMatch(/handoffUserId/);
		expect(all).toMatch(/### Guardrails[\s\S]*OutboundMessage[\s\S]*assignee[\s\S]*Quiet hours[\s\S]*maxRepliesPerHour[\s\S]*maxSmsLength/);
	});
});

/** The template up to the agent, the agent replaced by a fixed reply on the event's channel. */
function guardrails(settings: Record<string, string | number> = {}): WorkflowJson {
	let workflow = withParameters(loadTemplate(TEMPLATE), 'Inbound message', { publicKey: sandbox.webhooks.publicKeyPem });
	workflow = withFields(workflow, 'Receptionist settings', {
		handoffUserId: 'user-support',
		maxRepliesPerHour: 3,
		quietHoursStart: 0,
		quietHoursEnd: 0,
		...settings,
	});
	const reply = workflow.nodes.find((node) => node.name === 'Reply');
	const agent = workflow.nodes.find((node) => node.name === 'AI receptionist');
	if (!reply || !agent) throw new Error('the template has no Reply tool or AI receptionist');
	const fixed = {
		...agent,
		type: 'n8n-nodes-conversations-api.conversationsApi',
		typeVersion: 1.1,
		parameters: { ...reply.parameters, message: FIXED_REPLY, descriptionType: undefined, toolDescription: undefined },
		credentials: reply.credentials,
	};
	delete fixed.parameters.descriptionType;
	delete fixed.parameters.toolDescription;
	const kept = workflow.nodes.filter((node) => !node.type.startsWith(AI) && !node.type.endsWith('Tool'));
	return {
		...workflow,
		nodes: [...kept, fixed],
		connections: Object.fromEntries(Object.entries(workflow.connections).filter(([from]) => kept.some((node) => node.name === from))),
	};
}

async function receive(workflow: WorkflowJson): Promise<void> {
	server = await startWebhookServer({ workflow, credentials });
	sandbox.webhooks.register(server.url);
}

const settle = async () => await settleDeliveries(sandbox, server as N8nWebhookServer);

function newConversation(name: string, assignedTo?: string): Conversation {
	const contact = sandbox.state.addContact({ name, phone: `+1 415 555 ${String(2000 + sandbox.state.listConversations().length)}` });
	if (assignedTo) sandbox.state.assignContact(contact, assignedTo);
	return sandbox.state.addConversation({ contactId: contact.id, type: 'TYPE_PHONE', channel: 'SMS', assignedTo });
}

const write = (conversation: Conversation, body: string) =>
	sandbox.state.addMessage(conversation, { direction: 'inbound', messageType: 'TYPE_SMS', body });
const replies = (conversation: Conversation) =>
	sandbox.state.messagesOf(conversation.id).filter((message) => message.direction === 'outbound');
/** Which way each run went: to the agent, or "Not answered". */
const paths = async () =>
	(await (server as N8nWebhookServer).idle()).map((run) =>
		run.json('AI receptionist').length ? 'agent' : run.json('Not answered').length ? 'not answered' : 'neither',
	);

describe('guardrails, through the engine with signed deliveries', () => {
	it("an inbound message reaches the agent once; the reply's OutboundMessage starts nothing (no loop)", async () => {
		await receive(guardrails());
		const conversation = newConversation('Rita Reply');
		write(conversation, 'What are your opening hours?');
		await settle();

		expect(await paths()).toEqual(['agent']);
		expect(replies(conversation).map((reply) => [reply.messageType, reply.body])).toEqual([['TYPE_SMS', FIXED_REPLY]]);
		const outboundEvents = sandbox.webhooks.deliveries.filter((delivery) => delivery.event === 'OutboundMessage');
		expect(outboundEvents.map((delivery) => [delivery.payload.messageId, delivery.attempts.map((attempt) => attempt.status)])).toEqual([
			[replies(conversation)[0].id, [200]],
		]);
		expect(server?.executions).toHaveLength(1);
	});

	it('a conversation with an assignee (a person took over) is not answered', async () => {
		await receive(guardrails());
		const conversation = newConversation('Hank Handoff', 'user-sales');
		write(conversation, 'Hello? Anybody there?');
		await settle();

		expect(await paths()).toEqual(['not answered']);
		expect(replies(conversation)).toEqual([]);
	});

	it('20 inbound messages in one conversation get at most maxRepliesPerHour replies; replies older than an hour do not count', async () => {
		await receive(guardrails({ maxRepliesPerHour: 3 }));
		const conversation = newConversation('Flo Flood');
		// Two replies of yesterday's chat: outside the hour, not counted.
		for (const hoursAgo of [25, 24]) {
			sandbox.state.addMessage(conversation, {
				direction: 'outbound',
				messageType: 'TYPE_SMS',
				body: 'Old reply',
				source: 'api',
				date: Date.now() - hoursAgo * 3600_000,
			});
		}
		for (let index = 1; index <= 20; index++) {
			write(conversation, `flood ${index}`);
			await settle();
		}

		expect(await paths()).toEqual([...Array(3).fill('agent'), ...Array(17).fill('not answered')]);
		expect(replies(conversation).filter((reply) => reply.body === FIXED_REPLY)).toHaveLength(3);
	});

	it('in quiet hours nothing is answered', async () => {
		const hour = new Date().getUTCHours();
		await receive(guardrails({ timeZone: 'UTC', quietHoursStart: hour, quietHoursEnd: (hour + 1) % 24 }));
		const conversation = newConversation('Nina Night');
		write(conversation, 'Are you open?');
		await settle();

		expect(await paths()).toEqual(['not answered']);
		expect(replies(conversation)).toEqual([]);
	});

	it('calls, voicemails and reviews have no reply channel: not answered', async () => {
		await receive(guardrails());
		const conversation = newConversation('Carl Call');
		sandbox.state.addMessage(conversation, { direction: 'inbound', messageType: 'TYPE_CALL', body: '' });
		await settle();

		expect(await paths()).toEqual(['not answered']);
	});
});
