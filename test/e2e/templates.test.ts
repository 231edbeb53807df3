/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test: reads templates/ with Node built-ins */
/**
 * End to end: each template of templates/ runs through the real n8n engine (our node and n8n's
 * own core nodes) against the local sandbox of the Conversations API, over loopback HTTP. The
 * assertions read the sandbox's state (what the API now holds) as well as the nodes' outputs.
 */
import nock from 'nock';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NodeHelpers, type IDataObject, type INode } from 'n8n-workflow';
import { createSandbox, type Conversation, type Sandbox } from '../../sandbox';
import type { CredentialData } from '../support/engine';
import { loadSample, loadTemplate, repoRoot, runWorkflow, withFields, type WorkflowJson } from '../support/workflow';
import { TestNodeTypes } from '../support/nodes';

const OUR_NODE = 'n8n-nodes-conversations-api.conversationsApi';
const TEMPLATE_NAMES = [
	'welcome-new-conversation',
	'search-conversations',
	'keyword-routing',
	'ablefy-sale-welcome',
	// Webhook-driven: run in test/e2e/webhookTemplates.test.ts.
	'instant-reply',
	'custom-provider-bridge',
	// An agency's OAuth2 credential and its own sandbox: run in test/e2e/agencyDigest.test.ts.
	'agency-digest',
];
/** n8n's AI nodes are not part of the Jest engine: its file and guardrails are checked in test/e2e/aiReceptionist.test.ts. */
const AI_TEMPLATE_NAMES = ['ai-receptionist'];

/** The message type a message sent on the conversation's channel gets. */
const SENT_TYPE: Record<string, string> = {
	TYPE_SMS: 'TYPE_SMS',
	TYPE_CALL: 'TYPE_SMS',
	TYPE_EMAIL: 'TYPE_EMAIL',
	TYPE_WHATSAPP: 'TYPE_WHATSAPP',
	TYPE_FACEBOOK: 'TYPE_FACEBOOK',
	TYPE_INSTAGRAM: 'TYPE_INSTAGRAM',
	TYPE_LIVE_CHAT: 'TYPE_LIVE_CHAT',
};

let sandbox: Sandbox;
let baseUrl: string;
let credentials: CredentialData;

async function startSandbox(options: Parameters<typeof createSandbox>[0] = {}) {
	sandbox = await createSandbox({ rateLimit: false, ...options });
	baseUrl = await sandbox.listen(0, '127.0.0.1');
	credentials = {
		conversationsApi: { privateIntegrationToken: sandbox.token, locationId: sandbox.locationId, baseUrl },
	};
}

// test/support/setup.ts keeps the tests off the network; these talk to the sandbox over loopback.
beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());
afterEach(async () => {
	await sandbox?.close();
});

/** The IDs of all messages, to see what a run added. */
function messageIds(): Set<string> {
	return new Set(sandbox.state.listConversations().flatMap((c) => sandbox.state.messagesOf(c.id).map((m) => m.id)));
}

/** A conversation's messages, oldest first (whatever order the sandbox keeps them in). */
function messagesOf(conversationId: string) {
	return [...sandbox.state.messagesOf(conversationId)].sort((a, b) => a.dateAdded - b.dateAdded || a.seq - b.seq);
}

/** Messages of a conversation that were not there before, oldest first. */
function newMessages(before: Set<string>, conversationId: string) {
	return messagesOf(conversationId).filter((message) => !before.has(message.id));
}

function fieldValue(workflow: WorkflowJson, nodeName: string, field: string): string {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName) as INode;
	const assignments = (node.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;
	return String(assignments.find((assignment) => assignment.name === field)?.value);
}

describe('templates/*.json are importable n8n workflows', () => {
	const files = readdirSync(path.join(repoRoot(), 'templates')).filter((file) => file.endsWith('.json'));

	it('are the eight templates', () => {
		expect(files.sort()).toEqual([...TEMPLATE_NAMES, ...AI_TEMPLATE_NAMES].map((name) => `${name}.json`).sort());
	});

	it.each(TEMPLATE_NAMES)('%s: nodes, connections, credentials, sticky note, no issues', (name) => {
		const text = readFileSync(path.join(repoRoot(), 'templates', `${name}.json`), 'utf8');
		const workflow = JSON.parse(text) as WorkflowJson;
		expect(typeof workflow.name).toBe('string');
		expect(workflow.settings).toEqual({ executionOrder: 'v1' });

		const names = workflow.nodes.map((node) => node.name);
		const ids = workflow.nodes.map((node) => node.id);
		expect(new Set(names).size).toBe(names.length);
		expect(new Set(ids).size).toBe(ids.length);

		const nodeTypes = new TestNodeTypes();
		for (const node of workflow.nodes) {
			expect(node.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
			expect(node.position).toEqual([expect.any(Number), expect.any(Number)]);
			expect(typeof node.parameters).toBe('object');
			// The type and version exist (this throws for an unknown one).
			const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
			const versions = [nodeType.description.version].flat();
			expect(versions).toContain(node.typeVersion);
			if (node.type === 'n8n-nodes-base.stickyNote') continue;
			// What n8n checks before it runs a workflow: every required parameter is set.
			expect(NodeHelpers.getNodeParametersIssues(nodeType.description.properties, node, nodeType.description)).toBeNull();
		}

		// Our node and the HTTP Request node use the credential by name only: no ID, no secret.
		const withCredentials = workflow.nodes.filter((node) => node.credentials);
		expect(withCredentials.length).toBeGreaterThan(0);
		for (const node of withCredentials) {
			expect(node.credentials).toEqual(
				name === 'agency-digest'
					? { conversationsOAuth2Api: { name: 'Conversations API agency account' } }
					: { conversationsApi: { name: 'Conversations API account' } },
			);
		}
		for (const node of workflow.nodes.filter((candidate) => candidate.type === OUR_NODE)) {
			expect(node.credentials).toBeDefined();
		}
		expect(text).not.toMatch(/pit-[0-9a-f]|Bearer |privateIntegrationToken|sandbox-token/);

		// Every connection joins existing nodes.
		for (const [from, outputs] of Object.entries(workflow.connections)) {
			expect(names).toContain(from);
			for (const connection of outputs.main.flat()) expect(names).toContain(connection?.node);
		}

		// A sticky note explains what it does, what to configure and how it uses the API.
		const note = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote');
		expect(String(note?.parameters.content)).toMatch(/### Configure[\s\S]*### How it uses the API/);
	});

	it('the keyword routing note says how to configure the teams, who is away, and the round-robin', () => {
		const note = loadTemplate('keyword-routing').nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote');
		const content = String(note?.parameters.content);
		expect(content).toMatch(
			/\*\*Teams\*\*[\s\S]*`billingUserIds`, `salesUserIds`, `supportUserIds`, `frontDeskUserIds`[\s\S]*`awayUserIds`/,
		);
		expect(content).toMatch(/\*\*Round-robin\*\*/);
		expect(content).toMatch(/`PUT \/contacts\/\{contactId\}` with `assignedTo`/);
		expect(content).not.toMatch(/cannot assign/);
	});
});

describe('search-conversations', () => {
	it('lists the conversations that match the keyword, newest first, as tidy rows', async () => {
		await startSandbox();
		const result = await runWorkflow(loadTemplate('search-conversations'), { credentials });

		expect(result.error).toBeUndefined();
		expect(result.executed).toEqual(['When clicking ‘Execute workflow’', 'Search criteria', 'Search conversations', 'Tidy list']);
		const matching = sandbox.state.listConversations().filter((conversation) => {
			const contact = sandbox.state.contact(conversation.contactId);
			return [contact?.name, contact?.email, contact?.phone, contact?.companyName, conversation.lastMessageBody].some((value) =>
				value?.toLowerCase().includes('refund'),
			);
		});
		const rows = result.json('Tidy list');
		expect(matching.length).toBeGreaterThan(25);
		expect(rows).toHaveLength(25); // the criteria's limit
		for (const row of rows) {
			const conversation = sandbox.state.conversation(String(row.conversationId)) as Conversation;
			expect(matching).toContain(conversation);
			expect(Object.keys(row).sort()).toEqual(
				['assignedTo', 'channel', 'contact', 'contactId', 'conversationId', 'date', 'direction', 'lastMessage', 'link', 'unread'].sort(),
			);
			expect(row.contact).toBe(sandbox.state.contact(conversation.contactId)?.name);
			expect(row.lastMessage).toBe(conversation.lastMessageBody);
			expect(row.date).toBe(new Date(conversation.lastMessageDate).toISOString());
			expect(row.link).toBe(`https://app.gohighlevel.com/v2/location/${sandbox.locationId}/conversations/conversations/${conversation.id}`);
			expect(row.unread).toBe(conversation.unreadCount > 0);
		}
		const dates = rows.map((row) => String(row.date));
		expect(dates).toEqual([...dates].sort().reverse());
		const newest = [...matching].sort((a, b) => b.lastMessageDate - a.lastMessageDate).slice(0, 25);
		expect(rows.map((row) => row.conversationId)).toEqual(newest.map((conversation) => conversation.id));
	});

	it('sends only the criteria that are filled in (channel, status, assignee without keyword)', async () => {
		await startSandbox();
		const workflow = withFields(loadTemplate('search-conversations'), 'Search criteria', {
			keyword: '',
			status: 'unread',
			channel: 'TYPE_SMS',
			assignee: 'user-billing',
			limit: 100,
		});
		const result = await runWorkflow(workflow, { credentials });

		expect(result.error).toBeUndefined();
		const expected = sandbox.state
			.listConversations()
			.filter((c) => c.unreadCount > 0 && c.lastMessageType === 'TYPE_SMS' && c.assignedTo === 'user-billing');
		expect(expected.length).toBeGreaterThan(0);
		const rows = result.json('Tidy list');
		expect(rows.map((row) => row.conversationId).sort()).toEqual(expected.map((c) => c.id).sort());
		expect(rows.every((row) => row.channel === 'SMS' && row.unread === true && row.assignedTo === 'user-billing')).toBe(true);
	});

	it('reports the failing node when the API refuses the token', async () => {
		await startSandbox();
		const wrongToken = {
			conversationsApi: { ...credentials.conversationsApi, privateIntegrationToken: 'not-the-token' },
		};
		const result = await runWorkflow(loadTemplate('search-conversations'), { credentials: wrongToken });

		expect(result.error).toBeDefined();
		expect(result.nodeError('Search conversations')?.message).toMatch(/401|Authorization failed|credentials/i);
		expect(result.executed).not.toContain('Tidy list');
	});
});

describe('welcome-new-conversation', () => {
	it('welcomes each new conversation with an inbound last message, by first name, on its channel', async () => {
		await startSandbox();
		const simulated = await sandbox.simulate({ newConversations: 10 });
		const inboundTypes = new Map(simulated.conversations.map((id) => [id, sandbox.state.conversation(id)?.lastMessageType]));
		const before = messageIds();
		const result = await runWorkflow(loadTemplate('welcome-new-conversation'), { credentials });

		expect(result.error).toBeUndefined();
		// Found: exactly the new conversations (the seeded ones are older than 5 minutes).
		expect(
			result
				.json('New conversations awaiting a reply')
				.map((c) => c.id)
				.sort(),
		).toEqual([...simulated.conversations].sort());
		const byConversation = new Map(result.json('Channel and name').map((item) => [item.conversationId, item]));
		let welcomed = 0;
		for (const id of simulated.conversations) {
			const conversation = sandbox.state.conversation(id) as Conversation;
			const contact = sandbox.state.contact(conversation.contactId);
			const inboundType = String(inboundTypes.get(id));
			const added = newMessages(before, id);
			if (inboundType === 'TYPE_REVIEW') {
				expect(added).toEqual([]);
				expect(result.json('Skipped: no reply channel').map((item) => item.conversationId)).toContain(id);
				continue;
			}
			welcomed++;
			expect(added).toHaveLength(1);
			expect(added[0]).toMatchObject({ direction: 'outbound', messageType: SENT_TYPE[inboundType], source: 'api' });
			expect(added[0].body).toBe(
				`Hi ${contact?.firstName}, thanks for reaching out to Acme Studio! We have your message and will get back to you shortly.`,
			);
			if (inboundType === 'TYPE_EMAIL') {
				expect(sandbox.state.email(String(added[0].emailId))?.subject).toBe('Welcome to Acme Studio');
			}
			expect(byConversation.get(id)?.firstName).toBe(contact?.firstName);
			expect(conversation.lastMessageDirection).toBe('outbound');
		}
		expect(welcomed).toBeGreaterThan(5);
		// The channels a review cannot be answered on aside, several channels were used.
		const sentTypes = new Set(simulated.conversations.flatMap((id) => newMessages(before, id).map((m) => m.messageType)));
		expect(sentTypes.size).toBeGreaterThanOrEqual(3);
		// No other conversation got a message.
		for (const conversation of sandbox.state.listConversations()) {
			if (!simulated.conversations.includes(conversation.id)) expect(newMessages(before, conversation.id)).toEqual([]);
		}

		// The next run sends nothing: the last messages are outbound now, only reviews are left.
		const again = await runWorkflow(loadTemplate('welcome-new-conversation'), { credentials });
		expect(again.error).toBeUndefined();
		expect(again.json('New conversations awaiting a reply').map((c) => c.lastMessageType)).toEqual(
			simulated.conversations.filter((id) => inboundTypes.get(id) === 'TYPE_REVIEW').map(() => 'TYPE_REVIEW'),
		);
		expect(again.executed.filter((name) => name.startsWith('Welcome '))).toEqual([]);
	});

	it('greets "there" when the contact has no name', async () => {
		await startSandbox();
		const contact = sandbox.state.addContact({ phone: '+15125550199' });
		const conversation = sandbox.state.addConversation({ contactId: contact.id, type: 'TYPE_PHONE', channel: 'SMS' });
		sandbox.state.addMessage(conversation, { direction: 'inbound', messageType: 'TYPE_SMS', body: 'Hello?' });
		const result = await runWorkflow(loadTemplate('welcome-new-conversation'), { credentials });

		expect(result.error).toBeUndefined();
		const sent = messagesOf(conversation.id).at(-1);
		expect(sent).toMatchObject({ direction: 'outbound', messageType: 'TYPE_SMS' });
		expect(sent?.body).toMatch(/^Hi there, thanks for reaching out/);
	});
});

describe('keyword-routing', () => {
	/** The teams as configured here: two of them with several people, one person away. */
	const TEAMS = {
		billingUserIds: 'user-billing',
		salesUserIds: 'user-sales, user-sales-2',
		supportUserIds: 'user-support,user-support-2,user-support-3',
		frontDeskUserIds: 'user-sales-2',
		awayUserIds: 'user-support-2',
	};
	const ids = (text: string) =>
		text
			.split(',')
			.map((id) => id.trim())
			.filter(Boolean);

	function configured(maxConversations: number, teams: Record<string, string> = TEAMS, rotationStart = 0): WorkflowJson {
		return withFields(loadTemplate('keyword-routing'), 'Routing config', {
			...teams,
			rotationStart,
			locationId: sandbox.locationId,
			apiBaseUrl: baseUrl,
			maxConversations,
		});
	}

	/** The routing rules of the template's sticky note, written independently of the Switch. */
	function expectedRoute(workflow: WorkflowJson, conversation: Conversation): string {
		const text = conversation.lastMessageBody ?? '';
		for (const team of ['billing', 'sales', 'support']) {
			const keywords = fieldValue(workflow, 'Routing config', `${team}Keywords`)
				.split(',')
				.map((k) => k.trim());
			if (keywords.some((keyword) => new RegExp(`\\b${keyword}`, 'i').test(text))) {
				return `${team[0].toUpperCase()}${team.slice(1)} (keyword)`;
			}
		}
		const member = (team: string) => ids(fieldValue(workflow, 'Routing config', `${team}UserIds`)).includes(conversation.assignedTo ?? '');
		if (member('billing')) return 'Billing (assignee)';
		if (member('sales') || /^TYPE_(FACEBOOK|INSTAGRAM)$/.test(conversation.lastMessageType ?? '')) {
			return 'Sales (assignee, social)';
		}
		if (member('support') || conversation.lastMessageType === 'TYPE_LIVE_CHAT') {
			return 'Support (assignee, chat)';
		}
		return 'Front desk';
	}

	/**
	 * Who each routed conversation must be assigned to, by the note's rules: a conversation already
	 * assigned to an available person of its team stays with them; the others go to the team's
	 * available people in turn (from rotationStart), in the order the router put them out; a team
	 * with nobody available uses the front desk's people.
	 */
	function expectedAssignees(
		teams: Record<string, string>,
		rotationStart: number,
		routed: Array<{ team: string; conversationId: string; assignedTo?: string }>,
	): Map<string, string | undefined> {
		const away = ids(teams.awayUserIds ?? '');
		const field: Record<string, string> = {
			Billing: 'billingUserIds',
			Sales: 'salesUserIds',
			Support: 'supportUserIds',
			'Front desk': 'frontDeskUserIds',
		};
		const expected = new Map<string, string | undefined>();
		for (const team of Object.keys(field)) {
			let people = ids(teams[field[team]] ?? '').filter((id) => !away.includes(id));
			if (!people.length) people = ids(teams.frontDeskUserIds ?? '').filter((id) => !away.includes(id));
			let turn = 0;
			for (const item of routed.filter((entry) => entry.team === team)) {
				if (!people.length) expected.set(item.conversationId, item.assignedTo);
				else if (people.includes(item.assignedTo ?? '')) expected.set(item.conversationId, item.assignedTo);
				else expected.set(item.conversationId, people[(rotationStart + turn++) % people.length]);
			}
		}
		return expected;
	}

	const OUTPUTS = [
		'Billing (keyword)',
		'Sales (keyword)',
		'Support (keyword)',
		'Billing (assignee)',
		'Sales (assignee, social)',
		'Support (assignee, chat)',
		'Front desk',
	];
	const TEAM_EMAIL: Record<string, string> = {
		Billing: 'billing@example.com',
		Sales: 'sales@example.com',
		Support: 'support@example.com',
		'Front desk': 'frontdesk@example.com',
	};

	it('routes every unread inbound conversation, acknowledges, stars, keeps unread and notifies the team', async () => {
		await startSandbox();
		// Messages without keywords: routed by metadata (assignee, channel) or to the front desk.
		const seeded = sandbox.state.listConversations();
		const salesOwned = seeded.find((c) => c.assignedTo === 'user-sales' && c.channel === 'SMS') as Conversation;
		const unassigned = seeded.find((c) => !c.assignedTo && c.channel === 'SMS') as Conversation;
		const liveChat = seeded.find(
			(c) => c.channel === 'LiveChat' && c.assignedTo !== 'user-billing' && c.assignedTo !== 'user-sales',
		) as Conversation;
		sandbox.state.addMessage(salesOwned, { direction: 'inbound', messageType: 'TYPE_SMS', body: 'Hello, are you there?' });
		sandbox.state.addMessage(unassigned, { direction: 'inbound', messageType: 'TYPE_SMS', body: 'Who is this?' });
		sandbox.state.addMessage(liveChat, { direction: 'inbound', messageType: 'TYPE_LIVE_CHAT', body: 'Hi!' });

		const waiting = sandbox.state.listConversations().filter((c) => c.unreadCount > 0 && c.lastMessageDirection === 'inbound');
		const reviews = waiting.filter((c) => c.lastMessageType === 'TYPE_REVIEW');
		const answerable = waiting.filter((c) => c.lastMessageType !== 'TYPE_REVIEW');
		const lastBefore = new Map(waiting.map((c) => [c.id, { type: c.lastMessageType, body: c.lastMessageBody }]));
		const assigneeBefore = new Map(waiting.map((c) => [c.id, c.assignedTo]));
		const before = messageIds();
		const workflow = configured(100);
		const result = await runWorkflow(workflow, { credentials });

		expect(result.error).toBeUndefined();
		expect(waiting.length).toBeLessThanOrEqual(100);
		expect(result.json('Unread inbound conversations')).toHaveLength(waiting.length);
		expect(
			result
				.json('Has a reply channel')
				.map((item) => item.conversationId)
				.sort(),
		).toEqual(answerable.map((c) => c.id).sort());

		const routedTo = new Map<string, string>();
		OUTPUTS.forEach((output, index) => {
			for (const item of result.json('Route by keywords and metadata', index)) routedTo.set(String(item.conversationId), output);
		});
		expect(routedTo.size).toBe(answerable.length);
		expect(routedTo.get(salesOwned.id)).toBe('Sales (assignee, social)');
		expect(routedTo.get(unassigned.id)).toBe('Front desk');
		expect(routedTo.get(liveChat.id)).toBe('Support (assignee, chat)');
		expect(new Set(routedTo.values()).size).toBeGreaterThanOrEqual(5);

		// Every routed conversation is assigned to its team's person, as the sandbox now has it.
		const routed: Array<{ team: string; conversationId: string; assignedTo?: string }> = [];
		OUTPUTS.forEach((output, index) => {
			for (const item of result.json('Route by keywords and metadata', index)) {
				routed.push({
					team: output.replace(/ \(.*\)$/, ''),
					conversationId: String(item.conversationId),
					assignedTo: assigneeBefore.get(String(item.conversationId)),
				});
			}
		});
		const assignees = expectedAssignees(TEAMS, 0, routed);
		expect(assignees.size).toBe(answerable.length);
		for (const conversation of answerable) {
			expect([conversation.id, sandbox.state.conversation(conversation.id)?.assignedTo]).toEqual([
				conversation.id,
				assignees.get(conversation.id),
			]);
		}
		// Nobody away got one; the support queue was shared in turn between the two available people.
		expect([...assignees.values()]).not.toContain('user-support-2');
		const newSupport = routed.filter(
			(item) => item.team === 'Support' && !['user-support', 'user-support-3'].includes(item.assignedTo ?? ''),
		);
		expect(newSupport.length).toBeGreaterThanOrEqual(2);
		expect(newSupport.slice(0, 3).map((item) => assignees.get(item.conversationId))).toEqual(
			['user-support', 'user-support-3', 'user-support'].slice(0, Math.min(3, newSupport.length)),
		);
		// The front desk's person got the unassigned SMS, and the search's assignedTo filter finds it.
		expect(sandbox.state.conversation(unassigned.id)?.assignedTo).toBe('user-sales-2');

		for (const conversation of answerable) {
			const route = routedTo.get(conversation.id) as string;
			const { type, body } = lastBefore.get(conversation.id) as { type: string; body: string };
			expect(route).toBe(
				expectedRoute(workflow, {
					...conversation,
					assignedTo: assigneeBefore.get(conversation.id),
					lastMessageType: type,
					lastMessageBody: body,
				}),
			);
			const team = route.replace(/ \(.*\)$/, '');
			// Acknowledged on the conversation's channel, with the team's text.
			const added = newMessages(before, conversation.id);
			expect(added).toHaveLength(1);
			expect(added[0]).toMatchObject({ direction: 'outbound', messageType: SENT_TYPE[type] });
			const contact = sandbox.state.contact(conversation.contactId);
			expect(added[0].body).toContain(`Hi ${contact?.firstName ?? 'there'}, thanks for`);
			if (team !== 'Front desk') expect(added[0].body.toLowerCase()).toContain(`our ${team.toLowerCase()} team`);
			// Starred and still unread.
			expect(conversation.starred).toBe(true);
			expect(conversation.unreadCount).toBeGreaterThan(0);
			// The team's contact got an email about it, with the customer's words and the link.
			const teamContact = sandbox.state.contactByEmail(TEAM_EMAIL[team]);
			expect(teamContact).toBeDefined();
			const notes = messagesOf(sandbox.state.conversationOfContact(teamContact!.id)!.id);
			const note = notes.find((message) => message.body.includes(`/conversations/conversations/${conversation.id}`));
			expect(note).toMatchObject({ direction: 'outbound', messageType: 'TYPE_EMAIL' });
			expect(note?.body).toContain(body.replace(/\s+$/, '').slice(0, 30));
			expect(sandbox.state.email(String(note?.emailId))?.subject).toBe(`[${team}] ${contact?.name} wrote`);
		}
		// Reviews are left alone.
		for (const review of reviews) expect(newMessages(before, review.id)).toEqual([]);
		// One team contact per team (the upsert finds it again), named after the team.
		for (const [team, email] of Object.entries(TEAM_EMAIL)) {
			const contact = sandbox.state.contactByEmail(email);
			if (contact) expect(contact.name).toBe(`${team} team`);
		}

		// The next run has nothing left: the routed conversations' last messages are outbound.
		const again = await runWorkflow(workflow, { credentials });
		expect(again.error).toBeUndefined();
		expect(again.json('Has a reply channel')).toEqual([]);
	});

	it('a team with everybody away hands over to the front desk; with nobody there either, nothing is assigned and the note says so', async () => {
		await startSandbox();
		const teams = { ...TEAMS, supportUserIds: 'user-support-2', frontDeskUserIds: '', awayUserIds: 'user-support-2' };
		const waiting = sandbox.state.listConversations().filter((c) => c.unreadCount > 0 && c.lastMessageDirection === 'inbound');
		const assigneeBefore = new Map(waiting.map((c) => [c.id, c.assignedTo]));
		const result = await runWorkflow(configured(100, teams, 1), { credentials });

		expect(result.error).toBeUndefined();
		const routed: Array<{ team: string; conversationId: string; assignedTo?: string }> = [];
		OUTPUTS.forEach((output, index) => {
			for (const item of result.json('Route by keywords and metadata', index)) {
				routed.push({
					team: output.replace(/ \(.*\)$/, ''),
					conversationId: String(item.conversationId),
					assignedTo: assigneeBefore.get(String(item.conversationId)),
				});
			}
		});
		const support = routed.filter((item) => item.team === 'Support');
		expect(support.length).toBeGreaterThan(0);
		const assignees = expectedAssignees(teams, 1, routed);
		for (const item of routed)
			expect([item.conversationId, sandbox.state.conversation(item.conversationId)?.assignedTo]).toEqual([
				item.conversationId,
				assignees.get(item.conversationId),
			]);
		// Support conversations kept whoever had them (nobody of support or the front desk is available); their notes say so.
		for (const item of support) expect(sandbox.state.conversation(item.conversationId)?.assignedTo).toBe(item.assignedTo);
		const supportContact = sandbox.state.contactByEmail('support@example.com');
		const notes = messagesOf(sandbox.state.conversationOfContact(supportContact!.id)!.id);
		expect(notes.filter((note) => note.body.includes('Nobody of the team is available: it is not assigned.'))).toHaveLength(support.length);
		// The front desk has nobody either: its conversations are not assigned; all others are.
		expect(result.json('Assign to team member')).toHaveLength(
			routed.filter((item) => !['Support', 'Front desk'].includes(item.team)).length,
		);
	});

	it('handles at most maxConversations, oldest first', async () => {
		await startSandbox();
		const waiting = sandbox.state
			.listConversations()
			.filter((c) => c.unreadCount > 0 && c.lastMessageDirection === 'inbound')
			.sort((a, b) => a.lastMessageDate - b.lastMessageDate);
		const result = await runWorkflow(configured(5), { credentials });

		expect(result.error).toBeUndefined();
		expect(result.json('Unread inbound conversations').map((c) => c.id)).toEqual(waiting.slice(0, 5).map((c) => c.id));
	});
});

describe('ablefy-sale-welcome', () => {
	function configured(): WorkflowJson {
		return withFields(loadTemplate('ablefy-sale-welcome'), 'Config', { apiBaseUrl: baseUrl, locationId: sandbox.locationId });
	}

	const webhookItem = (body: IDataObject) => ({
		headers: { 'content-type': 'application/json' },
		params: {},
		query: {},
		body,
		webhookUrl: 'http://localhost:5678/webhook/ablefy-sale',
		executionMode: 'production',
	});

	it('the webhook listens for POST /ablefy-sale', () => {
		const hook = loadTemplate('ablefy-sale-welcome').nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
		expect(hook?.parameters).toMatchObject({ httpMethod: 'POST', path: 'ablefy-sale' });
		expect(hook?.webhookId).toEqual(expect.any(String));
	});

	it('a new buyer: upserts the contact, creates the conversation, sends the welcome email', async () => {
		await startSandbox();
		const payment = loadSample('ablefy-payment');
		const payer = payment.payer as IDataObject;
		const result = await runWorkflow(configured(), { credentials, triggerItems: [webhookItem(payment)] });

		expect(result.error).toBeUndefined();
		const contact = sandbox.state.contactByEmail(String(payer.email));
		expect(contact).toMatchObject({
			firstName: payer.first_name,
			lastName: payer.last_name,
			name: `${payer.first_name} ${payer.last_name}`,
			phone: payer.phone,
		});
		expect(result.json('Upsert contact')[0]).toMatchObject({ new: true, contact: { id: contact?.id } });
		expect(result.json("Find buyer's conversation")).toEqual([{}]);
		expect(result.json('Conversation found?', 0)).toEqual([]);

		const conversation = sandbox.state.conversationOfContact(String(contact?.id)) as Conversation;
		expect(result.json('Create conversation')[0]).toMatchObject({ id: conversation.id, contactId: conversation.contactId });
		const messages = messagesOf(conversation.id);
		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({ direction: 'outbound', messageType: 'TYPE_EMAIL' });
		expect(messages[0].body).toContain('thank you for buying Online Marketing Masterclass (order 9184402)');
		expect(messages[0].body).toMatch(/^Hi Lena,/);
		const email = sandbox.state.email(String(messages[0].emailId));
		expect(email?.subject).toBe('Welcome to Online Marketing Masterclass!');
		expect(email?.to).toEqual([payer.email]);
		expect(result.json('Send welcome email')[0]).toMatchObject({ conversationId: conversation.id, messageId: messages[0].id });
	});

	it('a known buyer with a conversation: finds it and welcomes there, without a second contact', async () => {
		await startSandbox();
		const existing = sandbox.state.listConversations().find((c) => {
			const contact = sandbox.state.contact(c.contactId);
			return c.type === 'TYPE_PHONE' && contact?.email && contact.firstName;
		}) as Conversation;
		const known = sandbox.state.contact(existing.contactId)!;
		const contactsBefore = sandbox.state.listConversations().length;
		const payment = {
			...loadSample('ablefy-payment'),
			payer: { email: known.email, first_name: known.firstName, last_name: known.lastName, phone: '' },
		};
		const before = messageIds();
		const result = await runWorkflow(configured(), { credentials, triggerItems: [webhookItem(payment)] });

		expect(result.error).toBeUndefined();
		expect(result.json('Upsert contact')[0]).toMatchObject({ new: false, contact: { id: known.id } });
		expect(result.json("Find buyer's conversation")[0]).toMatchObject({ id: existing.id });
		expect(result.executed).not.toContain('Create conversation');
		expect(sandbox.state.listConversations()).toHaveLength(contactsBefore);
		const added = newMessages(before, existing.id);
		expect(added).toHaveLength(1);
		expect(added[0]).toMatchObject({ direction: 'outbound', messageType: 'TYPE_EMAIL' });
		expect(sandbox.state.email(String(added[0].emailId))?.subject).toBe('Welcome to Online Marketing Masterclass!');
	});

	it('also reads ablefy form fields (payer[email], product[name])', async () => {
		await startSandbox();
		const form = {
			event: 'payment.successful',
			order_id: '9184777',
			amount: '49.00',
			currency: 'EUR',
			'product[name]': 'Yoga Basics',
			'payer[email]': 'Max.Muster@Example.com ',
			'payer[first_name]': 'Max',
			'payer[last_name]': 'Muster',
		};
		const result = await runWorkflow(configured(), { credentials, triggerItems: [webhookItem(form)] });

		expect(result.error).toBeUndefined();
		const contact = sandbox.state.contactByEmail('max.muster@example.com');
		expect(contact).toMatchObject({ firstName: 'Max', lastName: 'Muster' });
		const conversation = sandbox.state.conversationOfContact(String(contact?.id)) as Conversation;
		const [message] = messagesOf(conversation.id);
		expect(sandbox.state.email(String(message.emailId))?.subject).toBe('Welcome to Yoga Basics!');
	});
});
