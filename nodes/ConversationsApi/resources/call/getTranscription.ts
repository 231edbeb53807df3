import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { locationIdField, messageIdField } from '../../shared/fields';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [messageIdField, locationIdField];

export const getTranscription: Operation = {
	option: {
		name: 'Get Transcription',
		value: 'getTranscription',
		action: 'Get the transcription of a call',
		description: "Get the sentences of a call recording's transcription, one item per sentence",
		routing: {
			request: {
				method: 'GET',
				url: '/conversations/locations/{locationId}/messages/{messageId}/transcription',
			},
		},
	},
	fields,
	facts: { scope: SCOPE.messageRead, scopeListed: true, ids: { messageId: 'Message' } },
};
