import { type Operation } from '../../shared/operation';
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { contactIdField, LIST_VALUE, messageTextField } from '../../shared/fields';
import { dropBlankBody, requireField, sendDate, sendJson, sendValue } from '../../shared/preSend';
import { itemError } from '../../shared/errors';
import { SCOPE } from '../../../../credentials/constants';

/** The channels a message can be sent on (SendMessageBodyDto.type). */
const SEND_MESSAGE_TYPES = [
	{ name: 'Custom Provider', value: 'Custom' },
	{ name: 'Email', value: 'Email' },
	{ name: 'Facebook', value: 'FB' },
	{ name: 'Instagram', value: 'IG' },
	{ name: 'Live Chat', value: 'Live_Chat' },
	{ name: 'RCS', value: 'RCS' },
	{ name: 'SMS', value: 'SMS' },
	{ name: 'TikTok', value: 'TIKTOK' },
	{ name: 'WhatsApp', value: 'WhatsApp' },
];

/**
 * preSend: leaves out blank optional values, checks that a Custom-channel message names its
 * provider, and that the message has content: a text, attachments, or for Email an HTML body or a
 * subject.
 */
async function checkMessageContent(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const body: IDataObject = dropBlankBody(requestOptions, [
		'message',
		'subject',
		'html',
		'attachments',
		'emailCc',
		'emailBcc',
		'conversationProviderId',
	]);
	if (body.type === 'Custom' && body.conversationProviderId === undefined) {
		throw itemError.call(
			this,
			'The "Conversation Provider ID" field is empty',
			'A message on the Custom channel needs the conversation provider that delivers it.',
		);
	}
	if (body.type !== 'Custom') delete body.conversationProviderId;
	const isEmail = body.type === 'Email';
	if (body.message !== undefined || body.attachments !== undefined) return requestOptions;
	if (isEmail && (body.html !== undefined || body.subject !== undefined)) return requestOptions;
	throw itemError.call(
		this,
		'The "Message" field is empty',
		isEmail
			? 'Enter the text to send in "Message", or an "HTML" body or a "Subject".'
			: 'Enter the text to send in "Message" (or add "Attachment URLs").',
	);
}

const fields: INodeProperties[] = [
	{
		displayName: 'Channel',
		name: 'type',
		type: 'options',
		options: SEND_MESSAGE_TYPES,
		default: 'SMS',
		required: true,
		description: 'The channel to send the message on',
		routing: { send: { type: 'body', property: 'type' } },
	},
	contactIdField,
	{
		displayName: 'Conversation Provider ID',
		name: 'conversationProviderId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 61d6d1f9cdac7612faf80753',
		description: 'The custom conversation provider that delivers the message (Custom channel only)',
		// Not `required`: with Channel as an expression n8n would demand it for every channel.
		// checkMessageContent asks for it when the resolved channel is Custom.
		displayOptions: { show: { type: ['Custom'] } },
		routing: { send: { type: 'body', property: 'conversationProviderId' } },
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		placeholder: 'e.g. Your appointment',
		description: 'Subject line of the email',
		displayOptions: { show: { type: ['Email'] } },
		routing: { send: { type: 'body', property: 'subject' } },
	},
	messageTextField,
	{
		displayName: 'HTML',
		name: 'html',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'e.g. <p>Hello</p>',
		description: 'HTML body of the email',
		displayOptions: { show: { type: ['Email'] } },
		routing: { send: { type: 'body', property: 'html' } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Appointment ID',
				name: 'appointmentId',
				type: 'string',
				default: '',
				description: 'Appointment the message is about',
				routing: { send: { type: 'body', property: 'appointmentId' } },
			},
			{
				displayName: 'Attachment URLs',
				name: 'attachments',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/file.pdf, https://example.com/photo.jpg',
				description: 'URLs of files to attach, comma-separated (or an array from an expression)',
				routing: { send: { type: 'body', property: 'attachments', value: LIST_VALUE } },
			},
			{
				displayName: 'BCC',
				name: 'emailBcc',
				type: 'string',
				default: '',
				placeholder: 'e.g. a@example.com, b@example.com',
				description: 'Email addresses to blind-copy, comma-separated',
				displayOptions: { show: { '/type': ['Email'] } },
				routing: { send: { type: 'body', property: 'emailBcc', value: LIST_VALUE } },
			},
			{
				displayName: 'CC',
				name: 'emailCc',
				type: 'string',
				default: '',
				placeholder: 'e.g. a@example.com, b@example.com',
				description: 'Email addresses to copy, comma-separated',
				displayOptions: { show: { '/type': ['Email'] } },
				routing: { send: { type: 'body', property: 'emailCc', value: LIST_VALUE } },
			},
			{
				displayName: 'Custom Subtype ID',
				name: 'customSubtypeId',
				type: 'string',
				default: '',
				description: "Custom subtype of the email, for the contact's unsubscription preferences",
				displayOptions: { show: { '/type': ['Email'] } },
				routing: { send: { type: 'body', property: 'customSubtypeId' } },
			},
			{
				displayName: 'Email From',
				name: 'emailFrom',
				type: 'string',
				default: '',
				placeholder: 'e.g. sender@company.com',
				description: 'Email address to send from',
				displayOptions: { show: { '/type': ['Email'] } },
				routing: { send: { type: 'body', property: 'emailFrom' } },
			},
			{
				displayName: 'Email To',
				name: 'emailTo',
				type: 'string',
				default: '',
				placeholder: 'e.g. recipient@company.com',
				description: "Email address to send to, when not the contact's primary one (it must belong to the contact)",
				displayOptions: { show: { '/type': ['Email'] } },
				routing: { send: { type: 'body', property: 'emailTo' } },
			},
			{
				displayName: 'Forward (JSON)',
				name: 'forward',
				type: 'json',
				default: '{\n  "isForwarded": true,\n  "messageId": ""\n}',
				description:
					'Forwarding settings of the email: isForwarded, forwardWholeThread, messageId, emailMessageId, toEmail, recipientContactId',
				displayOptions: { show: { '/type': ['Email'] } },
				routing: {
					send: { preSend: [sendJson('additionalFields.forward', 'forward', 'Forward (JSON)')] },
				},
			},
			{
				displayName: 'From Number',
				name: 'fromNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. +14155550100',
				description: 'Phone number to send from',
				displayOptions: { show: { '/type': ['SMS', 'RCS'] } },
				routing: { send: { type: 'body', property: 'fromNumber' } },
			},
			{
				displayName: 'Optimization Period',
				name: 'optimizationPeriod',
				type: 'options',
				options: [
					{ name: '24 Hours', value: '24h' },
					{ name: '48 Hours', value: '48h' },
					{ name: '72 Hours', value: '72h' },
				],
				default: '24h',
				description: 'Window in which native AI scheduling picks the send time',
				displayOptions: { show: { '/type': ['Email'] } },
				routing: { send: { type: 'body', property: 'optimizationPeriod' } },
			},
			{
				displayName: 'Reply Mode',
				name: 'emailReplyMode',
				type: 'options',
				options: [
					{ name: 'Reply', value: 'reply' },
					{ name: 'Reply All', value: 'reply_all' },
				],
				default: 'reply',
				description: 'Whom the reply goes to when replying in an email thread',
				displayOptions: { show: { '/type': ['Email'] } },
				routing: { send: { type: 'body', property: 'emailReplyMode' } },
			},
			{
				displayName: 'Reply To Message ID',
				name: 'replyMessageId',
				type: 'string',
				default: '',
				description: 'ID of the message this one replies to',
				routing: { send: { type: 'body', property: 'replyMessageId' } },
			},
			{
				displayName: 'Schedule At',
				name: 'scheduledTimestamp',
				type: 'dateTime',
				default: '',
				description: 'When to send the message instead of now',
				routing: {
					send: {
						preSend: [sendDate('additionalFields.scheduledTimestamp', 'body', 'scheduledTimestamp', 'Schedule At', 'seconds')],
					},
				},
			},
			{
				displayName: 'Template ID',
				name: 'templateId',
				type: 'string',
				default: '',
				description: 'Message template to use',
				routing: { send: { type: 'body', property: 'templateId' } },
			},
			{
				displayName: 'Thread ID',
				name: 'threadId',
				type: 'string',
				default: '',
				description: 'Email thread to reply in (the message ID of the thread)',
				displayOptions: { show: { '/type': ['Email'] } },
				routing: { send: { type: 'body', property: 'threadId' } },
			},
			{
				displayName: 'To Number',
				name: 'toNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. +14155550123',
				description: "Phone number to send to, when not the contact's primary one",
				displayOptions: { show: { '/type': ['SMS', 'RCS'] } },
				routing: { send: { type: 'body', property: 'toNumber' } },
			},
			{
				displayName: 'Uses Native Scheduling AI',
				name: 'usesNativeSchedulingAi',
				type: 'boolean',
				default: false,
				description: "Whether HighLevel's AI picks the best time to send the scheduled email",
				displayOptions: { show: { '/type': ['Email'] } },
				routing: { send: { type: 'body', property: 'usesNativeSchedulingAi' } },
			},
		],
	},
];

export const send: Operation = {
	option: {
		name: 'Send',
		value: 'send',
		action: 'Send a message',
		description:
			"Send an SMS, email, WhatsApp, chat or social message to a contact. Use it to reply: HighLevel adds it to the contact's conversation on that channel. Returns the new message's ID and its conversation's ID.",
		routing: {
			request: { method: 'POST', url: '/conversations/messages' },
			send: { preSend: [sendValue('contactId', 'body', 'contactId'), checkMessageContent, requireField('contactId', 'Contact')] },
		},
	},
	fields,
	facts: {
		scope: SCOPE.messageWrite,
		scopeListed: true,
		ids: { contactId: 'Contact', conversationProviderId: 'Conversation provider' },
		sendsMessage: true,
	},
};
