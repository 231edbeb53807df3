import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { emailMessageIdField } from '../../shared/fields';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [emailMessageIdField];

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
