/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the project's catalog and README files. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeTypeDescription } from 'n8n-workflow';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import { SPEC_DIR } from '../support/spec';
import { API_VERSION, API_VERSION_V3 } from '../../credentials/constants';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { listOperations, renderTable } = require('../../scripts/operations.js');

interface CatalogRow {
	number: number;
	method: string;
	path: string;
	operationId: string;
	version: string;
	/** The spec marks it deprecated (the v3 document: internal-only, to be removed). */
	deprecated: boolean;
}

interface NodeOperation {
	resource: string;
	operation: string;
	name: string;
	description?: string;
	method: string;
	path: string;
	version: string;
}

const root = path.resolve(__dirname, '../..');
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

type SpecOperation = { operationId: string; deprecated?: boolean };

function specOperations(file: string): Array<{ method: string; path: string; operation: SpecOperation }> {
	const spec = JSON.parse(readFileSync(path.join(SPEC_DIR, file), 'utf8')) as {
		paths: Record<string, Record<string, SpecOperation>>;
	};
	return Object.entries(spec.paths).flatMap(([urlPath, item]) =>
		Object.entries(item)
			.filter(([method]) => METHODS.includes(method))
			.map(([method, operation]) => ({ method: method.toUpperCase(), path: urlPath, operation })),
	);
}

/**
 * The operations catalog, derived from the spec files in the repository: every operation of the
 * Conversations API document (Version 2021-04-15), then those only the v3 document has (Version
 * v3). Deprecated: what the v3 document marks deprecated.
 */
function readCatalog(): CatalogRow[] {
	const v2 = specOperations('apps/conversations.json');
	const v3 = specOperations('apps/v3/conversations-v3.json');
	const deprecatedInV3 = new Set(v3.filter((op) => op.operation.deprecated).map((op) => op.operation.operationId));
	const v2Ids = new Set(v2.map((op) => op.operation.operationId));
	const rows = [
		...v2.map((op) => ({ ...op, version: API_VERSION })),
		...v3.filter((op) => !v2Ids.has(op.operation.operationId)).map((op) => ({ ...op, version: API_VERSION_V3 })),
	];
	return rows.map((op, index) => ({
		number: index + 1,
		method: op.method,
		path: op.path,
		operationId: op.operation.operationId,
		version: op.version,
		deprecated: !!op.operation.deprecated || deprecatedInV3.has(op.operation.operationId),
	}));
}

/** `{anyName}` placeholders are the same path whatever they are called. */
const shape = (method: string, urlPath: string) => `${method} ${urlPath.replace(/\{[^}]+\}/g, '{}')}`;

/** Catalog rows that no operation of the description serves (same method, path and version). */
function missingRows(catalog: CatalogRow[], description: INodeTypeDescription): CatalogRow[] {
	const served = new Set((listOperations(description) as NodeOperation[]).map((op) => `${shape(op.method, op.path)} ${op.version}`));
	return catalog.filter((row) => !served.has(`${shape(row.method, row.path)} ${row.version}`));
}

describe('Catalog coverage', () => {
	const catalog = readCatalog();
	const description = new ConversationsApi().description;

	it('derives 30 operations from the spec files in specs/highlevel-api', () => {
		expect(catalog).toHaveLength(30);
		expect(catalog.map((row) => row.number)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
	});

	it('every catalog row is an operation of the node, with its method, path and API version', () => {
		const missing = missingRows(catalog, description).map((row) => `#${row.number} ${row.method} ${row.path} (${row.operationId})`);
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
								// Send and Wait for Response sends the same request: both go.
								(option) =>
									!(
										'value' in option &&
										['send', 'sendAndWait'].includes(String(option.value)) &&
										property.displayOptions?.show?.resource?.includes('message')
									),
							),
						}
					: property,
			),
		};
		expect(missingRows(catalog, withoutSend).map((row) => row.operationId)).toEqual(['send-a-new-message']);
	});

	it('an operation the spec marks deprecated says so in its description, and only such one', () => {
		const deprecated = new Set(catalog.filter((row) => row.deprecated).map((row) => shape(row.method, row.path)));
		expect([...deprecated].sort()).toEqual(
			[
				'POST /conversations/messages/review-reply',
				'POST /conversations/messages/upload/complete',
				'POST /conversations/messages/upload/initiate',
			].sort(),
		);
		for (const op of listOperations(description) as NodeOperation[]) {
			expect([`${op.resource}.${op.operation}`, /^Deprecated/.test(op.description ?? '')]).toEqual([
				`${op.resource}.${op.operation}`,
				deprecated.has(shape(op.method, op.path)),
			]);
		}
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
