/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that checks the "Adding an operation" recipe (docs/development.md) against the repository. */
/**
 * Keeps the "Adding an operation" recipe of docs/development.md true: a throwaway operation, written as the
 * recipe says (one operation file's worth of code, one line in its resource's list), is picked up
 * by everything that is derived from the operation files: the node's properties, the facts its
 * errors name, the operations list behind the README table and the catalog check, the test-file
 * check, and it runs through the engine.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, IExecuteSingleFunctions, INodeProperties, INodeType } from 'n8n-workflow';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import { RESOURCES } from '../../nodes/ConversationsApi/operations';
import { conversationField } from '../../nodes/ConversationsApi/shared/fields';
import { perItem } from '../../nodes/ConversationsApi/shared/itemExecution';
import { nodeProperties } from '../../nodes/ConversationsApi/shared/layout';
import { customOperationsOf, derivedFacts, type Operation } from '../../nodes/ConversationsApi/shared/operation';
import { pathId } from '../../nodes/ConversationsApi/shared/paths';
import { apiRequest } from '../../nodes/ConversationsApi/shared/transport';
import { api, json, rl } from '../support/api';
import { runNode } from '../support/engine';
import { SCOPE } from '../../credentials/constants';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { listOperations, renderTable } = require('../../scripts/operations.js');

const root = path.resolve(__dirname, '../..');

/** resources/conversation/getNotes.ts, as the recipe writes it. */
const getNotes: Operation = {
	option: {
		name: 'Get Notes',
		value: 'getNotes',
		action: 'Get the notes of a conversation',
		routing: { request: { method: 'GET', url: '/conversations/{conversationId}/notes' } },
	},
	fields: [conversationField],
	facts: { scope: SCOPE.read, scopeListed: false, ids: { conversationId: 'Conversation' } },
};

/** resources/conversation/index.ts with the one added line. */
const resources = RESOURCES.map((resource) =>
	resource.value === 'conversation' ? { ...resource, operations: [...resource.operations, getNotes] } : resource,
);

class WithGetNotes extends ConversationsApi {
	constructor() {
		super();
		this.description = { ...this.description, properties: nodeProperties(resources, 'conversation') };
	}
}

const nodeType: INodeType = new WithGetNotes();

describe('Adding an operation (the recipe of docs/development.md)', () => {
	it('the Operation field offers it and the shared Conversation field is shown for it', () => {
		const properties = nodeType.description.properties;
		const operation = properties.find(
			(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes('conversation'),
		) as INodeProperties;
		expect(operation.options?.map((option) => (option as { value: string }).value)).toContain('getNotes');
		const conversation = properties.filter(
			(property) =>
				property.name === 'conversationId' &&
				property.displayOptions?.show?.resource?.includes('conversation') &&
				property.displayOptions?.show?.operation?.includes('getNotes'),
		);
		expect(conversation).toHaveLength(1);
		// No new property: the field is the shared one.
		expect(properties.length).toBe(new ConversationsApi().description.properties.length);
	});

	it('the derived facts name its scope, its path ID and the label of its path field', () => {
		const conversation = resources.find((resource) => resource.value === 'conversation') as (typeof resources)[number];
		expect(derivedFacts(conversation, getNotes)).toEqual({
			scope: 'conversations.readonly',
			scopeListed: false,
			subject: ['conversationId', 'Conversation'],
			ids: [],
			sendsMessage: false,
			pathLabels: { conversationId: 'Conversation' },
		});
	});

	it('the operations list behind the README table and the catalog check has it; the README table would need ./dev readme', () => {
		const listed = listOperations(nodeType.description) as Array<{
			resource: string;
			operation: string;
			method: string;
			path: string;
			version: string;
		}>;
		expect(listed).toContainEqual(
			expect.objectContaining({
				resource: 'conversation',
				operation: 'getNotes',
				method: 'GET',
				path: '/conversations/{conversationId}/notes',
				version: '2021-04-15',
			}),
		);
		const row = '| Conversation | Get Notes | `GET /conversations/{conversationId}/notes` | 2021-04-15 |';
		expect(renderTable(nodeType.description)).toContain(row);
		expect(readFileSync(path.join(root, 'README.md'), 'utf8')).not.toContain(row);
	});

	it('the test-file check asks for test/conversation/getNotes.test.ts', () => {
		const withoutTest = (listOperations(nodeType.description) as Array<{ resource: string; operation: string }>)
			.map((op) => `test/${op.resource}/${op.operation}.test.ts`)
			.filter((file) => !existsSync(path.join(root, file)));
		expect(withoutTest).toEqual(['test/conversation/getNotes.test.ts']);
	});

	it('runs through the engine: the path filled and encoded, a 404 naming the conversation', async () => {
		const ok = api()
			.get('/conversations/c%2F1/notes')
			.reply(200, { notes: [{ id: 'n-1' }] });
		const found = await runNode({ nodeType, parameters: { resource: 'conversation', operation: 'getNotes', conversationId: rl('c/1') } });
		expect(found.error).toBeUndefined();
		expect(ok.isDone()).toBe(true);
		expect(json(found.items)).toEqual([{ notes: [{ id: 'n-1' }] }]);

		const missing = api().get('/conversations/nope/notes').reply(404, { statusCode: 404, message: 'Conversation not found' });
		const notFound = await runNode({
			nodeType,
			parameters: { resource: 'conversation', operation: 'getNotes', conversationId: rl('nope') },
		});
		expect(missing.isDone()).toBe(true);
		expect(notFound.error?.message).toBe('Conversation "nope" was not found (404)');
	});

	describe('a programmatic operation: the same file with an execute', () => {
		/** resources/conversation/getTwice.ts: two requests per item, through apiRequest. */
		const getTwice: Operation = {
			option: {
				name: 'Get Twice',
				value: 'getTwice',
				action: 'Get a conversation twice',
				routing: { request: { method: 'GET', url: '/conversations/{conversationId}' } },
			},
			fields: [conversationField],
			facts: { scope: SCOPE.read, scopeListed: true, ids: { conversationId: 'Conversation' } },
			execute: perItem(async function (this: IExecuteSingleFunctions): Promise<IDataObject> {
				const id = await pathId.call(this, 'conversationId', 'Conversation');
				const read = async () =>
					await apiRequest.call(
						this,
						'GET',
						`/conversations/${id}`,
						{},
						{ scope: SCOPE.read, scopeListed: true, subject: { noun: 'Conversation', value: id } },
					);
				return { first: await read(), second: await read() };
			}),
		};
		const withGetTwice = RESOURCES.map((resource) =>
			resource.value === 'conversation' ? { ...resource, operations: [...resource.operations, getTwice] } : resource,
		);

		class WithGetTwice extends ConversationsApi {
			constructor() {
				super();
				this.description = { ...this.description, properties: nodeProperties(withGetTwice, 'conversation') };
				this.customOperations = customOperationsOf(withGetTwice);
			}
		}

		it('is picked up as customOperations and runs per item through the engine, a 404 naming the conversation', async () => {
			const twice = api().get('/conversations/c-1').times(2).reply(200, { id: 'c-1' });
			const missing = api().get('/conversations/nope').reply(404, { statusCode: 404, message: 'Conversation not found' });

			const { items } = await runNode({
				nodeType: new WithGetTwice(),
				parameters: {
					resource: 'conversation',
					operation: 'getTwice',
					conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				},
				input: [{ json: { id: 'c-1' } }, { json: { id: 'nope' } }],
				continueOnFail: true,
			});

			expect(twice.isDone() && missing.isDone()).toBe(true);
			expect(items.map((item) => [item.json, item.pairedItem])).toEqual([
				[{ first: { id: 'c-1' }, second: { id: 'c-1' } }, { item: 0 }],
				[{ error: 'Conversation "nope" was not found (404)' }, { item: 1 }],
			]);
		});
	});
});
