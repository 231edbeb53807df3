import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { getAssignees } from '../ConversationsApi/listSearch/users';
import { credentialsDescription } from '../ConversationsApi/shared/descriptions';
import { triggerProperties } from './description';
import { poll } from './poller';

export class ConversationsApiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Conversations API Trigger',
		name: 'conversationsApiTrigger',
		icon: { light: 'file:../../icons/conversations.svg', dark: 'file:../../icons/conversations.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts a workflow on new messages, new conversations or conversation changes in HighLevel (LeadConnector), by polling the Conversations API',
		defaults: {
			name: 'Conversations API Trigger',
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
