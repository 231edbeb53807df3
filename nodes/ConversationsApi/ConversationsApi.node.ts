import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { API_HEADERS } from './shared/constants';
import { credentialsDescription } from './shared/descriptions';
import { nodeProperties } from './shared/operation';
import { routingRequest } from './shared/transport';
import { searchConversations } from './listSearch/searchConversations';
import { RESOURCES } from './operations';

export class ConversationsApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Conversations API',
		name: 'conversationsApi',
		icon: { light: 'file:../../icons/conversations.svg', dark: 'file:../../icons/conversations.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Search, read and send conversations and messages with the HighLevel (LeadConnector) Conversations API',
		defaults: {
			name: 'Conversations API',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsDescription,
		// Every request runs through routingRequest (see the Resource field's `paginate`): paced by the
		// rate limit, retried where safe, and a failure mapped to an error that says what to do.
		// Operations with a list override it with their pagination, which sends each page through it.
		requestOperations: { pagination: routingRequest },
		requestDefaults: {
			// Checked and completed per request by the resolvePath preSend.
			baseURL: '={{$credentials.baseUrl}}',
			headers: { ...API_HEADERS },
		},
		properties: nodeProperties(RESOURCES, 'conversation'),
	};

	methods = {
		listSearch: {
			searchConversations,
		},
	};
}
