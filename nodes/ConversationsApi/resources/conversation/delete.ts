import type { INodeProperties } from 'n8n-workflow';
import { conversationSelect } from '../../shared/descriptions';

export const conversationDeleteDescription: INodeProperties[] = [
	{
		...conversationSelect,
		description: 'The conversation to delete, with its messages',
		displayOptions: { show: { operation: ['delete'], resource: ['conversation'] } },
	},
];
