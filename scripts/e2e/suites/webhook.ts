/* eslint-disable @n8n/community-nodes/no-restricted-imports -- e2e harness (dev tool, never shipped): reads package.json, signs with node:crypto */
/**
 * The webhook trigger in real n8n: an active workflow receives HighLevel-style events signed with
 * Ed25519 (a key pair of the harness; its public key goes into the node's Public Key field) over
 * n8n's own HTTP stack. Duplicates and retries start no second execution; a tampered event gets
 * 401 and no execution. In queue mode the deliveries are spread over the main and the webhook
 * process. Plugged in only when the package has the webhook trigger node; pending otherwise.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../install';
import { isDone, outputItems, type N8nApi, type Workflow } from '../n8n';
import { sleep, waitFor } from '../proc';
import { expect, type Report } from '../report';
import { PACKAGE } from '../workflows';
import type { RunningN8n } from './regular';
import type { RunningQueue } from './queue';

/** The webhook trigger node's type, when package.json names it. */
export function webhookTriggerType(): string | undefined {
	const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
	const file = pkg.n8n.nodes.find((entry) => /WebhookTrigger\.node\.js$/.test(entry));
	if (!file) return undefined;
	const className = path.basename(file, '.node.js');
	return `${PACKAGE}.${className[0].toLowerCase()}${className.slice(1)}`;
}

export const PENDING_CHECKS = [
	'webhook trigger (active): signed events, duplicates → one execution per webhookId; tampered → 401, no execution',
	'webhook trigger in queue mode: deliveries and retries spread over main + webhook process → one execution per webhookId',
];

const keys = generateKeyPairSync('ed25519');
const PUBLIC_KEY = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

interface Delivery {
	webhookId: string;
	body: string;
	signature: string;
}

function signedEvent(locationId: string, index: number): Delivery {
	const webhookId = randomUUID();
	const body = JSON.stringify({
		type: 'InboundMessage',
		locationId,
		attachments: [],
		body: `e2e webhook event #${index}`,
		contactId: `e2e-contact-${index}`,
		contentType: 'text/plain',
		conversationId: `e2e-conversation-${index}`,
		dateAdded: new Date().toISOString(),
		direction: 'inbound',
		messageType: 'SMS',
		messageId: `e2e-message-${index}`,
		status: 'delivered',
		webhookId,
		timestamp: new Date().toISOString(),
	});
	return { webhookId, body, signature: sign(null, Buffer.from(body), keys.privateKey).toString('base64') };
}

async function deliver(url: string, delivery: Delivery, body = delivery.body): Promise<number> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ghl-signature': delivery.signature }, body });
	await response.arrayBuffer();
	return response.status;
}

function webhookWorkflow(type: string, webhookId: string) {
	return {
		name: 'e2e: HighLevel webhook events',
		nodes: [
			{
				id: 'e2e10000-0000-4000-8000-000000000001',
				name: 'HighLevel event',
				type,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { events: ['InboundMessage'], verification: 'highLevelSignature', publicKey: PUBLIC_KEY },
			},
			{ id: 'e2e10000-0000-4000-8000-000000000002', name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { 'HighLevel event': { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** webhookId → how many executions carried it, once every execution of the workflow finished. */
async function executionsByWebhookId(api: N8nApi, workflow: Workflow, atLeast: number): Promise<{ count: number; byId: Map<string, number> }> {
	const list = await waitFor(`${atLeast} webhook executions`, async () => {
		const executions = await api.executions(workflow.id);
		return executions.length >= atLeast && executions.every(isDone) ? executions : undefined;
	}, 120_000, 1000);
	await sleep(3000);
	const settled = await api.executions(workflow.id);
	const byId = new Map<string, number>();
	for (const summary of settled) {
		const execution = await api.execution(summary.id);
		for (const item of outputItems(execution, 'HighLevel event')) byId.set(String(item.webhookId), (byId.get(String(item.webhookId)) ?? 0) + 1);
	}
	void list;
	return { count: settled.length, byId };
}

async function webhookScenario(options: {
	api: N8nApi;
	type: string;
	locationId: string;
	credentialId: string;
	/** Where to deliver: the first copy of each event goes to urls[0], retries round-robin. */
	baseUrls: string[];
	report: Report;
	suite: string;
	name: string;
}): Promise<void> {
	const { api, report, suite } = options;
	await report.check(suite, options.name, async () => {
		const nodeWebhookId = randomUUID();
		const workflow = await api.createWorkflow(webhookWorkflow(options.type, nodeWebhookId));
		await api.activate(workflow);
		const urls = options.baseUrls.map((base) => `${base}/webhook/${nodeWebhookId}/highlevel`);
		const events = Array.from({ length: 5 }, (_, index) => signedEvent(options.locationId, index));
		// The webhook process learns of the activation from the database: the first delivery may need a moment.
		await waitFor('the webhook URL to answer', async () => ((await deliver(urls[0], events[0])) === 200 ? true : undefined), 60_000, 1000);
		const statuses: number[] = [];
		// Each event three times more: two at once (concurrent duplicates), one retry later, over every URL.
		for (const [index, event] of events.entries()) {
			const first = index === 0 ? [] : [deliver(urls[index % urls.length], event), deliver(urls[index % urls.length], event)];
			statuses.push(...(await Promise.all(first)));
		}
		await sleep(2000);
		for (const [index, event] of events.entries()) {
			for (const url of urls) statuses.push(await deliver(url, event));
			void index;
		}
		const tampered = signedEvent(options.locationId, 99);
		const tamperedStatuses = await Promise.all(urls.map(async (url) => await deliver(url, tampered, tampered.body.replace('#99', '#98'))));
		const { count, byId } = await executionsByWebhookId(api, workflow, events.length);
		await api.deactivate(workflow);

		const deliveries = statuses.length + 1;
		const twice = events.filter((event) => (byId.get(event.webhookId) ?? 0) > 1).length;
		const missing = events.filter((event) => !byId.has(event.webhookId)).length;
		const figures = `${events.length} events, ${deliveries} deliveries over ${urls.length} process(es) (answers ${[...new Set(statuses)].join('/')}), ${count} executions, ${twice} events run twice, ${missing} missed; tampered → ${tamperedStatuses.join('/')}, ${byId.has(tampered.webhookId) ? 'RAN' : 'no execution'}`;
		expect(statuses.every((status) => status === 200), `a genuine delivery was not answered 200: ${figures}`);
		expect(tamperedStatuses.every((status) => status === 401) && !byId.has(tampered.webhookId), `tampered event: ${figures}`);
		expect(count === events.length && twice === 0 && missing === 0, figures);
		return figures;
	});
}

export async function webhookRegularChecks(n8n: RunningN8n, type: string): Promise<void> {
	await webhookScenario({
		api: n8n.api,
		type,
		locationId: n8n.sandbox.locationId,
		credentialId: n8n.credentialId,
		baseUrls: [n8n.n8nUrl],
		report: n8n.report,
		suite: n8n.suite,
		name: PENDING_CHECKS[0],
	});
}

export async function webhookQueueChecks(queue: RunningQueue, type: string): Promise<void> {
	await webhookScenario({
		api: queue.api,
		type,
		locationId: queue.sandbox.locationId,
		credentialId: queue.credentialId,
		baseUrls: queue.webhookUrls,
		report: queue.report,
		suite: queue.suite,
		name: PENDING_CHECKS[1],
	});
}
