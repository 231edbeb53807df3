import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { LIST_VALUE, messageIdField } from '../../shared/fields';
import { sendJson } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [
	messageIdField,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Delivered', value: 'delivered' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Pending', value: 'pending' },
			{ name: 'Read', value: 'read' },
		],
		default: 'delivered',
		required: true,
		description: 'The new status of the message',
		hint: 'Only the conversation provider that sent the message can update its status',
		routing: { send: { type: 'body', property: 'status' } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Email Message ID',
				name: 'emailMessageId',
				type: 'string',
				default: '',
				description: 'The email message, for an email',
				routing: { send: { type: 'body', property: 'emailMessageId' } },
			},
			{
				displayName: 'Error (JSON)',
				name: 'error',
				type: 'json',
				default: '{\n  "code": "1",\n  "type": "saas",\n  "message": ""\n}',
				description: "The provider's error, with code, type and message, for a failed message",
				routing: {
					send: { preSend: [sendJson('additionalFields.error', 'error', 'Error (JSON)')] },
				},
			},
			{
				displayName: 'Recipients',
				name: 'recipients',
				type: 'string',
				default: '',
				placeholder: 'e.g. a@example.com, b@example.com',
				description: 'Additional email recipients the status applies to, comma-separated',
				routing: { send: { type: 'body', property: 'recipients', value: LIST_VALUE } },
			},
		],
	},
];

export const updateStatus: Operation = {
	option: {
		name: 'Update Status',
		value: 'updateStatus',
		action: 'Update the status of a message',
		description: 'Set the delivery status of a message sent by a custom provider',
		routing: {
			request: { method: 'PUT', url: '/conversations/messages/{messageId}/status' },
		},
	},
	fields,
	facts: { scope: SCOPE.messageWrite, scopeListed: true, ids: { messageId: 'Message' } },
};
