import { type Operation } from '../../shared/operation';
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { LIST_VALUE, messageIdField } from '../../shared/fields';
import { itemError } from '../../shared/errors';
import { SCOPE } from '../../../../credentials/constants';

/** The API keeps at most this many attachments on a message. */
const MAX_ATTACHMENTS = 5;

/** preSend: one to five attachment URLs. */
async function checkAttachmentUrls(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body as IDataObject) ?? {};
	const urls = Array.isArray(body.attachments) ? body.attachments : [];
	if (urls.length === 0) {
		throw itemError.call(this, 'The "Attachment URLs" field is empty', 'Enter one or more URLs, comma-separated.');
	}
	if (urls.length > MAX_ATTACHMENTS) {
		throw itemError.call(
			this,
			`The "Attachment URLs" field has ${urls.length} URLs, at most ${MAX_ATTACHMENTS} are allowed`,
			`A message holds at most ${MAX_ATTACHMENTS} attachments; remove some URLs.`,
		);
	}
	return requestOptions;
}

const fields: INodeProperties[] = [
	messageIdField,
	{
		displayName: 'Attachment URLs',
		name: 'attachments',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://provider.com/recordings/call-123.mp3',
		description: 'URLs of the files, comma-separated (or an array from an expression); at most 5',
		hint: 'Replaces the attachments the message has',
		routing: {
			send: {
				type: 'body',
				property: 'attachments',
				value: LIST_VALUE,
				preSend: [checkAttachmentUrls],
			},
		},
	},
];

export const setAttachments: Operation = {
	option: {
		name: 'Set Attachments',
		value: 'setAttachments',
		action: 'Set the attachments of a message',
		description: 'Replace the attachment URLs of a message (at most 5)',
		routing: {
			request: { method: 'PUT', url: '/conversations/messages/{messageId}/attachments' },
		},
	},
	fields,
	facts: { scope: SCOPE.messageWrite, scopeListed: false, ids: { messageId: 'Message' } },
};
