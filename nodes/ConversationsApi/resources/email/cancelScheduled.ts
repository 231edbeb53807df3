import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { emailMessageIdField } from '../../shared/fields';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [emailMessageIdField];

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
