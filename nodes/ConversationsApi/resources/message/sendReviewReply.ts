import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { conversationField, locationIdField } from '../../shared/fields';
import { requireField, sendLocation, sendLocator } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [
	conversationField,
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Thank you for your review!',
		description: 'Text of the reply',
		routing: {
			send: { type: 'body', property: 'message', preSend: [requireField('message', 'Message')] },
		},
	},
	locationIdField,
];

export const sendReviewReply: Operation = {
	option: {
		name: 'Send Review Reply',
		value: 'sendReviewReply',
		action: 'Send a review reply',
		description:
			'Deprecated by HighLevel (v3 spec, June 2026: internal-only, not supported for OAuth or public API apps, to be removed). Reply to a Google Business Profile review.',
		routing: {
			request: { method: 'POST', url: '/conversations/messages/review-reply' },
			send: { preSend: [sendLocation('body'), sendLocator('conversationId', 'conversationId', 'Conversation')] },
		},
	},
	fields,
	facts: { scope: SCOPE.messageWrite, scopeListed: false, ids: { conversationId: 'Conversation' }, sendsMessage: true },
};
