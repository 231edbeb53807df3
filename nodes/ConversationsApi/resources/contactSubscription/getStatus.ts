import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { contactIdField, locationIdField } from '../../shared/fields';
import { requireField, sendIfSet, sendLocation, sendValue } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [
	contactIdField,
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'name@email.com',
		description: 'Only the statuses of this email address. Empty: all email addresses of the contact.',
		routing: { send: { preSend: [sendIfSet('email', 'qs')] } },
	},
	locationIdField,
];

export const getStatus: Operation = {
	option: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get the subscription status of a contact',
		description: "Get the subscription statuses of a contact's email addresses",
		routing: {
			request: { method: 'GET', url: '/conversations/preferences/unsubscriptions/status' },
			send: { preSend: [sendValue('contactId', 'qs', 'contactId'), sendLocation('qs'), requireField('contactId', 'Contact')] },
		},
	},
	fields,
	facts: { scope: SCOPE.read, scopeListed: false, ids: { contactId: 'Contact' } },
};
