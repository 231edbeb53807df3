/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the package's source files. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { INodeProperties } from 'n8n-workflow';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import { RESOURCES } from '../../nodes/ConversationsApi/operations';
import { contactIdField } from '../../nodes/ConversationsApi/shared/fields';
import { nodeProperties, type Resource } from '../../nodes/ConversationsApi/shared/operation';

const root = path.resolve(__dirname, '../..');

/** What a property means, apart from where it is shown and how it is explained. */
function meaning(property: INodeProperties): string {
	const rest: Partial<INodeProperties> = { ...property };
	for (const key of ['displayOptions', 'description', 'hint', 'placeholder'] as const) delete rest[key];
	return JSON.stringify(rest, (_key, value: unknown) => (typeof value === 'function' ? `function ${value.name}` : value));
}

/** The resource.operation pairs a property is shown for (its resource and operation rules). */
function shownFor(property: INodeProperties, operations: string[]): Set<string> {
	const show = property.displayOptions?.show ?? {};
	return new Set(
		operations.filter((key) => {
			const [resource, operation] = key.split('.');
			return (show.resource ?? [resource]).includes(resource) && (show.operation ?? [operation]).includes(operation);
		}),
	);
}

/**
 * Top-level properties with the same name and meaning that could be one property: shown together
 * by n8n's rules (resources × operations) without showing on an operation neither is shown for.
 */
function mergeableDuplicates(properties: INodeProperties[]): string[] {
	const operations = properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) =>
			(property.displayOptions?.show?.resource ?? []).flatMap((resource) =>
				(property.options ?? []).map((option) => `${String(resource)}.${String((option as { value: string }).value)}`),
			),
		);
	const found: string[] = [];
	const fields = properties.filter((property) => !['operation', 'resource', 'authentication'].includes(property.name));
	fields.forEach((a, i) => {
		fields.slice(i + 1).forEach((b) => {
			if (a.name !== b.name || meaning(a) !== meaning(b)) return;
			const both = new Set([...shownFor(a, operations), ...shownFor(b, operations)]);
			const resources = new Set([...both].map((key) => key.split('.')[0]));
			const ops = new Set([...both].map((key) => key.split('.')[1]));
			const product = operations.filter((key) => resources.has(key.split('.')[0]) && ops.has(key.split('.')[1]));
			if (product.every((key) => both.has(key))) found.push(`${a.name}: ${[...both].join(', ')}`);
		});
	});
	return found;
}

describe('Layout', () => {
	const properties = new ConversationsApi().description.properties;

	describe('one definition per field name and meaning', () => {
		it('no two top-level properties with the same name and meaning could be one', () => {
			expect(mergeableDuplicates(properties)).toEqual([]);
		});

		it('a shared field is one property for all its operations, or the fewest n8n can show exactly', () => {
			const copies = (name: string) => properties.filter((property) => property.name === name).length;
			expect({
				contactId: copies('contactId'),
				messageId: copies('messageId'),
				emailMessageId: copies('emailMessageId'),
				returnAll: copies('returnAll'),
				limit: copies('limit'),
				// Conversation → Get/Get Many and Message → Get/Get Many share operation names: a rule
				// "resource in (conversation, message) and operation in (get, getAll)" would show the
				// field on Conversation → Get Many and Message → Get, which do not use it. So two
				// properties, one definition (shared/fields.ts).
				conversationId: copies('conversationId'),
				locationId: copies('locationId'),
			}).toEqual({ contactId: 1, messageId: 1, emailMessageId: 1, returnAll: 1, limit: 1, conversationId: 2, locationId: 2 });
			expect(properties.length).toBeLessThan(80);
		});

		it('the check finds a copy of a shared field made in an operation file', () => {
			const [conversation] = RESOURCES.filter((resource) => resource.value === 'conversation');
			const copied: Resource = {
				...conversation,
				operations: conversation.operations.map((operation) =>
					operation.option.value === 'create'
						? { ...operation, fields: operation.fields.map((field) => (field === contactIdField ? { ...contactIdField } : field)) }
						: operation,
				),
			};
			const resources = RESOURCES.map((resource) => (resource === conversation ? copied : resource));
			expect(mergeableDuplicates(nodeProperties(resources, 'conversation'))).toEqual([
				expect.stringMatching(/^contactId: /),
			]);
		});
	});

	describe('no import cycle under nodes/', () => {
		function sourceFiles(dir: string): string[] {
			return readdirSync(dir).flatMap((name) => {
				const file = path.join(dir, name);
				if (statSync(file).isDirectory()) return sourceFiles(file);
				return file.endsWith('.ts') ? [file] : [];
			});
		}

		function importGraph(files: string[], read: (file: string) => string): Map<string, string[]> {
			const graph = new Map<string, string[]>();
			for (const file of files) {
				const targets = [...read(file).matchAll(/(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g)].map((match) => {
					const base = path.resolve(path.dirname(file), match[1]);
					return files.find((candidate) => candidate === `${base}.ts` || candidate === path.join(base, 'index.ts')) ?? base;
				});
				graph.set(file, targets);
			}
			return graph;
		}

		function cycles(graph: Map<string, string[]>): string[][] {
			const found: string[][] = [];
			const state = new Map<string, 'open' | 'done'>();
			const stack: string[] = [];
			const visit = (file: string) => {
				if (state.get(file) === 'done') return;
				if (state.get(file) === 'open') {
					found.push([...stack.slice(stack.indexOf(file)), file].map((entry) => path.relative(root, entry)));
					return;
				}
				state.set(file, 'open');
				stack.push(file);
				for (const target of graph.get(file) ?? []) visit(target);
				stack.pop();
				state.set(file, 'done');
			};
			for (const file of graph.keys()) visit(file);
			return found;
		}

		const files = sourceFiles(path.join(root, 'nodes'));

		it('reads the imports of every file (type imports too)', () => {
			const graph = importGraph(files, (file) => readFileSync(file, 'utf8'));
			const transport = path.join(root, 'nodes/ConversationsApi/shared/transport.ts');
			expect(graph.get(transport)).toEqual(
				expect.arrayContaining([path.join(root, 'nodes/ConversationsApi/shared/retry.ts'), path.join(root, 'nodes/ConversationsApi/shared/errors.ts')]),
			);
		});

		it('has none', () => {
			expect(cycles(importGraph(files, (file) => readFileSync(file, 'utf8')))).toEqual([]);
		});

		it('only shared/transport.ts sends requests: routingRequest and apiRequest are the ways out, a pagination cannot bypass them', () => {
			const senders = files
				.filter((file) => /makeRoutingRequest|httpRequestWithAuthentication|helpers\.httpRequest|helpers\.request\b/.test(readFileSync(file, 'utf8')))
				.map((file) => path.relative(root, file));
			expect(senders).toEqual(['nodes/ConversationsApi/shared/transport.ts']);
		});

		it('finds one, as errors.ts and retry.ts had (a type import counts)', () => {
			const errors = path.join(root, 'nodes/ConversationsApi/shared/errors.ts');
			const withCycle = (file: string) =>
				file === errors ? `import type { GiveUpReason } from './retry';\n${readFileSync(file, 'utf8')}` : readFileSync(file, 'utf8');
			expect(cycles(importGraph(files, withCycle))).toEqual([
				['nodes/ConversationsApi/shared/errors.ts', 'nodes/ConversationsApi/shared/retry.ts', 'nodes/ConversationsApi/shared/errors.ts'],
			]);
		});
	});
});
