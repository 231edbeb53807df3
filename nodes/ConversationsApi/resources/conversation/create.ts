import type { INodeProperties } from 'n8n-workflow';
import { contactIdField, locationIdField } from '../../shared/descriptions';
import { requireField } from '../../shared/hooks';

const showOnlyForConversationCreate = {
	operation: ['create'],
	resource: ['conversation'],
};

export const conversationCreateDescription: INodeProperties[] = [
	{
		...contactIdField,
		description: 'The contact to start the conversation with',
		displayOptions: { show: showOnlyForConversationCreate },
		routing: {
			send: { type: 'body', property: 'contactId', preSend: [requireField('contactId', 'Contact ID')] },
		},
	},
	{
		...locationIdField,
		displayOptions: { show: showOnlyForConversationCreate },
	},
];
