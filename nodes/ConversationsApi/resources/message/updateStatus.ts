import type { INodeProperties } from 'n8n-workflow';
import { LIST_VALUE, messageIdField } from '../../shared/descriptions';
import { sendJson } from '../../shared/hooks';
import { showFor } from './helpers';

const showOnlyForMessageUpdateStatus = showFor('updateStatus');

export const messageUpdateStatusDescription: INodeProperties[] = [
	{
		...messageIdField,
		description: 'The message whose delivery status to set',
		displayOptions: { show: showOnlyForMessageUpdateStatus },
	},
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
		displayOptions: { show: showOnlyForMessageUpdateStatus },
		routing: { send: { type: 'body', property: 'status' } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showOnlyForMessageUpdateStatus },
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
				description: 'The provider\'s error, with code, type and message, for a failed message',
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
