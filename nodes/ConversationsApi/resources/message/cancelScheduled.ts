import type { INodeProperties } from 'n8n-workflow';
import { messageIdField } from '../../shared/descriptions';
import { showFor } from './helpers';

export const messageCancelScheduledDescription: INodeProperties[] = [
	{
		...messageIdField,
		description: 'The scheduled message to cancel',
		displayOptions: { show: showFor('cancelScheduled') },
	},
];
