/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the package's source files. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { NodeHelpers, type INode, type INodeParameters, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import { RESOURCES } from '../../nodes/ConversationsApi/operations';
import { contactIdField, conversationField } from '../../nodes/ConversationsApi/shared/fields';
import { hiddenWhen, nodeProperties } from '../../nodes/ConversationsApi/shared/layout';
import type { Resource } from '../../nodes/ConversationsApi/shared/operation';
import { api, rl } from '../support/api';
import { runNode } from '../support/engine';

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
 * The rules a property is shown by besides resource and operation (other fields' values). Hide
 * rules are left out: the node's only ones are hiddenWhen's, which act on the operation that has the
 * field they read and nowhere else (shared/operation.ts checks that).
 */
function otherConditions(property: INodeProperties): string {
	const show = Object.entries(property.displayOptions?.show ?? {}).filter(([name]) => name !== 'resource' && name !== 'operation');
	return JSON.stringify(show);
}

/** Every resource.operation pair of the node, from its Operation fields. */
function operationKeys(properties: INodeProperties[]): string[] {
	return properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) =>
			(property.displayOptions?.show?.resource ?? []).flatMap((resource) =>
				(property.options ?? []).map((option) => `${String(resource)}.${String((option as { value: string }).value)}`),
			),
		);
}

/**
 * The operations one rule showing both properties would add (n8n shows a property for its
 * resources × its operations): none means the two could be one property.
 */
function addedByMerging(a: INodeProperties, b: INodeProperties, operations: string[]): string[] {
	const both = new Set([...shownFor(a, operations), ...shownFor(b, operations)]);
	const resources = new Set([...both].map((key) => key.split('.')[0]));
	const ops = new Set([...both].map((key) => key.split('.')[1]));
	return operations.filter((key) => resources.has(key.split('.')[0]) && ops.has(key.split('.')[1]) && !both.has(key));
}

/**
 * Top-level properties with the same name and meaning that could be one property: shown together
 * by n8n's rules (resources × operations) without showing on an operation neither is shown for.
 */
function mergeableDuplicates(properties: INodeProperties[]): string[] {
	const operations = operationKeys(properties);
	const found: string[] = [];
	const fields = properties.filter((property) => !['operation', 'resource', 'authentication'].includes(property.name));
	fields.forEach((a, i) => {
		fields.slice(i + 1).forEach((b) => {
			if (a.name !== b.name || meaning(a) !== meaning(b)) return;
			// Shown by other fields' values too (Assign's "Assign By"): one rule cannot show both.
			if (otherConditions(a) !== otherConditions(b)) return;
			if (addedByMerging(a, b, operations).length === 0) {
				found.push(`${a.name}: ${[...new Set([...shownFor(a, operations), ...shownFor(b, operations)])].join(', ')}`);
			}
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
				// properties, one definition (shared/fields.ts). Conversation → Assign hides it when
				// "Assign By" is Contact, by a hide rule on the same property (hiddenWhen).
				conversationId: copies('conversationId'),
				// Location ID: the same two for the operations that name a location, and two more (one
				// definition) shown with OAuth2 only, for an agency's sub-account on the other operations.
				locationId: copies('locationId'),
				// Contact: one more for Assign by Contact. It cannot be a hide rule like Conversation's:
				// it would hide when "Assign By" is Conversation, the default, which n8n reads for every
				// operation when it works out what a saved node shows.
			}).toEqual({ contactId: 2, messageId: 1, emailMessageId: 1, returnAll: 1, limit: 1, conversationId: 2, locationId: 4 });
			// Simplify (two properties: on by default from version 1.1, off for version 1) and the
			// Retry On Fail notice of the sending operations added three; the agency's Location ID two;
			// Simplify of Assign and Update (on by default from version 1.2) two.
			// Message → Send and Wait for Response seven (Channel, Subject, its required Message, Response
			// Type, Approval Options, Form Fields, Options: fields of its own, read by its webhook too).
			expect(properties.length).toBeLessThan(91);
		});

		it('each copy left is forced: merged with another, it would show where nothing reads it, or lose its own rule', () => {
			const operations = operationKeys(properties);
			const why: Record<string, string> = {};
			for (const name of ['conversationId', 'contactId', 'locationId']) {
				const copies = properties.filter((property) => property.name === name);
				copies.forEach((a, i) => {
					copies.slice(i + 1).forEach((b, j) => {
						const pair = `${name} ${i + 1}+${i + j + 2}`;
						if (otherConditions(a) !== otherConditions(b)) {
							why[pair] = `other rules: ${otherConditions(a)} / ${otherConditions(b)}`;
							return;
						}
						why[pair] = `would show on ${addedByMerging(a, b, operations).join(', ')}`;
					});
				});
			}
			expect(why).toEqual({
				// Conversation → Get and Message → Get Many use it; Conversation → Get Many and Message → Get do not.
				'conversationId 1+2': 'would show on conversation.getAll, message.get',
				'contactId 1+2': 'other rules: [["assignBy",["contact"]]] / []',
				'locationId 1+2': 'would show on message.getAll',
				'locationId 1+3': 'other rules: [] / [["authentication",["oAuth2"]]]',
				'locationId 1+4': 'other rules: [] / [["authentication",["oAuth2"]]]',
				'locationId 2+3': 'other rules: [] / [["authentication",["oAuth2"]]]',
				'locationId 2+4': 'other rules: [] / [["authentication",["oAuth2"]]]',
				'locationId 3+4': 'would show on conversation.getAll',
			});
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
			expect(mergeableDuplicates(nodeProperties(resources, 'conversation'))).toEqual([expect.stringMatching(/^contactId: /)]);
		});
	});

	describe('a shared field hidden by a field of one operation (Conversation → Assign by Contact)', () => {
		const description = new ConversationsApi().description;
		const node = { typeVersion: 1.1 } as INode;
		/** The parameters n8n keeps of a saved node (defaults filled, what is not shown left out). */
		const kept = (parameters: INodeParameters) =>
			NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
		const assign = { resource: 'conversation', operation: 'assign', userId: { __rl: true, mode: 'id', value: 'user-1' } };

		it('shows the one Conversation property on Assign by Conversation and on the other operations that use it', () => {
			for (const parameters of [
				assign,
				{ ...assign, assignBy: 'conversation' },
				{ resource: 'conversation', operation: 'get' },
				{ resource: 'message', operation: 'getAll' },
			]) {
				expect(kept(parameters)).toHaveProperty('conversationId', { __rl: true, mode: 'list', value: '' });
			}
			expect(kept({ resource: 'conversation', operation: 'getAll' })).not.toHaveProperty('conversationId');
		});

		it('hides it on Assign by Contact, where n8n then asks for the Contact and not the Conversation', () => {
			const parameters = kept({ ...assign, assignBy: 'contact' });
			expect(parameters).not.toHaveProperty('conversationId');
			expect(parameters).toHaveProperty('contactId');
			const issues = NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters } as INode, description);
			expect(Object.keys(issues?.parameters ?? {})).toEqual(['contactId']);
		});

		const conversation = RESOURCES.find((resource) => resource.value === 'conversation') as Resource;
		const withAssign = (fields: (original: INodeProperties[]) => INodeProperties[]): Resource[] =>
			RESOURCES.map((resource) =>
				resource === conversation
					? {
							...conversation,
							operations: conversation.operations.map((operation) =>
								operation.option.value === 'assign' ? { ...operation, fields: fields(operation.fields) } : operation,
							),
						}
					: resource,
			);

		it("refuses a hide rule by the field's default: n8n reads an absent field as its default on every operation", () => {
			const byDefault = withAssign((fields) =>
				fields.map((field) => (field.name === 'contactId' ? hiddenWhen(contactIdField, { assignBy: ['conversation'] }) : field)),
			);
			expect(() => nodeProperties(byDefault, 'conversation')).toThrow(
				'conversation.assign: hides "contactId" when "assignBy" is its default: make that a property of its own',
			);
		});

		it('refuses a hide rule by a field other operations have too, or by one the operation does not have', () => {
			const byShared = withAssign((fields) =>
				fields.map((field) => (field.name === 'conversationId' ? hiddenWhen(conversationField, { limit: [5] }) : field)),
			);
			expect(() => nodeProperties(byShared, 'conversation')).toThrow(
				'conversation.assign: hides "conversationId" by "limit", which is not one of its fields',
			);
			const returnAll = RESOURCES.flatMap((resource) => resource.operations)
				.flatMap((operation) => operation.fields)
				.find((field) => field.name === 'returnAll') as INodeProperties;
			const byOthers = withAssign((fields) => [
				...fields.map((field) => (field.name === 'conversationId' ? hiddenWhen(conversationField, { returnAll: [true] }) : field)),
				returnAll,
			]);
			expect(() => nodeProperties(byOthers, 'conversation')).toThrow(
				'"conversationId" is hidden by "returnAll", which other operations have too',
			);
		});
	});

	describe('one table of operation facts, read by the layout and the requests', () => {
		const operationOptions = properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) =>
				(property.options as INodePropertyOptions[]).map((option) => ({
					resource: String(property.displayOptions?.show?.resource?.[0]),
					option,
				})),
			);
		const programmatic = new Set(
			Object.entries(new ConversationsApi().customOperations).flatMap(([resource, operations]) =>
				Object.keys(operations).map((operation) => `${resource}.${operation}`),
			),
		);

		it('every declarative operation sends through its own pagination, which hands its facts to routingRequest', () => {
			const declarative = operationOptions.filter(({ resource, option }) => !programmatic.has(`${resource}.${String(option.value)}`));
			expect(declarative).toHaveLength(30);
			const without = declarative.filter(({ option }) => typeof option.routing?.operations?.pagination !== 'function');
			expect(without.map(({ resource, option }) => `${resource}.${String(option.value)}`)).toEqual([]);
		});

		it('the programmatic operations are exactly the operation files with an execute (customOperations)', () => {
			const withExecute = RESOURCES.flatMap((resource) =>
				resource.operations.filter((operation) => operation.execute).map((operation) => `${resource.value}.${operation.option.value}`),
			);
			expect([...programmatic]).toEqual(withExecute);
			expect(withExecute).toEqual(['conversation.assign', 'message.sendAndWait']);
		});

		it('a request that reaches routingRequest without its operation fails saying so, instead of naming a guessed scope', async () => {
			// The node as it would be if the layout missed an operation: Conversation → Get without its pagination.
			const node = new ConversationsApi();
			node.description = {
				...node.description,
				properties: node.description.properties.map((property) =>
					property.name === 'operation' && property.displayOptions?.show?.resource?.[0] === 'conversation'
						? {
								...property,
								options: (property.options as INodePropertyOptions[]).map((option) =>
									option.value === 'get' ? { ...option, routing: { ...option.routing, operations: undefined } } : option,
								),
							}
						: property,
				),
			};
			const unsent = api().get('/conversations/conv-1').reply(200, { id: 'conv-1' });

			const { error } = await runNode({
				nodeType: node,
				parameters: { resource: 'conversation', operation: 'get', conversationId: rl('conv-1') },
			});

			expect(error?.message).toMatch(/routingRequest: the request names no operation/);
			expect(unsent.isDone()).toBe(false);
			nock.cleanAll();
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
				expect.arrayContaining([
					path.join(root, 'nodes/ConversationsApi/shared/retry.ts'),
					path.join(root, 'nodes/ConversationsApi/shared/errors.ts'),
				]),
			);
		});

		it('has none', () => {
			expect(cycles(importGraph(files, (file) => readFileSync(file, 'utf8')))).toEqual([]);
		});

		it('only shared/transport.ts sends requests: routingRequest and apiRequest are the ways out, a pagination cannot bypass them', () => {
			const senders = files
				.filter((file) =>
					/makeRoutingRequest|httpRequestWithAuthentication|helpers\.httpRequest|helpers\.request\b/.test(readFileSync(file, 'utf8')),
				)
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
