import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { messageIdField } from '../../shared/fields';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [messageIdField];

export const cancelScheduled: Operation = {
	option: {
		name: 'Cancel Scheduled',
		value: 'cancelScheduled',
		action: 'Cancel a scheduled message',
		description: 'Cancel a message that is scheduled and not yet sent',
		routing: {
			request: { method: 'DELETE', url: '/conversations/messages/{messageId}/schedule' },
		},
	},
	fields,
	facts: { scope: SCOPE.messageWrite, scopeListed: true, ids: { messageId: 'Message' } },
};
