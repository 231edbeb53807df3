import type { INodeProperties } from 'n8n-workflow';
import { locationIdField, messageIdField } from '../../shared/descriptions';

const showOnlyForCallGetTranscription = {
	operation: ['getTranscription'],
	resource: ['call'],
};

export const callGetTranscriptionDescription: INodeProperties[] = [
	{
		...messageIdField,
		description: 'The call message whose transcription to get',
		displayOptions: { show: showOnlyForCallGetTranscription },
	},
	{
		...locationIdField,
		displayOptions: { show: showOnlyForCallGetTranscription },
	},
];
