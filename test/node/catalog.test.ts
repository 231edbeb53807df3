/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the project's catalog and README files. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeTypeDescription } from 'n8n-workflow';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import { API_VERSION, API_VERSION_V3 } from '../../nodes/ConversationsApi/shared/constants';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { listOperations, renderTable } = require('../../scripts/operations.js');

interface CatalogRow {
	number: number;
	method: string;
	path: string;
	operationId: string;
	version: string;
}

interface NodeOperation {
	resource: string;
	operation: string;
	method: string;
	path: string;
	version: string;
}

const root = path.resolve(__dirname, '../..');
const catalogFile = path.resolve(root, '../shared/catalog.md');

function readCatalog(): CatalogRow[] {
	const rows: CatalogRow[] = [];
	for (const line of readFileSync(catalogFile, 'utf8').split('\n')) {
		const match = /^\| (\d+) \| `([A-Z]+) ([^`]+)` \| ([\w-]+) \|.*\| ([^|]+) \|\s*$/.exec(line);
		if (!match) continue;
		rows.push({
			number: Number(match[1]),
			method: match[2],
			path: match[3],
			operationId: match[4],
			version: /Version: v3/.test(match[5]) ? API_VERSION_V3 : API_VERSION,
		});
	}
	return rows;
}

/** `{anyName}` placeholders are the same path whatever they are called. */
const shape = (method: string, urlPath: string) => `${method} ${urlPath.replace(/\{[^}]+\}/g, '{}')}`;

/** Catalog rows that no operation of the description serves (same method, path and version). */
function missingRows(catalog: CatalogRow[], description: INodeTypeDescription): CatalogRow[] {
	const served = new Set(
		(listOperations(description) as NodeOperation[]).map((op) => `${shape(op.method, op.path)} ${op.version}`),
	);
	return catalog.filter((row) => !served.has(`${shape(row.method, row.path)} ${row.version}`));
}

describe('Catalog coverage', () => {
	const catalog = readCatalog();
	const description = new ConversationsApi().description;

	it('reads all 30 rows of ../shared/catalog.md', () => {
		expect(catalog).toHaveLength(30);
		expect(catalog.map((row) => row.number)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
	});

	it('every catalog row is an operation of the node, with its method, path and API version', () => {
		const missing = missingRows(catalog, description).map(
			(row) => `#${row.number} ${row.method} ${row.path} (${row.operationId})`,
		);
		expect(missing).toEqual([]);
	});

	it('the check fails when an operation is taken out of the node', () => {
		const withoutSend: INodeTypeDescription = {
			...description,
			properties: description.properties.map((property) =>
				property.name === 'operation' && property.options
					? {
							...property,
							options: property.options.filter(
								(option) => !('value' in option && option.value === 'send' && property.displayOptions?.show?.resource?.includes('message')),
							),
						}
					: property,
			),
		};
		expect(missingRows(catalog, withoutSend).map((row) => row.operationId)).toEqual(['send-a-new-message']);
	});

	it('every operation has its own engine test file, test/<resource>/<operation>.test.ts', () => {
		const withoutTest = (listOperations(description) as NodeOperation[])
			.map((op) => `test/${op.resource}/${op.operation}.test.ts`)
			.filter((file) => !existsSync(path.join(root, file)));
		expect(withoutTest).toEqual([]);
	});

	it('the README operations table is the one generated from the node (run ./dev readme to update it)', () => {
		const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
		expect(readme).toContain(renderTable(description));
	});
});
