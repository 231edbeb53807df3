import { SCOPE, type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';

const fields: INodeProperties[] = [
	{
		displayName: 'Email Message ID',
		name: 'emailMessageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
		description: 'ID of the email message (the emailMessageId returned when an email is sent)',
	},
];

export const get: Operation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get an email',
		description: 'Get an email message by its ID',
		routing: {
			request: { method: 'GET', url: '/conversations/messages/email/{emailMessageId}' },
		},
	},
	fields,
	facts: { scope: SCOPE.messageRead, scopeListed: false, ids: { emailMessageId: 'Email message' } },
};
