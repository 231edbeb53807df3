/**
 * The node is offered to n8n's AI Agent as a tool (`usableAsTool`): every operation can be one.
 * What the model reads is what n8n-workflow's getToolDescriptionForNode makes of the node: with
 * "Set Automatically" the operation's `action` + " in HighLevel Conversations", with "Set Manually"
 * the node's Description field (the AI receptionist template sets it from the operation's
 * description). Each operation needs both; the ones a model uses say when to use them and what
 * they return. The template's tools: their descriptions as the model gets them, the values the
 * model fills ($fromAI: a valid key, a description) and compact outputs.
 */
import { NodeHelpers, traverseNodeParameters, type FromAIArgument, type INode, type INodeProperties, type INodeType } from 'n8n-workflow';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import { loadTemplate } from '../support/workflow';

const nodeType = new ConversationsApi() as unknown as INodeType;
const { description } = nodeType;

/** Every resource × operation of the node, with its Operation option. */
type OperationOption = { value: string; action?: string; description?: string };
const operations = description.properties
	.filter((property: INodeProperties) => property.name === 'operation')
	.flatMap((property: INodeProperties) =>
		(property.displayOptions?.show?.resource as string[]).flatMap((resource) =>
			(property.options as OperationOption[]).map((option) => ({ key: `${resource}.${option.value}`, resource, ...option })),
		),
	);

/** The operations a model uses: the template's tools, and the reads it may be given. */
const MODEL_OPERATIONS = [
	'message.getAll',
	'message.send',
	'message.get',
	'conversation.get',
	'conversation.getAll',
	'conversation.update',
	'conversation.assign',
];

const words = (text: string | undefined) =>
	String(text ?? '')
		.trim()
		.split(/\s+/)
		.filter(Boolean).length;

function asTool(parameters: INode['parameters']): INode {
	return {
		id: 'tool',
		name: 'HighLevel Conversations',
		type: 'n8n-nodes-conversations-api.conversationsApiTool',
		typeVersion: 1.1,
		position: [0, 0],
		parameters,
	};
}

describe('operations offered as tools', () => {
	it('the node is usable as a tool and has all its operations', () => {
		expect(description.usableAsTool).toBe(true);
		expect(operations.length).toBeGreaterThanOrEqual(31);
		expect(operations.map((operation) => operation.key)).toEqual(expect.arrayContaining(MODEL_OPERATIONS));
	});

	it.each(operations.map((operation) => [operation.key, operation] as const))(
		'%s: "Set Automatically" gives the model more than one word; the description says what it does',
		(_key, operation) => {
			const automatic = NodeHelpers.getToolDescriptionForNode(
				asTool({ descriptionType: 'auto', resource: operation.resource, operation: operation.value }),
				nodeType,
			);
			expect(automatic).toBe(`${operation.action} in HighLevel Conversations`);
			expect(words(operation.action)).toBeGreaterThan(1);
			expect(words(operation.description)).toBeGreaterThanOrEqual(5);
		},
	);

	it.each(MODEL_OPERATIONS)('%s: the description says what it returns', (key) => {
		const operation = operations.find((candidate) => candidate.key === key);
		expect(operation?.description).toMatch(/\b(Returns|output)\b/);
	});

	it.each(MODEL_OPERATIONS.filter((key) => key !== 'conversation.assign' && key !== 'message.get'))(
		'%s: the description says when to use it',
		(key) => {
			expect(operations.find((candidate) => candidate.key === key)?.description).toMatch(/\bUse it\b/);
		},
	);
});

describe("the AI receptionist template's tools", () => {
	const template = loadTemplate('ai-receptionist');
	const tools = template.nodes.filter((node) => node.type === 'n8n-nodes-conversations-api.conversationsApiTool');

	it("are four of this package's operations the model uses", () => {
		expect(tools.map((tool) => `${tool.name}: ${String(tool.parameters.resource)}.${String(tool.parameters.operation)}`)).toEqual([
			'Read recent messages: message.getAll',
			'Reply: message.send',
			'Hand off to a person: conversation.assign',
			'Star conversation: conversation.update',
		]);
		for (const tool of tools)
			expect(MODEL_OPERATIONS).toContain(`${String(tool.parameters.resource)}.${String(tool.parameters.operation)}`);
	});

	it.each(tools.map((tool) => [tool.name, tool] as const))(
		'%s: the model reads a description that says what, when and what it returns',
		(_name, tool) => {
			const text = NodeHelpers.getToolDescriptionForNode(asTool(tool.parameters), nodeType);
			expect(tool.parameters.descriptionType).toBe('manual');
			expect(text).toBe(tool.parameters.toolDescription);
			expect(words(text)).toBeGreaterThanOrEqual(20);
			expect(text).toMatch(/\bUse it\b/);
			expect(text).toMatch(/\bReturns\b/);
		},
	);

	it('the model fills only the reply text and the star, each with a key and a description', () => {
		const filled = Object.fromEntries(
			tools.map((tool) => {
				const args: FromAIArgument[] = [];
				traverseNodeParameters(tool.parameters, args);
				return [tool.name, args.map((arg) => [arg.key, arg.type, words(arg.description) >= 5 && /^[a-zA-Z0-9_-]{1,64}$/.test(arg.key)])];
			}),
		);
		expect(filled).toEqual({
			'Read recent messages': [],
			Reply: [['message', 'string', true]],
			'Hand off to a person': [],
			'Star conversation': [['starred', 'boolean', true]],
		});
	});

	it('the conversation, contact, channel and hand-off user come from the event and the settings, never from the model', () => {
		for (const tool of tools) {
			const { conversationId, contactId, userId, type } = tool.parameters as Record<string, { value?: string } | string | undefined>;
			for (const value of [conversationId, contactId, userId, type]) {
				if (value === undefined) continue;
				const text = typeof value === 'string' ? value : String(value.value);
				expect(text).toMatch(/\$\('(Inbound message|Receptionist settings)'\)/);
				expect(text).not.toContain('$fromAI');
			}
		}
	});

	it('lists give the model compact rows (Simplify)', () => {
		const read = tools.find((tool) => tool.name === 'Read recent messages');
		expect(read?.parameters).toMatchObject({ simplify: true, limit: 10 });
		expect(read?.typeVersion).toBe(1.1);
	});
});
