import { callFileDownload } from '../../shared/binary';

export const downloadTranscription = callFileDownload({
	name: 'Download Transcription',
	value: 'downloadTranscription',
	action: 'Download the transcription of a call',
	description: 'Download the transcription of a call recording as a text file',
	url: '/conversations/locations/{locationId}/messages/{messageId}/transcription/download',
	fileNamePrefix: 'transcription',
	extension: 'txt',
	fallbackMimeType: 'text/plain',
});
