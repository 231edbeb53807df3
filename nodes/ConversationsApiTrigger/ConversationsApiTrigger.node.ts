import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';
import { getAssignees } from '../ConversationsApi/listSearch/users';
import { credentialsDescription } from '../ConversationsApi/shared/descriptions';
import { triggerProperties } from './description';
import { poll } from './poller';

export class ConversationsApiTrigger implements INodeType {
	description: INodeTypeDescription = {
		// The type name stays `conversationsApiTrigger`: saved workflows refer to it.
		displayName: 'HighLevel Conversations Trigger',
		name: 'conversationsApiTrigger',
		icon: { light: 'file:../../icons/conversations.svg', dark: 'file:../../icons/conversations.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ {"conversationUpdated": "Conversation Updated", "newConversation": "New Conversation", "newMessage": "New Message"}[$parameter["event"]] }}',
		description:
			'Starts a workflow on new SMS, email, WhatsApp or chat messages and conversation changes in HighLevel (GoHighLevel, LeadConnector), by polling',
		defaults: {
			name: 'HighLevel Conversations Trigger',
		},
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsDescription,
		properties: triggerProperties,
	};

	methods = {
		loadOptions: {
			getAssignees,
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await poll(this);
	}
}
