import type { INodeProperties } from 'n8n-workflow';
import { conversationSelect } from '../../shared/descriptions';

export const conversationGetDescription: INodeProperties[] = [
	{
		...conversationSelect,
		displayOptions: { show: { operation: ['get'], resource: ['conversation'] } },
	},
];
