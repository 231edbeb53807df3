import { type Operation } from '../../shared/operation';
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { conversationField, limitField, returnAllField } from '../../shared/fields';

import { MESSAGE_LIST_TYPES } from '../../shared/messageTypes';
import { messagesPagination } from '../../shared/paging';
import { simplified, simplifyFields, simplifyMessage } from '../../shared/simplify';
import { SCOPE } from '../../../../credentials/constants';

/** preSend: no message type chosen means no `type` filter at all. */
async function dropEmptyTypeFilter(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const qs = requestOptions.qs as IDataObject | undefined;
	if (qs && (qs.type === '' || qs.type === undefined || qs.type === null)) delete qs.type;
	return requestOptions;
}

const fields: INodeProperties[] = [
	conversationField,
	returnAllField,
	limitField,
	...simplifyFields,
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
		description:
			'Get the messages of a conversation, newest first. Use it to read what the contact and the team wrote before answering. Returns one item per message: text, direction, channel, status and date.',
		routing: {
			request: { method: 'GET', url: '/conversations/{conversationId}/messages' },
			send: { paginate: true },
			operations: { pagination: simplified(messagesPagination, simplifyMessage) },
		},
	},
	fields,
	facts: { scope: SCOPE.messageRead, scopeListed: false, ids: { conversationId: 'Conversation' } },
};
