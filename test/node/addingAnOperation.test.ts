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
import type { INodeProperties, INodeType } from 'n8n-workflow';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import { RESOURCES } from '../../nodes/ConversationsApi/operations';
import { conversationField } from '../../nodes/ConversationsApi/shared/fields';
import { nodeProperties } from '../../nodes/ConversationsApi/shared/layout';
import { derivedFacts, type Operation } from '../../nodes/ConversationsApi/shared/operation';
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
});
