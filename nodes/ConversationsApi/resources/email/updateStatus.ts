import { type Operation } from '../../shared/operation';
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { itemError } from '../../shared/errors';
import { emailMessageIdField } from '../../shared/fields';
import { put } from '../../shared/preSend';
import { SCOPE, API_VERSION_V3 } from '../../../../credentials/constants';

/** MessageStatus values the v3 UpdateEmailMessageStatusDto accepts. */
const MESSAGE_STATUSES: INodePropertyOptions[] = [
	{ name: 'Clicked', value: 'clicked' },
	{ name: 'Connected', value: 'connected' },
	{ name: 'Delivered', value: 'delivered' },
	{ name: 'Failed', value: 'failed' },
	{ name: 'Opened', value: 'opened' },
	{ name: 'Pending', value: 'pending' },
	{ name: 'Read', value: 'read' },
	{ name: 'Scheduled', value: 'scheduled' },
	{ name: 'Sent', value: 'sent' },
	{ name: 'Undelivered', value: 'undelivered' },
];

/** An event counter of EmailEventsDto, sent as `events.<property>`. */
function counter(displayName: string, name: string, property: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 1,
		description,
		routing: { send: { type: 'body', property: `events.${property}` } },
	};
}

/** preSend: the Recipients list becomes `recipients`: [{ emailId, status, failReason? }]. */
async function sendRecipients(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const entries = this.getNodeParameter('recipients.recipient', []) as IDataObject[];
	if (!Array.isArray(entries) || !entries.length) return requestOptions;
	const recipients = entries.map((entry, index) => {
		const emailId = String(entry.emailId ?? '').trim();
		if (!emailId) {
			throw itemError.call(
				this,
				`The "Recipients" field has an entry without an email (entry ${index + 1})`,
				'Enter the recipient\'s email address in "Email" of every Recipients entry, or remove the entry.',
			);
		}
		const recipient: IDataObject = { emailId, status: entry.status };
		const failReason = String(entry.failReason ?? '').trim();
		if (failReason) recipient.failReason = failReason;
		return recipient;
	});
	put(requestOptions, 'body', 'recipients', recipients);
	return requestOptions;
}

const fields: INodeProperties[] = [
	emailMessageIdField,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: MESSAGE_STATUSES,
		default: 'delivered',
		required: true,
		description: 'Overall status of the email message',
		routing: { send: { type: 'body', property: 'status' } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'collection',
		placeholder: 'Add Event Counter',
		default: {},
		description:
			'Delivery event counters. They are added to the stored counters; 0 changes nothing. Related events are inferred (e.g. Clicked implies Opened and Delivered).',
		options: [
			counter('Accepted', 'accepted', 'accepted', 'Messages accepted by the receiving mail server'),
			counter('Clicked', 'clicked', 'clicked', 'Link clicks in the email body'),
			counter('Complained', 'complained', 'complained', 'Spam complaints'),
			counter('Delivered', 'delivered', 'delivered', 'Successful deliveries'),
			counter('ESP/ISP Block', 'espIspBlock', 'esp_isp_block', 'Blocks by the email or internet service provider'),
			counter('Failed', 'failed', 'failed', 'Delivery failures, permanent and temporary'),
			counter('Opened', 'opened', 'opened', 'Unique opens'),
			counter('Permanent Fail', 'permanentFail', 'permanent_fail', 'Permanent delivery failures'),
			counter('Rejected', 'rejected', 'rejected', 'Messages rejected by the receiving mail server'),
			counter('Replied', 'replied', 'replied', 'Replies'),
			counter('Stored', 'stored', 'stored', 'Messages stored by the email service provider'),
			counter('Temporary Fail', 'temporaryFail', 'temporary_fail', 'Temporary delivery failures'),
			counter('Unsubscribed', 'unsubscribed', 'unsubscribed', 'Unsubscribes by the recipient'),
		],
	},
	{
		displayName: 'Recipients',
		name: 'recipients',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Recipient',
		default: {},
		description: 'Delivery status per recipient; an existing status of a recipient is replaced',
		options: [
			{
				displayName: 'Recipient',
				name: 'recipient',
				values: [
					{
						displayName: 'Email',
						name: 'emailId',
						type: 'string',
						placeholder: 'name@email.com',
						default: '',
						description: 'Email address of one of the original recipients',
					},
					{
						displayName: 'Status',
						name: 'status',
						type: 'options',
						options: MESSAGE_STATUSES,
						default: 'delivered',
						description: 'Delivery status for this recipient',
					},
					{
						displayName: 'Fail Reason',
						name: 'failReason',
						type: 'string',
						default: '',
						placeholder: 'e.g. Mailbox not found',
						description: 'Why delivery failed, with status Failed',
					},
				],
			},
		],
		routing: { send: { preSend: [sendRecipients] } },
	},
];

export const updateStatus: Operation = {
	option: {
		name: 'Update Status',
		value: 'updateStatus',
		action: 'Update the status of an email',
		description: 'Report delivery events and statuses of an email sent through a custom conversation provider',
		routing: {
			// This endpoint exists only at API version v3.
			request: {
				method: 'PUT',
				url: '/conversations/messages/email/{emailMessageId}/status',
				headers: { Version: API_VERSION_V3 },
			},
		},
	},
	fields,
	facts: { scope: SCOPE.messageWrite, scopeListed: false, ids: { emailMessageId: 'Email message' } },
};
