import type { INodeProperties } from 'n8n-workflow';
import { outputBinaryField } from '../../shared/binary';
import { locationIdField, messageIdField } from '../../shared/descriptions';
import { requireField } from '../../shared/hooks';

const showOnlyForCallDownloadTranscription = {
	operation: ['downloadTranscription'],
	resource: ['call'],
};

export const callDownloadTranscriptionDescription: INodeProperties[] = [
	{
		...messageIdField,
		description: 'The call message whose transcription to download as a text file',
		displayOptions: { show: showOnlyForCallDownloadTranscription },
	},
	{
		...outputBinaryField,
		displayOptions: { show: showOnlyForCallDownloadTranscription },
		routing: {
			send: { preSend: [requireField('binaryPropertyName', 'Put Output File in Field')] },
		},
	},
	{
		...locationIdField,
		displayOptions: { show: showOnlyForCallDownloadTranscription },
	},
];
