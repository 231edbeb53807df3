import { callFileDownload } from '../../shared/binary';

export const getRecording = callFileDownload({
	name: 'Get Recording',
	value: 'getRecording',
	action: 'Get the recording of a call',
	description: 'Download the recording of a call as an audio file',
	url: '/conversations/messages/{messageId}/locations/{locationId}/recording',
	fileNamePrefix: 'recording',
	extension: 'wav',
	fallbackMimeType: 'audio/x-wav',
});
