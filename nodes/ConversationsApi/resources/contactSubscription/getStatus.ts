import type { INodeProperties } from 'n8n-workflow';
import { contactIdField, locationIdField } from '../../shared/descriptions';
import { requireField, sendIfSet } from '../../shared/hooks';

const showOnlyForContactSubscriptionGetStatus = {
	operation: ['getStatus'],
	resource: ['contactSubscription'],
};

export const contactSubscriptionGetStatusDescription: INodeProperties[] = [
	{
		...contactIdField,
		description: 'The contact whose subscription statuses to get',
		displayOptions: { show: showOnlyForContactSubscriptionGetStatus },
		routing: {
			send: { type: 'query', property: 'contactId', preSend: [requireField('contactId', 'Contact ID')] },
		},
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'name@email.com',
		description: 'Only the statuses of this email address. Empty: all email addresses of the contact.',
		displayOptions: { show: showOnlyForContactSubscriptionGetStatus },
		routing: { send: { preSend: [sendIfSet('email', 'qs')] } },
	},
	{
		...locationIdField,
		displayOptions: { show: showOnlyForContactSubscriptionGetStatus },
	},
];
