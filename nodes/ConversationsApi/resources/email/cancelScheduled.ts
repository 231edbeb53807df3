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
		description: 'ID of the scheduled email message to cancel',
	},
];

export const cancelScheduled: Operation = {
	option: {
		name: 'Cancel Scheduled',
		value: 'cancelScheduled',
		action: 'Cancel a scheduled email',
		description: 'Cancel an email message that is scheduled and not yet sent',
		routing: {
			request: { method: 'DELETE', url: '/conversations/messages/email/{emailMessageId}/schedule' },
		},
	},
	fields,
	facts: { scope: SCOPE.messageWrite, scopeListed: true, ids: { emailMessageId: 'Email message' } },
};
