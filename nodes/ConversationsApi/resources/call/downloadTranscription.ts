import { SCOPE, type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { binaryDownload, fileResponseOptions, outputBinaryField } from '../../shared/binary';
import { locationIdField, messageIdField } from '../../shared/fields';
import { fieldText, requireField } from '../../shared/preSend';


const fields: INodeProperties[] = [
	messageIdField,
	outputBinaryField,
	locationIdField,
];

export const downloadTranscription: Operation = {
	option: {
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
			send: { preSend: [requireField('binaryPropertyName', 'Put Output File in Field')] },
						output: {
				postReceive: [
					binaryDownload({
						fallbackFileName() {
							return `transcription-${fieldText.call(this, 'messageId')}.txt`;
						},
						fallbackMimeType: 'text/plain',
						metadata() {
							return { messageId: fieldText.call(this, 'messageId') };
						},
					}),
				],
			},
		},
	},
	fields,
	facts: { scope: SCOPE.messageRead, scopeListed: true, ids: { messageId: 'Message' } },
};
