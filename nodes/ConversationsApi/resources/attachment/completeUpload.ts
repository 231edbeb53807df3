import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { conversationField, fileNameField, locationIdField, TRIMMED } from '../../shared/fields';
import { requireField, sendLocation, sendLocator } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [
	{
		displayName:
			'Run this after the file was PUT to the "uploadUrl" that Initiate Upload returned (within 15 minutes). Map "uploadId" and "filePath" from Initiate Upload\'s output; the answer holds the file\'s public URL.',
		name: 'completeUploadNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Upload ID',
		name: 'uploadId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. a1b2c3d4-e5f6-7890-abcd-ef1234567890',
		hint: 'The "uploadId" from the output of Initiate Upload',
		routing: {
			send: {
				type: 'body',
				property: 'uploadId',
				value: TRIMMED,
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
		routing: {
			send: {
				type: 'body',
				property: 'filePath',
				value: TRIMMED,
				preSend: [requireField('filePath', 'File Path')],
			},
		},
	},
	conversationField,
	fileNameField,
	locationIdField,
];

export const completeUpload: Operation = {
	option: {
		name: 'Complete Upload',
		value: 'completeUpload',
		action: 'Complete a file upload',
		description:
			'Deprecated by HighLevel (v3 spec, June 2026: internal-only, not supported for OAuth or public API apps, to be removed). Finish a large-file upload after the file was PUT to its upload URL, and get its public URL.',
		routing: {
			request: { method: 'POST', url: '/conversations/messages/upload/complete' },
			send: { preSend: [sendLocation('body'), sendLocator('conversationId', 'conversationId', 'Conversation')] },
		},
	},
	fields,
	facts: { scope: SCOPE.messageWrite, scopeListed: false, ids: { conversationId: 'Conversation', uploadId: 'Upload' } },
};
