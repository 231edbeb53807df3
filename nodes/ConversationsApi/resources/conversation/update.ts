import type { INodeProperties } from 'n8n-workflow';
import { conversationSelect, locationIdField } from '../../shared/descriptions';
import { sendJson } from '../../shared/hooks';

const showOnlyForConversationUpdate = {
	operation: ['update'],
	resource: ['conversation'],
};

export const conversationUpdateDescription: INodeProperties[] = [
	{
		...conversationSelect,
		displayOptions: { show: showOnlyForConversationUpdate },
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showOnlyForConversationUpdate },
		options: [
			{
				displayName: 'Feedback (JSON)',
				name: 'feedback',
				type: 'json',
				default: '{}',
				description: 'Feedback object to store on the conversation',
				routing: {
					send: { preSend: [sendJson('updateFields.feedback', 'feedback', 'Feedback (JSON)')] },
				},
			},
			{
				displayName: 'Starred',
				name: 'starred',
				type: 'boolean',
				default: true,
				description: 'Whether the conversation is starred',
				routing: { send: { type: 'body', property: 'starred' } },
			},
			{
				displayName: 'Unread Count',
				name: 'unreadCount',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Number of unread messages; 0 marks the conversation as read',
				routing: { send: { type: 'body', property: 'unreadCount' } },
			},
		],
	},
	{
		...locationIdField,
		displayOptions: { show: showOnlyForConversationUpdate },
	},
];
