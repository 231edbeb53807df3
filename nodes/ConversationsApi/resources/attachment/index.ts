import type { Resource } from '../../shared/operation';
import { completeUpload } from './completeUpload';
import { initiateUpload } from './initiateUpload';
import { upload } from './upload';

export const attachment: Resource = {
	label: 'Attachment',
	value: 'attachment',
	defaultOperation: 'upload',
	operations: [completeUpload, initiateUpload, upload],
};
