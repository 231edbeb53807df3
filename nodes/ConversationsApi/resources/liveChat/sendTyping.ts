import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { conversationSelect, locationIdField } from '../../shared/descriptions';
import { requireField } from '../../shared/hooks';
import { itemError } from '../../shared/transport';

const showOnlyForLiveChatSendTyping = {
	operation: ['sendTyping'],
	resource: ['liveChat'],
};

/** preSend: the conversation (picked from the list or by ID) must not be blank. */
async function requireConversation(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const value = this.getNodeParameter('conversationId', '', { extractValue: true }) as unknown;
	if (value === undefined || value === null || String(value).trim() === '') {
		throw itemError.call(this, 'The "Conversation" field is empty', 'Choose the live chat conversation.');
	}
	return requestOptions;
}

export const liveChatSendTypingDescription: INodeProperties[] = [
	{
		...conversationSelect,
		description: 'The live chat conversation',
		displayOptions: { show: showOnlyForLiveChatSendTyping },
		routing: {
			send: { type: 'body', property: 'conversationId', preSend: [requireConversation] },
		},
	},
	{
		displayName: 'Visitor ID',
		name: 'visitorId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
		description: 'Unique ID of the live chat visitor',
		displayOptions: { show: showOnlyForLiveChatSendTyping },
		routing: {
			send: { type: 'body', property: 'visitorId', preSend: [requireField('visitorId', 'Visitor ID')] },
		},
	},
	{
		displayName: 'Is Typing',
		name: 'isTyping',
		type: 'boolean',
		default: true,
		description: 'Whether the agent or bot is typing; off hides the indicator',
		displayOptions: { show: showOnlyForLiveChatSendTyping },
		// The API takes the flag as the text "true" or "false".
		routing: { send: { type: 'body', property: 'isTyping', value: '={{ String($value) }}' } },
	},
	{
		...locationIdField,
		displayOptions: { show: showOnlyForLiveChatSendTyping },
	},
];
