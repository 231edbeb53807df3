import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { API_VERSION, CREDENTIAL_TYPE } from './shared/constants';
import { searchConversations } from './listSearch/searchConversations';
import { conversationDescription } from './resources/conversation';

export class ConversationsApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Conversations API',
		name: 'conversationsApi',
		icon: 'file:../../icons/conversations.svg',
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
		credentials: [
			{
				name: CREDENTIAL_TYPE.privateIntegrationToken,
				required: true,
				displayOptions: { show: { authentication: ['privateIntegrationToken'] } },
			},
			{
				name: CREDENTIAL_TYPE.oAuth2,
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		requestDefaults: {
			// Checked and completed per request by the resolvePath preSend.
			baseURL: '={{$credentials.baseUrl}}',
			headers: {
				Accept: 'application/json',
				Version: API_VERSION,
			},
		},
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'OAuth2 (Marketplace App)', value: 'oAuth2' },
					{ name: 'Private Integration Token', value: 'privateIntegrationToken' },
				],
				default: 'privateIntegrationToken',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Conversation', value: 'conversation' }],
				default: 'conversation',
			},
			...conversationDescription,
		],
	};

	methods = {
		listSearch: {
			searchConversations,
		},
	};
}
