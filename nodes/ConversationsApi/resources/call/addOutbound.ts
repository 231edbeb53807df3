import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { conversationField, conversationProviderIdField, LIST_VALUE } from '../../shared/fields';
import { requireField, sendDate, sendLocator, sendValue } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [
	conversationField,
	conversationProviderIdField,
	{
		displayName: 'Call Details',
		name: 'callDetails',
		type: 'collection',
		placeholder: 'Add Call Detail',
		default: {},
		options: [
			{
				displayName: 'From',
				name: 'from',
				type: 'string',
				default: '',
				placeholder: 'e.g. +15037081210',
				description: 'Phone number of the dialer',
				routing: { send: { type: 'body', property: 'call.from' } },
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Answered', value: 'answered' },
					{ name: 'Busy', value: 'busy' },
					{ name: 'Canceled', value: 'canceled' },
					{ name: 'Completed', value: 'completed' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'No Answer', value: 'no-answer' },
					{ name: 'Pending', value: 'pending' },
					{ name: 'Voicemail', value: 'voicemail' },
				],
				default: 'completed',
				description: 'Outcome of the call',
				routing: { send: { type: 'body', property: 'call.status' } },
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'string',
				default: '',
				placeholder: 'e.g. +15037081210',
				description: 'Phone number of the receiver',
				routing: { send: { type: 'body', property: 'call.to' } },
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Alt ID',
				name: 'altId',
				type: 'string',
				default: '',
				description: 'The ID of the call in the calling provider, to match it later',
				routing: { send: { type: 'body', property: 'altId' } },
			},
			{
				displayName: 'Attachment URLs',
				name: 'attachments',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://provider.com/recordings/call-123.mp3',
				description: 'URLs of files to attach (e.g. the recording), comma-separated or an array',
				routing: { send: { type: 'body', property: 'attachments', value: LIST_VALUE } },
			},
			{
				displayName: 'Date',
				name: 'date',
				type: 'dateTime',
				default: '',
				description: "When the call took place. Without a time zone, the workflow's time zone applies.",
				routing: {
					send: { preSend: [sendDate('additionalFields.date', 'body', 'date', 'Date')] },
				},
			},
		],
	},
];

export const addOutbound: Operation = {
	option: {
		name: 'Add Outbound Call',
		value: 'addOutbound',
		action: 'Add an outbound call',
		description: 'Log a call made through a custom calling provider in a conversation',
		routing: {
			request: {
				method: 'POST',
				url: '/conversations/messages/outbound',
				body: { type: 'Call' },
			},
			send: {
				preSend: [
					sendValue('conversationProviderId', 'body', 'conversationProviderId', true),
					sendLocator('conversationId', 'conversationId', 'Conversation'),
					requireField('conversationProviderId', 'Conversation Provider ID'),
				],
			},
		},
	},
	fields,
	facts: {
		scope: SCOPE.messageWrite,
		scopeListed: false,
		ids: { conversationId: 'Conversation', conversationProviderId: 'Conversation provider' },
	},
};
