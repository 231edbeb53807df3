/**
 * The one place tests make nodes and find node types: `testNode` builds a node of a workflow as
 * n8n stores it, `TestNodeTypes` is the node type registry n8n's server would supply (our nodes,
 * and n8n's own `n8n-nodes-base.*` nodes loaded on first use).
 */
import { RoutingNode, type ExecuteContext } from 'n8n-core';
import {
	NodeHelpers,
	type IExecuteFunctions,
	type INode,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
} from 'n8n-workflow';
import { name as PACKAGE } from '../../package.json';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';
import { ConversationsApiTrigger } from '../../nodes/ConversationsApiTrigger/ConversationsApiTrigger.node';
import { HighLevelWebhookTrigger } from '../../nodes/HighLevelWebhookTrigger/HighLevelWebhookTrigger.node';
import { CREDENTIAL_TYPE } from '../../credentials/constants';

export { PACKAGE };
export const NODE_TYPE = `${PACKAGE}.conversationsApi`;
export const TRIGGER_TYPE = `${PACKAGE}.conversationsApiTrigger`;
export const WEBHOOK_TRIGGER_TYPE = `${PACKAGE}.highLevelWebhookTrigger`;

const BASE_PREFIX = 'n8n-nodes-base.';

interface KnownNode {
	className: string;
	sourcePath: string;
}

/** n8n-nodes-base's own index of its node types: name → class and file. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const knownBaseNodes = require('n8n-nodes-base/dist/known/nodes.json') as Record<string, KnownNode>;

/** Our nodes by their type names (or the given ones), and any `n8n-nodes-base.<name>` loaded on first use. */
export class TestNodeTypes implements INodeTypes {
	private readonly loaded: Record<string, INodeType | IVersionedNodeType>;

	constructor(types: Record<string, INodeType | IVersionedNodeType> = {}) {
		this.loaded = {
			[NODE_TYPE]: new ConversationsApi(),
			[TRIGGER_TYPE]: new ConversationsApiTrigger(),
			[WEBHOOK_TRIGGER_TYPE]: new HighLevelWebhookTrigger(),
			...types,
		};
	}

	getByName(type: string): INodeType | IVersionedNodeType {
		const found = this.loaded[type] ?? this.loadBaseNode(type);
		if (!found) throw new Error(`Unknown node type ${type}`);
		return found;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		const nodeType = NodeHelpers.getVersionedNodeType(this.getByName(type), version);
		// n8n's NodeTypes (packages/cli, shouldAssignExecuteMethod): a declarative node gets an
		// `execute` that runs its routing, also when it has a webhook (Send and Wait for Response);
		// without it n8n-core would give a node with a webhook no input data for its expressions.
		const declarative = nodeType.description.requestDefaults !== undefined;
		if (declarative && !nodeType.execute && !nodeType.poll && !nodeType.trigger && !nodeType.supplyData) {
			nodeType.execute = async function (this: IExecuteFunctions) {
				// n8n hands RoutingNode its own ExecuteContext, which is what `this` is here.
				return (await new RoutingNode(this as ExecuteContext, nodeType).runNode()) ?? [];
			};
		}
		return nodeType;
	}

	getKnownTypes() {
		return {};
	}

	private loadBaseNode(type: string): INodeType | IVersionedNodeType | undefined {
		if (!type.startsWith(BASE_PREFIX)) return undefined;
		const known = knownBaseNodes[type.slice(BASE_PREFIX.length)];
		if (!known) return undefined;
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exports = require(`n8n-nodes-base/${known.sourcePath}`) as Record<string, new () => INodeType>;
		const nodeType = new exports[known.className]();
		this.loaded[type] = nodeType;
		return nodeType;
	}
}

/** A node of ours as n8n stores it: its Authentication field follows the credential type it uses. */
export function testNode(options: {
	id: string;
	name: string;
	type: string;
	parameters: INodeParameters;
	credentialType: string;
	credentialId?: string;
	continueOnFail?: boolean;
	/** The node's version as saved (default 1: the workflows saved before version 1.1). */
	typeVersion?: number;
}): INode {
	return {
		id: options.id,
		name: options.name,
		type: options.type,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: {
			authentication: options.credentialType === CREDENTIAL_TYPE.marketplaceApp ? 'oAuth2' : 'privateIntegrationToken',
			...options.parameters,
		},
		credentials: { [options.credentialType]: { id: options.credentialId ?? 'cred-1', name: 'Test credential' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}
