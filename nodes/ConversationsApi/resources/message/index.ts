import type { INodeProperties } from 'n8n-workflow';
import { omitBlank, sendLocation } from '../../shared/hooks';
import { resolvePath } from '../../shared/transport';
import { messageAddInboundDescription } from './addInbound';
import { messageCancelScheduledDescription } from './cancelScheduled';
import { exportPagination, messageExportDescription } from './export';
import { messageGetDescription, unwrapMessage } from './get';
import { messageGetManyDescription, messagesPagination } from './getAll';
import { successOnEmpty } from './helpers';
import { checkMessageContent, messageSendDescription } from './send';
import { messageSendReviewReplyDescription } from './sendReviewReply';
import { messageSetAttachmentsDescription } from './setAttachments';
import { messageUpdateStatusDescription } from './updateStatus';

const showOnlyForMessages = {
	resource: ['message'],
};

export const messageDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForMessages },
		options: [
			{
				name: 'Add Inbound',
				value: 'addInbound',
				action: 'Add an inbound message',
				description: 'Record a message received through a custom conversation provider',
				routing: {
					request: { method: 'POST', url: '/conversations/messages/inbound' },
					send: {
						preSend: [resolvePath, omitBlank(['message', 'attachments', 'emailCc', 'emailBcc'])],
					},
				},
			},
			{
				name: 'Cancel Scheduled',
				value: 'cancelScheduled',
				action: 'Cancel a scheduled message',
				routing: {
					request: { method: 'DELETE', url: '/conversations/messages/{messageId}/schedule' },
					send: { preSend: [resolvePath] },
					output: { postReceive: [successOnEmpty] },
				},
			},
			{
				name: 'Export',
				value: 'export',
				action: 'Export messages',
				description: 'Export the messages of a location, with filters',
				routing: {
					request: { method: 'GET', url: '/conversations/messages/export' },
					send: { paginate: true, preSend: [resolvePath, sendLocation('qs')] },
					operations: { pagination: exportPagination },
				},
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a message',
				routing: {
					request: { method: 'GET', url: '/conversations/messages/{messageId}' },
					send: { preSend: [resolvePath] },
					output: { postReceive: [unwrapMessage] },
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many messages',
				description: 'Get the messages of a conversation',
				routing: {
					request: { method: 'GET', url: '/conversations/{conversationId}/messages' },
					send: { paginate: true, preSend: [resolvePath] },
					operations: { pagination: messagesPagination },
				},
			},
			{
				name: 'Send',
				value: 'send',
				action: 'Send a message',
				description: 'Send an SMS, email, chat or social message to a contact',
				routing: {
					request: { method: 'POST', url: '/conversations/messages' },
					send: { preSend: [resolvePath, checkMessageContent] },
				},
			},
			{
				name: 'Send Review Reply',
				value: 'sendReviewReply',
				action: 'Send a review reply',
				description:
					'Deprecated by HighLevel (v3 spec, June 2026: internal-only, not supported for OAuth or public API apps, to be removed). Reply to a Google Business Profile review',
				routing: {
					request: { method: 'POST', url: '/conversations/messages/review-reply' },
					send: { preSend: [resolvePath, sendLocation('body')] },
				},
			},
			{
				name: 'Set Attachments',
				value: 'setAttachments',
				action: 'Set the attachments of a message',
				description: 'Replace the attachment URLs of a message (at most 5)',
				routing: {
					request: { method: 'PUT', url: '/conversations/messages/{messageId}/attachments' },
					send: { preSend: [resolvePath] },
					output: { postReceive: [successOnEmpty] },
				},
			},
			{
				name: 'Update Status',
				value: 'updateStatus',
				action: 'Update the status of a message',
				description: 'Set the delivery status of a message sent by a custom provider',
				routing: {
					request: { method: 'PUT', url: '/conversations/messages/{messageId}/status' },
					send: { preSend: [resolvePath] },
				},
			},
		],
		default: 'send',
	},
	...messageAddInboundDescription,
	...messageCancelScheduledDescription,
	...messageExportDescription,
	...messageGetDescription,
	...messageGetManyDescription,
	...messageSendDescription,
	...messageSendReviewReplyDescription,
	...messageSetAttachmentsDescription,
	...messageUpdateStatusDescription,
];
