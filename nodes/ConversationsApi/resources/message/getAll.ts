import { SCOPE, type Operation } from '../../shared/operation';
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { PAGE_SIZE } from '../../shared/constants';
import { conversationField, limitField, returnAllField } from '../../shared/fields';

import { MESSAGE_LIST_TYPES } from '../../shared/messageTypes';
import { cursorPagination } from '../../shared/pagination';


/**
 * One page of a conversation's messages. The live API nests the page in `messages`
 * (`{ messages: { lastMessageId, nextPage, messages: [...] } }`); the spec has it flat.
 */
function messagePage(body: IDataObject): IDataObject {
	const nested = body.messages;
	if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
		return nested as IDataObject;
	}
	return body;
}

export const messagesPagination = cursorPagination({
	pageSizeParameter: 'limit',
	maxPageSize: PAGE_SIZE.messages,
	records: (body) => {
		const messages = messagePage(body).messages;
		return Array.isArray(messages) ? (messages as IDataObject[]) : [];
	},
	next: (body, records) => {
		const page = messagePage(body);
		if (page.nextPage !== true) return undefined;
		const lastMessageId = page.lastMessageId ?? records[records.length - 1]?.id;
		return lastMessageId ? { lastMessageId } : undefined;
	},
});

/** preSend: no message type chosen means no `type` filter at all. */
export async function dropEmptyTypeFilter(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const qs = requestOptions.qs as IDataObject | undefined;
	if (qs && (qs.type === '' || qs.type === undefined || qs.type === null)) delete qs.type;
	return requestOptions;
}

const fields: INodeProperties[] = [
	conversationField,
	returnAllField,
	limitField,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Message Types',
				name: 'type',
				type: 'multiOptions',
				options: MESSAGE_LIST_TYPES,
				default: [],
				description: 'Only messages of these types',
				routing: {
					send: {
						type: 'query',
						property: 'type',
						value: '={{ Array.isArray($value) ? $value.join(",") : $value }}',
						preSend: [dropEmptyTypeFilter],
					},
				},
			},
		],
	},
];

export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many messages',
		description: 'Get the messages of a conversation',
		routing: {
			request: { method: 'GET', url: '/conversations/{conversationId}/messages' },
			send: { paginate: true },
			operations: { pagination: messagesPagination },
		},
	},
	fields,
	facts: { scope: SCOPE.messageRead, scopeListed: false, ids: { conversationId: 'Conversation' } },
};
