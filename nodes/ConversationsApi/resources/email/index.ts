import type { INodeProperties } from 'n8n-workflow';
import { API_VERSION_V3 } from '../../shared/constants';
import { resolvePath } from '../../shared/transport';
import { emailCancelScheduledDescription } from './cancelScheduled';
import { emailGetDescription } from './get';
import { emailUpdateStatusDescription } from './updateStatus';

const showOnlyForEmails = {
	resource: ['email'],
};

export const emailDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForEmails },
		options: [
			{
				name: 'Cancel Scheduled',
				value: 'cancelScheduled',
				action: 'Cancel a scheduled email',
				description: 'Cancel an email message that is scheduled and not yet sent',
				routing: {
					request: { method: 'DELETE', url: '/conversations/messages/email/{emailMessageId}/schedule' },
					send: { preSend: [resolvePath] },
				},
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an email',
				description: 'Get an email message by its ID',
				routing: {
					request: { method: 'GET', url: '/conversations/messages/email/{emailMessageId}' },
					send: { preSend: [resolvePath] },
				},
			},
			{
				name: 'Update Status',
				value: 'updateStatus',
				action: 'Update the status of an email',
				description:
					'Report delivery events and statuses of an email sent through a custom conversation provider',
				routing: {
					// This endpoint exists only at API version v3.
					request: {
						method: 'PUT',
						url: '/conversations/messages/email/{emailMessageId}/status',
						headers: { Version: API_VERSION_V3 },
					},
					send: { preSend: [resolvePath] },
				},
			},
		],
		default: 'get',
	},
	...emailCancelScheduledDescription,
	...emailGetDescription,
	...emailUpdateStatusDescription,
];
