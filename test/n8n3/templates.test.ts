/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the templates and the package's source files. */
/**
 * n8n 3.0 removes node types, a node version, an Execute Workflow mode and an expression function
 * (docs/n8n-3.md). A template that uses any of them would not run there: this test fails then, and
 * shows on a broken copy that it would.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** What n8n 3.0 removes, as it shows in a saved workflow. */
const REMOVED_NODE_TYPES: Record<string, string> = {
	'n8n-nodes-base.function': 'the Function node',
	'n8n-nodes-base.functionItem': 'the Function Item node',
	'n8n-nodes-base.itemLists': 'the Item Lists node',
	'@n8n/n8n-nodes-langchain.code': 'the LangChain Code node',
};
const AI_AGENT = '@n8n/n8n-nodes-langchain.agent';
const EXECUTE_WORKFLOW = 'n8n-nodes-base.executeWorkflow';
const REMOVED_EXPRESSIONS = ['$getPairedItem'];

interface SavedNode {
	name: string;
	type: string;
	typeVersion?: number;
	parameters?: Record<string, unknown>;
}

/** Every string in a node's parameters (expressions, code), however deep. */
function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
	return [];
}

/** What in a workflow n8n 3.0 removes; empty when it runs there as far as this can tell. */
function removedIn3(workflow: { nodes: SavedNode[] }): string[] {
	const problems: string[] = [];
	for (const node of workflow.nodes) {
		const removed = REMOVED_NODE_TYPES[node.type];
		if (removed) problems.push(`"${node.name}" is ${removed} (${node.type})`);
		if (node.type === AI_AGENT && (node.typeVersion ?? 1) < 2) problems.push(`"${node.name}" is AI Agent version ${node.typeVersion ?? 1}`);
		if (node.type === EXECUTE_WORKFLOW && node.parameters?.mode === 'each') problems.push(`"${node.name}" runs once for each item`);
		for (const expression of REMOVED_EXPRESSIONS) {
			if (strings(node.parameters).some((text) => text.includes(expression))) problems.push(`"${node.name}" uses ${expression}`);
		}
	}
	return problems;
}

const templates = readdirSync(path.join(root, 'templates')).filter((file) => file.endsWith('.json'));

describe('n8n 3.0: what the templates and the package use', () => {
	it.each(templates)('templates/%s uses nothing n8n 3.0 removes', (file) => {
		const workflow = JSON.parse(readFileSync(path.join(root, 'templates', file), 'utf8'));
		expect(workflow.nodes.length).toBeGreaterThan(0);
		expect(removedIn3(workflow)).toEqual([]);
	});

	it('catches each removed thing in a broken copy of a template', () => {
		const workflow = JSON.parse(readFileSync(path.join(root, 'templates/instant-reply.json'), 'utf8')) as { nodes: SavedNode[] };
		const broken = {
			nodes: [
				...workflow.nodes,
				{ name: 'Old code', type: 'n8n-nodes-base.function', typeVersion: 1, parameters: { functionCode: 'return items;' } },
				{ name: 'Per item', type: 'n8n-nodes-base.functionItem', typeVersion: 1, parameters: {} },
				{ name: 'Lists', type: 'n8n-nodes-base.itemLists', typeVersion: 3, parameters: {} },
				{ name: 'Chain code', type: '@n8n/n8n-nodes-langchain.code', typeVersion: 1, parameters: {} },
				{ name: 'Agent', type: AI_AGENT, typeVersion: 1.7, parameters: {} },
				{ name: 'Agent 2', type: AI_AGENT, typeVersion: 2.2, parameters: {} },
				{ name: 'Sub-workflow', type: EXECUTE_WORKFLOW, typeVersion: 1.2, parameters: { mode: 'each' } },
				{ name: 'Sub-workflow once', type: EXECUTE_WORKFLOW, typeVersion: 1.2, parameters: { mode: 'once' } },
				{
					name: 'Paired',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: { assignments: { assignments: [{ value: '={{ $getPairedItem("A", 0).json.id }}' }] } },
				},
			],
		};
		expect(removedIn3(broken)).toEqual([
			'"Old code" is the Function node (n8n-nodes-base.function)',
			'"Per item" is the Function Item node (n8n-nodes-base.functionItem)',
			'"Lists" is the Item Lists node (n8n-nodes-base.itemLists)',
			'"Chain code" is the LangChain Code node (@n8n/n8n-nodes-langchain.code)',
			'"Agent" is AI Agent version 1.7',
			'"Sub-workflow" runs once for each item',
			'"Paired" uses $getPairedItem',
		]);
	});

	it("the package's nodes and credentials use no removed expression and no in-memory binary data", () => {
		const sources = (dir: string): string[] =>
			readdirSync(dir).flatMap((name) => {
				const file = path.join(dir, name);
				return statSync(file).isDirectory() ? sources(file) : file.endsWith('.ts') ? [file] : [];
			});
		const files = [...sources(path.join(root, 'nodes')), ...sources(path.join(root, 'credentials'))];
		expect(files.length).toBeGreaterThan(50);
		for (const file of files) {
			const text = readFileSync(file, 'utf8');
			for (const expression of REMOVED_EXPRESSIONS) expect({ file, uses: text.includes(expression) }).toEqual({ file, uses: false });
			// Files are read and written through n8n's helpers (getBinaryDataBuffer, prepareBinaryData),
			// never by decoding an item's `data` as base64, which holds only an ID outside memory mode.
			expect({ file, decodes: /BINARY_ENCODING|\.data,\s*'base64'/.test(text) }).toEqual({ file, decodes: false });
		}
	});
});
