import type { INodeProperties } from 'n8n-workflow';
import { sendLocation } from '../../shared/hooks';
import { resolvePath } from '../../shared/transport';
import { attachmentCompleteUploadDescription } from './completeUpload';
import { attachmentInitiateUploadDescription } from './initiateUpload';
import { attachmentUploadDescription, sendUploadForm } from './upload';

const showOnlyForAttachments = {
	resource: ['attachment'],
};

export const attachmentDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForAttachments },
		options: [
			{
				name: 'Complete Upload',
				value: 'completeUpload',
				action: 'Complete a file upload',
				description:
					'Deprecated by HighLevel (v3 spec, June 2026: internal-only, not supported for OAuth or public API apps, to be removed). Finish a large-file upload after the file was PUT to its upload URL, and get its public URL',
				routing: {
					request: { method: 'POST', url: '/conversations/messages/upload/complete' },
					send: { preSend: [resolvePath, sendLocation('body')] },
				},
			},
			{
				name: 'Initiate Upload',
				value: 'initiateUpload',
				action: 'Initiate a file upload',
				description:
					'Deprecated by HighLevel (v3 spec, June 2026: internal-only, not supported for OAuth or public API apps, to be removed). Get a signed URL to PUT a large file to (step 1 of 3, then PUT the file, then Complete Upload)',
				routing: {
					request: { method: 'POST', url: '/conversations/messages/upload/initiate' },
					send: { preSend: [resolvePath, sendLocation('body')] },
				},
			},
			{
				name: 'Upload',
				value: 'upload',
				action: 'Upload files',
				description: 'Upload files from binary fields to use as message attachments, and get their URLs',
				routing: {
					request: { method: 'POST', url: '/conversations/messages/upload' },
					send: { preSend: [resolvePath, sendUploadForm] },
				},
			},
		],
		default: 'upload',
	},
	...attachmentCompleteUploadDescription,
	...attachmentInitiateUploadDescription,
	...attachmentUploadDescription,
];
