import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { conversationField, fileNameField, locationIdField, TRIMMED } from '../../shared/fields';
import { requireField, sendLocation, sendLocator } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [
	{
		displayName:
			'Large files go in three steps: 1. Initiate Upload returns an "uploadUrl" (valid 15 minutes), an "uploadId" and a "filePath". 2. PUT the file to "uploadUrl" with an HTTP Request node (body: the binary file, header Content-Type: the same content type as here). 3. Complete Upload with the "uploadId" and "filePath" to get the file\'s public URL.',
		name: 'initiateUploadNotice',
		type: 'notice',
		default: '',
	},
	conversationField,
	fileNameField,
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. video/mp4',
		description: 'MIME type of the file. The PUT to the upload URL must send the same Content-Type.',
		routing: {
			send: {
				type: 'body',
				property: 'contentType',
				value: TRIMMED,
				preSend: [requireField('contentType', 'Content Type')],
			},
		},
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. WHATSAPP',
		description: 'Channel the file is sent on; it sets the size limit (WHATSAPP: 100 MB, other channels: 5 MB)',
		routing: {
			send: {
				type: 'body',
				property: 'channel',
				value: TRIMMED,
				preSend: [requireField('channel', 'Channel')],
			},
		},
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'File Size (Bytes)',
				name: 'fileSize',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Size of the file, so that a file over the limit is refused before the upload',
				routing: { send: { type: 'body', property: 'fileSize' } },
			},
		],
	},
	locationIdField,
];

export const initiateUpload: Operation = {
	option: {
		name: 'Initiate Upload',
		value: 'initiateUpload',
		action: 'Initiate a file upload',
		description:
			'Deprecated by HighLevel (v3 spec, June 2026: internal-only, not supported for OAuth or public API apps, to be removed). Get a signed URL to PUT a large file to (step 1 of 3, then PUT the file, then Complete Upload).',
		routing: {
			request: { method: 'POST', url: '/conversations/messages/upload/initiate' },
			send: { preSend: [sendLocation('body'), sendLocator('conversationId', 'conversationId', 'Conversation')] },
		},
	},
	fields,
	facts: { scope: SCOPE.messageWrite, scopeListed: false, ids: { conversationId: 'Conversation' } },
};
