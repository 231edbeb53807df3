import type { INodeProperties } from 'n8n-workflow';
import { resolvePath } from '../../shared/transport';
import { sendLocation } from '../../shared/hooks';
import { conversationCreateDescription } from './create';
import { conversationDeleteDescription } from './delete';
import { conversationGetDescription } from './get';
import { conversationGetManyDescription, searchPagination } from './getAll';
import { conversationUpdateDescription } from './update';

const showOnlyForConversations = {
	resource: ['conversation'],
};

export const conversationDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForConversations },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a conversation',
				description: 'Start a conversation with a contact',
				routing: {
					request: { method: 'POST', url: '/conversations/' },
					send: { preSend: [resolvePath, sendLocation('body')] },
					output: {
						postReceive: [{ type: 'rootProperty', properties: { property: 'conversation' } }],
					},
				},
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a conversation',
				routing: {
					request: { method: 'DELETE', url: '/conversations/{conversationId}' },
					send: { preSend: [resolvePath] },
				},
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a conversation',
				routing: {
					request: { method: 'GET', url: '/conversations/{conversationId}' },
					send: { preSend: [resolvePath] },
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Search conversations',
				description: 'Search and filter the conversations of a location',
				routing: {
					request: { method: 'GET', url: '/conversations/search' },
					send: { paginate: true, preSend: [resolvePath, sendLocation('qs')] },
					operations: { pagination: searchPagination },
				},
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a conversation',
				description: 'Mark read or unread, star or unstar a conversation',
				routing: {
					request: { method: 'PUT', url: '/conversations/{conversationId}' },
					send: { preSend: [resolvePath, sendLocation('body')] },
					output: {
						postReceive: [{ type: 'rootProperty', properties: { property: 'conversation' } }],
					},
				},
			},
		],
		default: 'getAll',
	},
	...conversationCreateDescription,
	...conversationDeleteDescription,
	...conversationGetDescription,
	...conversationGetManyDescription,
	...conversationUpdateDescription,
];
