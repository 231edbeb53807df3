import type { INodeProperties } from 'n8n-workflow';
import { conversationSelect, locationIdField } from '../../shared/descriptions';
import { requireField, sendLocator } from '../../shared/hooks';

const showOnlyForAttachmentInitiateUpload = {
	operation: ['initiateUpload'],
	resource: ['attachment'],
};

const trimmed = '={{ String($value).trim() }}';

export const attachmentInitiateUploadDescription: INodeProperties[] = [
	{
		displayName:
			'Large files go in three steps: 1. Initiate Upload returns an "uploadUrl" (valid 15 minutes), an "uploadId" and a "filePath". 2. PUT the file to "uploadUrl" with an HTTP Request node (body: the binary file, header Content-Type: the same content type as here). 3. Complete Upload with the "uploadId" and "filePath" to get the file\'s public URL.',
		name: 'initiateUploadNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showOnlyForAttachmentInitiateUpload },
	},
	{
		...conversationSelect,
		description: 'The conversation the file is for',
		displayOptions: { show: showOnlyForAttachmentInitiateUpload },
		routing: {
			send: { preSend: [sendLocator('conversationId', 'conversationId', 'Conversation')] },
		},
	},
	{
		displayName: 'File Name',
		name: 'filename',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. video.mp4',
		description: 'Name of the file, with its extension',
		displayOptions: { show: showOnlyForAttachmentInitiateUpload },
		routing: {
			send: {
				type: 'body',
				property: 'filename',
				value: trimmed,
				preSend: [requireField('filename', 'File Name')],
			},
		},
	},
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. video/mp4',
		description: 'MIME type of the file. The PUT to the upload URL must send the same Content-Type.',
		displayOptions: { show: showOnlyForAttachmentInitiateUpload },
		routing: {
			send: {
				type: 'body',
				property: 'contentType',
				value: trimmed,
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
		displayOptions: { show: showOnlyForAttachmentInitiateUpload },
		routing: {
			send: {
				type: 'body',
				property: 'channel',
				value: trimmed,
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
		displayOptions: { show: showOnlyForAttachmentInitiateUpload },
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
	{
		...locationIdField,
		displayOptions: { show: showOnlyForAttachmentInitiateUpload },
	},
];
