import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { credentialsDescription } from './shared/descriptions';
import { nodeProperties, subtitleExpression } from './shared/layout';
import { customOperationsOf } from './shared/operation';
import { routingRequest } from './shared/transport';
import { searchContacts } from './listSearch/searchContacts';
import { searchConversations } from './listSearch/searchConversations';
import { searchInstalledLocations } from './listSearch/searchInstalledLocations';
import { getAssignees, getUsers, searchUsers } from './listSearch/users';
import { RESOURCES } from './operations';
import { sendAndWaitTooltip, sendAndWaitWebhooks, webhook as sendAndWaitWebhook } from './resources/message/sendAndWait';
import { API_HEADERS } from '../../credentials/constants';

export class ConversationsApi implements INodeType {
	description: INodeTypeDescription = {
		// The type name stays `conversationsApi`: saved workflows refer to it.
		displayName: 'HighLevel Conversations',
		name: 'conversationsApi',
		icon: { light: 'file:../../icons/conversations.svg', dark: 'file:../../icons/conversations.dark.svg' },
		group: ['transform'],
		// A new version changes a default; saved workflows keep theirs (their node's version):
		// 1.1: Simplify is on by default for lists (version 1 keeps the raw output).
		// 1.2: Simplify is on by default for Conversation → Assign and Update too (1 and 1.1 keep the raw output).
		version: [1, 1.1, 1.2],
		defaultVersion: 1.2,
		subtitle: subtitleExpression(RESOURCES),
		description: 'Send SMS, email, WhatsApp and chat messages and search conversations in HighLevel (GoHighLevel, LeadConnector)',
		defaults: {
			name: 'HighLevel Conversations',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsDescription,
		// Message → Send and Wait for Response: the execution's waiting webhook (page and answer).
		webhooks: sendAndWaitWebhooks,
		waitingNodeTooltip: sendAndWaitTooltip,
		// Every request runs through routingRequest (see the Resource field's `paginate`): paced by the
		// rate limit, retried where safe, and a failure mapped to an error that says what to do. The
		// layout sets each declarative operation's own (with its facts; a list's sends each page
		// through it); this one only runs for an operation the layout missed, and fails saying so.
		requestOperations: { pagination: routingRequest },
		requestDefaults: {
			// Checked and completed per request by the resolvePath preSend.
			baseURL: '={{$credentials.baseUrl}}',
			headers: { ...API_HEADERS },
		},
		properties: nodeProperties(RESOURCES, 'conversation'),
	};

	/** The programmatic operations (Conversation → Assign, Message → Send and Wait for Response): n8n runs these instead of the routing. */
	customOperations = customOperationsOf(RESOURCES);

	webhook = sendAndWaitWebhook;

	methods = {
		listSearch: {
			searchContacts,
			searchConversations,
			searchInstalledLocations,
			searchUsers,
		},
		loadOptions: {
			getAssignees,
			getUsers,
		},
	};
}
