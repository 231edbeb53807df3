import type { INodeProperties } from 'n8n-workflow';
import { conversationSelect, locationIdField } from '../../shared/descriptions';
import { requireField } from '../../shared/hooks';

const showOnlyForLiveChatSendTyping = {
	operation: ['sendTyping'],
	resource: ['liveChat'],
};

export const liveChatSendTypingDescription: INodeProperties[] = [
	{
		...conversationSelect,
		description: 'The live chat conversation',
		displayOptions: { show: showOnlyForLiveChatSendTyping },
		routing: {
			send: { type: 'body', property: 'conversationId', preSend: [requireField('conversationId', 'Conversation', 'Choose the live chat conversation.')] },
		},
	},
	{
		displayName: 'Visitor ID',
		name: 'visitorId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
		description: 'Unique ID of the live chat visitor',
		displayOptions: { show: showOnlyForLiveChatSendTyping },
		routing: {
			send: { type: 'body', property: 'visitorId', preSend: [requireField('visitorId', 'Visitor ID')] },
		},
	},
	{
		displayName: 'Is Typing',
		name: 'isTyping',
		type: 'boolean',
		default: true,
		description: 'Whether the agent or bot is typing; off hides the indicator',
		displayOptions: { show: showOnlyForLiveChatSendTyping },
		// The API takes the flag as the text "true" or "false".
		routing: { send: { type: 'body', property: 'isTyping', value: '={{ String($value) }}' } },
	},
	{
		...locationIdField,
		displayOptions: { show: showOnlyForLiveChatSendTyping },
	},
];
