import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { conversationField } from '../../shared/fields';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [conversationField];

export const get: Operation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a conversation',
		description:
			'Get a conversation by its ID. Use it to see whether a person is assigned, or whether it is unread or starred. Returns its contact, channel, assignee, unread count and last message.',
		routing: {
			request: { method: 'GET', url: '/conversations/{conversationId}' },
		},
	},
	fields,
	facts: { scope: SCOPE.read, scopeListed: true, ids: { conversationId: 'Conversation' } },
};
