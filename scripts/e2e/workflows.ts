/* eslint-disable @n8n/community-nodes/no-restricted-imports -- e2e harness (dev tool, never shipped): reads the templates */
/** Workflows the harness imports: the templates (configured like ./dev demo) and its own small ones. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './install';

export const PACKAGE = 'n8n-nodes-conversations-api';
export const ACTION_NODE = `${PACKAGE}.conversationsApi`;
export const TRIGGER_NODE = `${PACKAGE}.conversationsApiTrigger`;
export const CREDENTIAL_TYPE = 'conversationsApi';
export const CREDENTIAL_NAME = 'Conversations API account';

export type WorkflowJson = {
	name: string;
	nodes: Array<
		Record<string, unknown> & {
			name: string;
			type: string;
			parameters: Record<string, unknown>;
			credentials?: Record<string, { id?: string; name: string }>;
		}
	>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
};

export function loadTemplate(name: string): WorkflowJson {
	return JSON.parse(readFileSync(path.join(REPO, 'templates', `${name}.json`), 'utf8')) as WorkflowJson;
}

export function loadSample(name: string): Record<string, unknown> {
	return JSON.parse(readFileSync(path.join(REPO, 'templates', 'samples', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** Sets fields of a Set node, as a user configures a template after importing it. */
export function withFields(workflow: WorkflowJson, nodeName: string, values: Record<string, string | number | boolean>): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	const node = copy.nodes.find((candidate) => candidate.name === nodeName);
	const assignments = (node?.parameters.assignments as { assignments?: Array<{ name: string; value: unknown }> } | undefined)?.assignments;
	if (!assignments) throw new Error(`${copy.name}: no Set node "${nodeName}"`);
	for (const [name, value] of Object.entries(values)) {
		const field = assignments.find((assignment) => assignment.name === name);
		if (!field) throw new Error(`${copy.name}: "${nodeName}" has no field "${name}"`);
		field.value = value;
	}
	return copy;
}

/**
 * Points every node that uses the credential type at the one created in n8n (as picking it in the
 * editor does); the package's nodes without any credential get the Private Integration Token one.
 */
export function withCredential(workflow: WorkflowJson, credentialId: string, type = CREDENTIAL_TYPE, name = CREDENTIAL_NAME): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	for (const node of copy.nodes) {
		const ours = node.type === ACTION_NODE || node.type === TRIGGER_NODE;
		if (node.credentials?.[type] || (type === CREDENTIAL_TYPE && ours && Object.keys(node.credentials ?? {}).length === 0)) {
			node.credentials = { ...(node.credentials ?? {}), [type]: { id: credentialId, name } };
		}
	}
	return copy;
}

let nodeCounter = 0;
/** A workflow node as the editor saves it (a unique ID, laid out left to right). */
export function node(
	name: string,
	type: string,
	typeVersion: number,
	parameters: Record<string, unknown>,
	extra: Record<string, unknown> = {},
) {
	nodeCounter += 1;
	const id = `e2e00000-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`;
	return { id, name, type, typeVersion, position: [nodeCounter * 220, 0], parameters, ...extra };
}

/** Conversations API Trigger (New Message, inbound, every minute) → No Operation. */
export function pollingWorkflow(): WorkflowJson {
	return {
		name: 'e2e: new inbound messages',
		nodes: [
			node('New message', TRIGGER_NODE, 1, { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'newMessage' }),
			node('Received', 'n8n-nodes-base.noOp', 1, {}),
		],
		connections: { 'New message': { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** Webhook (answers at once) → Split Out `messages` → Message › Send (SMS to one contact), default settings. */
export function sendWorkflow(path: string, contactId: string): WorkflowJson {
	return {
		name: 'e2e: send many',
		nodes: [
			node(
				'Batch',
				'n8n-nodes-base.webhook',
				2,
				{ httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
				{ webhookId: `e2e-${path}` },
			),
			node('One item per message', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.messages', options: {} }),
			node('Send', ACTION_NODE, 1, { resource: 'message', operation: 'send', type: 'SMS', contactId, message: '={{ $json.text }}' }),
		],
		connections: {
			Batch: { main: [[{ node: 'One item per message', type: 'main', index: 0 }]] },
			'One item per message': { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}
