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

export const getRecording: Operation = {
	option: {
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
			send: { preSend: [requireField('binaryPropertyName', 'Put Output File in Field')] },
						output: {
				postReceive: [
					binaryDownload({
						fallbackFileName() {
							return `recording-${fieldText.call(this, 'messageId')}.wav`;
						},
						fallbackMimeType: 'audio/x-wav',
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
