import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { API_HEADERS } from './shared/constants';
import { authenticationProperty, credentialsDescription, rateLimitAndRetriesField } from './shared/descriptions';
import { routingRequest } from './shared/transport';
import { searchConversations } from './listSearch/searchConversations';
import { attachmentDescription } from './resources/attachment';
import { callDescription } from './resources/call';
import { contactSubscriptionDescription } from './resources/contactSubscription';
import { conversationDescription } from './resources/conversation';
import { customSubtypeDescription } from './resources/customSubtype';
import { emailDescription } from './resources/email';
import { liveChatDescription } from './resources/liveChat';
import { messageDescription } from './resources/message';

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
		properties: [
			authenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				// Lets requestOperations.pagination (routingRequest) run every request.
				routing: { send: { paginate: true } },
				options: [
					{ name: 'Attachment', value: 'attachment' },
					{ name: 'Call', value: 'call' },
					{ name: 'Contact Subscription', value: 'contactSubscription' },
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'Custom Subtype', value: 'customSubtype' },
					{ name: 'Email', value: 'email' },
					{ name: 'Live Chat', value: 'liveChat' },
					{ name: 'Message', value: 'message' },
				],
				default: 'conversation',
			},
			...attachmentDescription,
			...callDescription,
			...contactSubscriptionDescription,
			...conversationDescription,
			...customSubtypeDescription,
			...emailDescription,
			...liveChatDescription,
			...messageDescription,
			rateLimitAndRetriesField,
		],
	};

	methods = {
		listSearch: {
			searchConversations,
		},
	};
}
