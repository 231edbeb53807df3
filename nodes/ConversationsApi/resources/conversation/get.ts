import { SCOPE, type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { conversationField } from '../../shared/fields';

const fields: INodeProperties[] = [
	conversationField,
];

export const get: Operation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a conversation',
		routing: {
			request: { method: 'GET', url: '/conversations/{conversationId}' },
		},
	},
	fields,
	facts: { scope: SCOPE.read, scopeListed: true, ids: { conversationId: 'Conversation' } },
};
