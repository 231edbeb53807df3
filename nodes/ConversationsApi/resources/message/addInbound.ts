import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { contactIdField, conversationField, conversationProviderIdField, LIST_VALUE, messageTextField } from '../../shared/fields';
import { omitBlank, requireField, sendDate, sendJson, sendLocator, sendValue } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

/** The message types an inbound message can have (ProcessMessageBodyDto.type). */
const INBOUND_MESSAGE_TYPES = [
	{ name: 'All-in-One Chat', value: 'ALL_IN_ONE_CHAT' },
	{ name: 'Call', value: 'Call' },
	{ name: 'Campaign Call', value: 'Campaign_Call' },
	{ name: 'Campaign Voicemail', value: 'Campaign_VoiceMail' },
	{ name: 'Custom', value: 'Custom' },
	{ name: 'Email', value: 'Email' },
	{ name: 'Facebook', value: 'FB' },
	{ name: 'Form Submission', value: 'FORM_SUBMISSION' },
	{ name: 'Google Business Profile', value: 'GMB' },
	{ name: 'Instagram', value: 'IG' },
	{ name: 'IVR Call', value: 'IVR_Call' },
	{ name: 'Live Chat', value: 'Live_Chat' },
	{ name: 'RCS', value: 'RCS' },
	{ name: 'SMS', value: 'SMS' },
	{ name: 'TikTok', value: 'TIKTOK' },
	{ name: 'Web Chat', value: 'WebChat' },
	{ name: 'WhatsApp', value: 'WhatsApp' },
];

const fields: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: INBOUND_MESSAGE_TYPES,
		default: 'SMS',
		required: true,
		description: 'The channel the message came in on',
		routing: { send: { type: 'body', property: 'type' } },
	},
	conversationField,
	contactIdField,
	conversationProviderIdField,
	messageTextField,
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
				description: "The message's ID at the external (mail) provider",
				routing: { send: { type: 'body', property: 'altId' } },
			},
			{
				displayName: 'Attachment URLs',
				name: 'attachments',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/file.pdf, https://example.com/photo.jpg',
				description: 'URLs of attached files, comma-separated (or an array from an expression)',
				routing: { send: { type: 'body', property: 'attachments', value: LIST_VALUE } },
			},
			{
				displayName: 'BCC',
				name: 'emailBcc',
				type: 'string',
				default: '',
				placeholder: 'e.g. a@example.com, b@example.com',
				description: 'Blind-copied email addresses, comma-separated',
				routing: { send: { type: 'body', property: 'emailBcc', value: LIST_VALUE } },
			},
			{
				displayName: 'Call (JSON)',
				name: 'call',
				type: 'json',
				default: '{\n  "to": "",\n  "from": "",\n  "status": "completed"\n}',
				description: 'Phone call details: to, from and status (pending, completed, answered, busy, no-answer, failed, canceled, voicemail)',
				routing: { send: { preSend: [sendJson('additionalFields.call', 'call', 'Call (JSON)')] } },
			},
			{
				displayName: 'CC',
				name: 'emailCc',
				type: 'string',
				default: '',
				placeholder: 'e.g. a@example.com, b@example.com',
				description: 'Copied email addresses, comma-separated',
				routing: { send: { type: 'body', property: 'emailCc', value: LIST_VALUE } },
			},
			{
				displayName: 'Date',
				name: 'date',
				type: 'dateTime',
				default: '',
				description: 'When the message was received',
				routing: { send: { preSend: [sendDate('additionalFields.date', 'body', 'date', 'Date')] } },
			},
			{
				displayName: 'Email From',
				name: 'emailFrom',
				type: 'string',
				default: '',
				placeholder: 'e.g. sender@company.com',
				description: "Sender's email address",
				routing: { send: { type: 'body', property: 'emailFrom' } },
			},
			{
				displayName: 'Email Message ID',
				name: 'emailMessageId',
				type: 'string',
				default: '',
				description: 'Email message this one replies to, to thread it',
				routing: { send: { type: 'body', property: 'emailMessageId' } },
			},
			{
				displayName: 'Email To',
				name: 'emailTo',
				type: 'string',
				default: '',
				placeholder: 'e.g. recipient@company.com',
				description: "Recipient's email address",
				routing: { send: { type: 'body', property: 'emailTo' } },
			},
			{
				displayName: 'HTML',
				name: 'html',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'HTML body of an email',
				routing: { send: { type: 'body', property: 'html' } },
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: 'Subject of an email',
				routing: { send: { type: 'body', property: 'subject' } },
			},
		],
	},
];

export const addInbound: Operation = {
	option: {
		name: 'Add Inbound',
		value: 'addInbound',
		action: 'Add an inbound message',
		description: 'Record a message received through a custom conversation provider',
		routing: {
			request: { method: 'POST', url: '/conversations/messages/inbound' },
			send: {
				preSend: [
					sendValue('contactId', 'body', 'contactId'),
					sendValue('conversationProviderId', 'body', 'conversationProviderId'),
					omitBlank(['message', 'attachments', 'emailCc', 'emailBcc']),
					sendLocator('conversationId', 'conversationId', 'Conversation'),
					requireField('contactId', 'Contact'),
					requireField('conversationProviderId', 'Conversation Provider ID'),
				],
			},
		},
	},
	fields,
	facts: {
		scope: SCOPE.messageWrite,
		scopeListed: true,
		ids: { conversationId: 'Conversation', contactId: 'Contact', conversationProviderId: 'Conversation provider' },
	},
};
