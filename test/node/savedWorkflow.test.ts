/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads (and, on request, writes) its fixture files. */
/**
 * Saved workflows keep working: `test/fixtures/saved-workflow.json` is a workflow saved with the
 * node as it was before the layout change (one node per operation, its parameters as n8n's editor
 * stores them: `NodeHelpers.getNodeParameters`, defaults left out), and
 * `saved-workflow.expected.json` holds what each node sent and output then. Each node is run
 * through n8n-core's WorkflowExecute with the node of today and must send the same requests and
 * output the same items.
 *
 * Both files were made once from the code of `main` before the change, with
 * `UPDATE_SAVED_WORKFLOW=1 ./dev test -- test/node/savedWorkflow.test.ts` (never regenerate them
 * to make this test pass: that would defeat it).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { runNode } from '../support/engine';
import type { WorkflowJson } from '../support/workflow';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const WORKFLOW_FILE = path.join(FIXTURES, 'saved-workflow.json');
const EXPECTED_FILE = path.join(FIXTURES, 'saved-workflow.expected.json');

/** The input item of every node: expressions in the saved parameters read it. */
const INPUT: INodeExecutionData = {
	json: { conversationId: 'conv/1', contactId: 'contact-1', messageId: 'msg-1', text: 'Hello from a saved workflow' },
	binary: {
		data: { data: Buffer.from('file bytes').toString('base64'), mimeType: 'text/plain', fileName: 'a.txt' },
	},
};

/** One answer for every request, with the shapes the operations read (lists, wrappers). */
const ANSWER = {
	id: 'answer-1',
	success: true,
	conversation: { id: 'conv-1', unreadCount: 0 },
	conversations: [
		{ id: 'conv-1', sort: [1700000000000] },
		{ id: 'conv-2', sort: [1700000000001] },
	],
	messages: [{ id: 'msg-1' }, { id: 'msg-2' }],
	message: { id: 'msg-1', body: 'hi' },
	total: 2,
};

interface Exchange {
	method: string;
	path: string;
	version?: string;
	body?: unknown;
}

interface Outcome {
	requests: Exchange[];
	items: IDataObject[];
	error?: string;
}

function normalizedBody(body: string | undefined, contentType: string | undefined): unknown {
	if (body === undefined || body === '') return undefined;
	const boundary = /boundary=([^;]+)/.exec(contentType ?? '')?.[1];
	if (boundary) return body.split(boundary).join('BOUNDARY');
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

async function runSaved(node: INode): Promise<Outcome> {
	const requests: Exchange[] = [];
	const scope = nock('https://services.leadconnectorhq.com').persist();
	for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
		scope
			.intercept(() => true, method)
			.reply(function (uri, body) {
				const header = (name: string) => {
					const value = this.req.headers[name];
					return Array.isArray(value) ? value.join(',') : (value as string | undefined);
				};
				requests.push({
					method: this.req.method ?? method,
					path: uri,
					version: header('version'),
					body: normalizedBody(typeof body === 'string' ? body : JSON.stringify(body), header('content-type')),
				});
				return [200, ANSWER];
			});
	}
	const { items, error } = await runNode({ parameters: node.parameters, nodeName: node.name, input: [INPUT] });
	nock.cleanAll();
	return {
		requests,
		items: items.map((item) => ({
			json: item.json,
			...(item.binary
				? {
						binary: Object.fromEntries(
							Object.entries(item.binary).map(([key, data]) => [
								key,
								{ mimeType: data.mimeType, fileName: data.fileName, data: data.data },
							]),
						),
					}
				: {}),
		})),
		...(error ? { error: error.message } : {}),
	};
}

const workflow = JSON.parse(readFileSync(WORKFLOW_FILE, 'utf8')) as WorkflowJson;
const nodes = workflow.nodes.filter((node) => node.type.endsWith('.conversationsApi'));

describe('A workflow saved with the node before the layout change', () => {
	const update = process.env.UPDATE_SAVED_WORKFLOW === '1' || !existsSync(EXPECTED_FILE);
	const expected: Record<string, Outcome> = update ? {} : JSON.parse(readFileSync(EXPECTED_FILE, 'utf8'));

	it('covers every operation of the node', () => {
		const operations = new Set(nodes.map((node) => `${node.parameters.resource}.${node.parameters.operation}`));
		expect(operations.size).toBe(30);
	});

	it.each(nodes.map((node) => [node.name, node] as const))('%s sends the same requests and outputs the same items', async (_name, node) => {
		const outcome = await runSaved(node);
		if (update) {
			expected[node.name] = outcome;
			writeFileSync(EXPECTED_FILE, `${JSON.stringify(expected, null, '\t')}\n`);
			return;
		}
		expect(outcome).toEqual(expected[node.name]);
		// A saved workflow that did something must still do something (not an error of the new code).
		expect(outcome.requests.length + (outcome.error ? 0 : 1)).toBeGreaterThan(0);
	});
});
