import type { INodeProperties } from 'n8n-workflow';
import { outputBinaryField } from '../../shared/binary';
import { locationIdField, messageIdField } from '../../shared/descriptions';
import { requireField } from '../../shared/hooks';

const showOnlyForCallGetRecording = {
	operation: ['getRecording'],
	resource: ['call'],
};

export const callGetRecordingDescription: INodeProperties[] = [
	{
		...messageIdField,
		description: 'The call message whose recording to download',
		displayOptions: { show: showOnlyForCallGetRecording },
	},
	{
		...outputBinaryField,
		displayOptions: { show: showOnlyForCallGetRecording },
		routing: {
			send: { preSend: [requireField('binaryPropertyName', 'Put Output File in Field')] },
		},
	},
	{
		...locationIdField,
		displayOptions: { show: showOnlyForCallGetRecording },
	},
];
