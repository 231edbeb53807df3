import { SCOPE, type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { conversationField } from '../../shared/fields';

const fields: INodeProperties[] = [
	conversationField,
];

export const deleteOperation: Operation = {
	option: {
		name: 'Delete',
		value: 'delete',
		action: 'Delete a conversation',
		routing: {
			request: { method: 'DELETE', url: '/conversations/{conversationId}' },
		},
	},
	fields,
	facts: { scope: SCOPE.write, scopeListed: true, ids: { conversationId: 'Conversation' } },
};
