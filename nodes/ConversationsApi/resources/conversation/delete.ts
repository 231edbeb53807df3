import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { conversationField } from '../../shared/fields';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [conversationField];

export const deleteOperation: Operation = {
	option: {
		name: 'Delete',
		value: 'delete',
		action: 'Delete a conversation',
		description: 'Delete a conversation and its messages for good',
		routing: {
			request: { method: 'DELETE', url: '/conversations/{conversationId}' },
		},
	},
	fields,
	facts: { scope: SCOPE.write, scopeListed: true, ids: { conversationId: 'Conversation' } },
};
