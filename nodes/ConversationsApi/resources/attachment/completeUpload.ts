import type { INodeProperties } from 'n8n-workflow';
import { conversationSelect, locationIdField } from '../../shared/descriptions';
import { requireField, sendLocator } from '../../shared/hooks';

const showOnlyForAttachmentCompleteUpload = {
	operation: ['completeUpload'],
	resource: ['attachment'],
};

const trimmed = '={{ String($value).trim() }}';

export const attachmentCompleteUploadDescription: INodeProperties[] = [
	{
		displayName:
			'Run this after the file was PUT to the "uploadUrl" that Initiate Upload returned (within 15 minutes). Map "uploadId" and "filePath" from Initiate Upload\'s output; the answer holds the file\'s public URL.',
		name: 'completeUploadNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showOnlyForAttachmentCompleteUpload },
	},
	{
		displayName: 'Upload ID',
		name: 'uploadId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. a1b2c3d4-e5f6-7890-abcd-ef1234567890',
		hint: 'The "uploadId" from the output of Initiate Upload',
		displayOptions: { show: showOnlyForAttachmentCompleteUpload },
		routing: {
			send: {
				type: 'body',
				property: 'uploadId',
				value: trimmed,
				preSend: [requireField('uploadId', 'Upload ID')],
			},
		},
	},
	{
		displayName: 'File Path',
		name: 'filePath',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. location/loc123/conversations/conv456/uuid.mp4',
		hint: 'The "filePath" from the output of Initiate Upload',
		displayOptions: { show: showOnlyForAttachmentCompleteUpload },
		routing: {
			send: {
				type: 'body',
				property: 'filePath',
				value: trimmed,
				preSend: [requireField('filePath', 'File Path')],
			},
		},
	},
	{
		...conversationSelect,
		description: 'The conversation the file is for (as in Initiate Upload)',
		displayOptions: { show: showOnlyForAttachmentCompleteUpload },
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
		description: 'Original name of the file (as in Initiate Upload); the answer maps it to the file\'s URL',
		displayOptions: { show: showOnlyForAttachmentCompleteUpload },
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
		...locationIdField,
		displayOptions: { show: showOnlyForAttachmentCompleteUpload },
	},
];
