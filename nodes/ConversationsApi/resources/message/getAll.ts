import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { conversationSelect, limitField, returnAllField } from '../../shared/descriptions';
import { MESSAGE_LIST_TYPES } from '../../shared/messageTypes';
import { showFor } from './helpers';

const showOnlyForMessageGetMany = showFor('getAll');

/** Return All and Limit page by `lastMessageId` (shared/pagination.ts). */
export { messagesPagination } from '../../shared/pagination';

/** preSend: no message type chosen means no `type` filter at all. */
export async function dropEmptyTypeFilter(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const qs = requestOptions.qs as IDataObject | undefined;
	if (qs && (qs.type === '' || qs.type === undefined || qs.type === null)) delete qs.type;
	return requestOptions;
}

export const messageGetManyDescription: INodeProperties[] = [
	{
		...conversationSelect,
		description: 'The conversation whose messages to get',
		displayOptions: { show: showOnlyForMessageGetMany },
	},
	returnAllField(showOnlyForMessageGetMany),
	limitField(showOnlyForMessageGetMany),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: showOnlyForMessageGetMany },
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
