import type { Resource } from '../../shared/operation';
import { addOutbound } from './addOutbound';
import { downloadTranscription } from './downloadTranscription';
import { getRecording } from './getRecording';
import { getTranscription } from './getTranscription';

export const call: Resource = {
	label: 'Call',
	value: 'call',
	defaultOperation: 'addOutbound',
	operations: [addOutbound, downloadTranscription, getRecording, getTranscription],
};
