import type { INodeProperties } from 'n8n-workflow';
import { conversationSelect, locationIdField } from '../../shared/descriptions';
import { requireField, sendLocator } from '../../shared/hooks';
import { showFor } from './helpers';

const showOnlyForMessageSendReviewReply = showFor('sendReviewReply');

export const messageSendReviewReplyDescription: INodeProperties[] = [
	{
		...conversationSelect,
		description: 'The review\'s conversation (a Google Business Profile review)',
		displayOptions: { show: showOnlyForMessageSendReviewReply },
		routing: {
			send: { preSend: [sendLocator('conversationId', 'conversationId', 'Conversation')] },
		},
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Thank you for your review!',
		description: 'Text of the reply',
		displayOptions: { show: showOnlyForMessageSendReviewReply },
		routing: {
			send: { type: 'body', property: 'message', preSend: [requireField('message', 'Message')] },
		},
	},
	{
		...locationIdField,
		displayOptions: { show: showOnlyForMessageSendReviewReply },
	},
];
