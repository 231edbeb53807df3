import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { contactIdField, locationIdField } from '../../shared/fields';
import { requireField, sendLocation, sendValue } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [contactIdField, locationIdField];

export const create: Operation = {
	option: {
		name: 'Create',
		value: 'create',
		action: 'Create a conversation',
		description: 'Start a conversation with a contact',
		routing: {
			request: { method: 'POST', url: '/conversations/' },
			send: { preSend: [sendValue('contactId', 'body', 'contactId'), sendLocation('body'), requireField('contactId', 'Contact')] },
			output: {
				postReceive: [{ type: 'rootProperty', properties: { property: 'conversation' } }],
			},
		},
	},
	fields,
	facts: { scope: SCOPE.write, scopeListed: true, ids: { contactId: 'Contact' } },
};
