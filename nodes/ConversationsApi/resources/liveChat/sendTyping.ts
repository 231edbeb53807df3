import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { conversationField, locationIdField } from '../../shared/fields';
import { requireField, sendLocation, sendValue } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [
	conversationField,
	{
		displayName: 'Visitor ID',
		name: 'visitorId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
		description: 'Unique ID of the live chat visitor',
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
		// The API takes the flag as the text "true" or "false".
		routing: { send: { type: 'body', property: 'isTyping', value: '={{ String($value) }}' } },
	},
	locationIdField,
];

export const sendTyping: Operation = {
	option: {
		name: 'Send Typing Indicator',
		value: 'sendTyping',
		action: 'Send a typing indicator',
		description: 'Show or hide the "agent is typing" indicator in a live chat',
		routing: {
			request: { method: 'POST', url: '/conversations/providers/live-chat/typing' },
			send: {
				preSend: [
					sendValue('conversationId', 'body', 'conversationId'),
					sendLocation('body'),
					requireField('conversationId', 'Conversation', 'Choose the live chat conversation.'),
				],
			},
		},
	},
	fields,
	facts: { scope: SCOPE.liveChatWrite, scopeListed: true, ids: { conversationId: 'Conversation', visitorId: 'Visitor' } },
};
