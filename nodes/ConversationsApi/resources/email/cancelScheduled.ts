import type { INodeProperties } from 'n8n-workflow';

export const emailCancelScheduledDescription: INodeProperties[] = [
	{
		displayName: 'Email Message ID',
		name: 'emailMessageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
		description: 'ID of the scheduled email message to cancel',
		displayOptions: { show: { operation: ['cancelScheduled'], resource: ['email'] } },
	},
];
