import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { conversationField, locationIdField } from '../../shared/fields';
import { sendJson, sendLocation } from '../../shared/preSend';
import { simplifiedOutput, simplifyConversation, simplifyRecordFields } from '../../shared/simplify';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [
	conversationField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
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
	...simplifyRecordFields,
	locationIdField,
];

export const update: Operation = {
	option: {
		name: 'Update',
		value: 'update',
		action: 'Update a conversation',
		description:
			'Mark a conversation read or unread, star or unstar it. Use it to flag a conversation for the team. Returns the conversation as updated.',
		routing: {
			request: { method: 'PUT', url: '/conversations/{conversationId}' },
			send: { preSend: [sendLocation('body')] },
			output: {
				postReceive: [{ type: 'rootProperty', properties: { property: 'conversation' } }, simplifiedOutput(simplifyConversation)],
			},
		},
	},
	fields,
	facts: { scope: SCOPE.write, scopeListed: true, ids: { conversationId: 'Conversation' } },
};
