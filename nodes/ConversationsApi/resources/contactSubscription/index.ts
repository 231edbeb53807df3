import type { INodeProperties } from 'n8n-workflow';
import { sendLocation } from '../../shared/hooks';
import { resolvePath } from '../../shared/transport';
import { contactSubscriptionChangeDescription } from './change';
import { contactSubscriptionGetStatusDescription } from './getStatus';

const showOnlyForContactSubscriptions = {
	resource: ['contactSubscription'],
};

export const contactSubscriptionDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForContactSubscriptions },
		options: [
			{
				name: 'Change',
				value: 'change',
				action: 'Change a contact subscription',
				description: 'Subscribe or unsubscribe a contact\'s email address, as an admin or agent',
				routing: {
					request: { method: 'POST', url: '/conversations/preferences/unsubscriptions/user-change' },
					send: { preSend: [resolvePath, sendLocation('body')] },
				},
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get the subscription status of a contact',
				description: 'Get the subscription statuses of a contact\'s email addresses',
				routing: {
					request: { method: 'GET', url: '/conversations/preferences/unsubscriptions/status' },
					send: { preSend: [resolvePath, sendLocation('qs')] },
				},
			},
		],
		default: 'getStatus',
	},
	...contactSubscriptionChangeDescription,
	...contactSubscriptionGetStatusDescription,
];
