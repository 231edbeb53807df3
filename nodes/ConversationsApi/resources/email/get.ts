import type { INodeProperties } from 'n8n-workflow';

export const emailGetDescription: INodeProperties[] = [
	{
		displayName: 'Email Message ID',
		name: 'emailMessageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
		description: 'ID of the email message (the emailMessageId returned when an email is sent)',
		displayOptions: { show: { operation: ['get'], resource: ['email'] } },
	},
];
