import type { IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';
import { binaryDownload, fileResponseOptions } from '../../shared/binary';
import { resolvePath } from '../../shared/transport';
import { callAddOutboundDescription } from './addOutbound';
import { callDownloadTranscriptionDescription } from './downloadTranscription';
import { callGetRecordingDescription } from './getRecording';
import { callGetTranscriptionDescription } from './getTranscription';

const showOnlyForCalls = {
	resource: ['call'],
};

function messageId(this: IExecuteSingleFunctions): string {
	return String(this.getNodeParameter('messageId', '') ?? '').trim();
}

export const callDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForCalls },
		options: [
			{
				name: 'Add Outbound Call',
				value: 'addOutbound',
				action: 'Add an outbound call',
				description: 'Log a call made through a custom calling provider in a conversation',
				routing: {
					request: {
						method: 'POST',
						url: '/conversations/messages/outbound',
						body: { type: 'Call' },
					},
					send: { preSend: [resolvePath] },
				},
			},
			{
				name: 'Download Transcription',
				value: 'downloadTranscription',
				action: 'Download the transcription of a call',
				description: 'Download the transcription of a call recording as a text file',
				routing: {
					request: {
						method: 'GET',
						url: '/conversations/locations/{locationId}/messages/{messageId}/transcription/download',
						...fileResponseOptions,
					},
					send: { preSend: [resolvePath] },
					output: {
						postReceive: [
							binaryDownload({
								fallbackFileName() {
									return `transcription-${messageId.call(this)}.txt`;
								},
								fallbackMimeType: 'text/plain',
								metadata() {
									return { messageId: messageId.call(this) };
								},
							}),
						],
					},
				},
			},
			{
				name: 'Get Recording',
				value: 'getRecording',
				action: 'Get the recording of a call',
				description: 'Download the recording of a call as an audio file',
				routing: {
					request: {
						method: 'GET',
						url: '/conversations/messages/{messageId}/locations/{locationId}/recording',
						...fileResponseOptions,
					},
					send: { preSend: [resolvePath] },
					output: {
						postReceive: [
							binaryDownload({
								fallbackFileName() {
									return `recording-${messageId.call(this)}.wav`;
								},
								fallbackMimeType: 'audio/x-wav',
								metadata() {
									return { messageId: messageId.call(this) };
								},
							}),
						],
					},
				},
			},
			{
				name: 'Get Transcription',
				value: 'getTranscription',
				action: 'Get the transcription of a call',
				description: 'Get the sentences of a call recording\'s transcription, one item per sentence',
				routing: {
					request: {
						method: 'GET',
						url: '/conversations/locations/{locationId}/messages/{messageId}/transcription',
					},
					send: { preSend: [resolvePath] },
				},
			},
		],
		default: 'addOutbound',
	},
	...callAddOutboundDescription,
	...callDownloadTranscriptionDescription,
	...callGetRecordingDescription,
	...callGetTranscriptionDescription,
];
