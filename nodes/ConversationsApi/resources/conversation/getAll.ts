import {
	NodeOperationError,
	type DeclarativeRestApiSettings,
	type IDataObject,
	type IExecutePaginationFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { type Operation } from '../../shared/operation';
import { PAGE_SIZE } from '../../shared/constants';
import { limitField, locationIdField, returnAllField, userIdsFilter } from '../../shared/fields';
import { isBlank, sendLocation } from '../../shared/preSend';
import { LAST_MESSAGE_TYPES } from '../../shared/messageTypes';
import { MissingSortValue, SearchScan, tieWarningText, type Row, type SearchRequest } from '../../shared/searchScan';
import { simplified, simplifyConversation, simplifyFields } from '../../shared/simplify';
import { routingRequest } from '../../shared/transport';
import { SCOPE } from '../../../../credentials/constants';

const dateToMillis = '={{ new Date($value).getTime() }}';

const fields: INodeProperties[] = [
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
			userIdsFilter('Assigned To User Names or IDs', 'assignedTo', 'Users the conversations are assigned to ("Unassigned": to nobody)', {
				unassigned: true,
			}),
			{
				displayName: 'Contact ID',
				name: 'contactId',
				type: 'string',
				default: '',
				description: 'Only conversations with this contact',
				routing: { send: { type: 'query', property: 'contactId' } },
			},
			{
				displayName: 'Conversation ID',
				name: 'id',
				type: 'string',
				default: '',
				routing: { send: { type: 'query', property: 'id' } },
			},
			{
				displayName: 'Created After',
				name: 'startDate',
				type: 'dateTime',
				default: '',
				description: 'Only conversations added at or after this time',
				routing: { send: { type: 'query', property: 'startDate', value: dateToMillis } },
			},
			{
				displayName: 'Created Before',
				name: 'endDate',
				type: 'dateTime',
				default: '',
				description: 'Only conversations added at or before this time',
				routing: { send: { type: 'query', property: 'endDate', value: dateToMillis } },
			},
			userIdsFilter('Follower Names or IDs', 'followers', 'Users following the conversations'),
			{
				displayName: 'Last Message Action',
				name: 'lastMessageAction',
				type: 'options',
				options: [
					{ name: 'Automated', value: 'automated' },
					{ name: 'Manual', value: 'manual' },
				],
				default: 'manual',
				description: 'How the last outbound message was sent',
				routing: { send: { type: 'query', property: 'lastMessageAction' } },
			},
			{
				displayName: 'Last Message Direction',
				name: 'lastMessageDirection',
				type: 'options',
				options: [
					{ name: 'Inbound', value: 'inbound' },
					{ name: 'Outbound', value: 'outbound' },
				],
				default: 'inbound',
				routing: { send: { type: 'query', property: 'lastMessageDirection' } },
			},
			{
				displayName: 'Last Message Type',
				name: 'lastMessageType',
				type: 'options',
				options: LAST_MESSAGE_TYPES,
				default: 'TYPE_SMS',
				description: 'Channel of the last message',
				routing: { send: { type: 'query', property: 'lastMessageType' } },
			},
			userIdsFilter('Mentioned User Names or IDs', 'mentions', 'Users mentioned in the conversations'),
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				default: '',
				placeholder: 'e.g. invoice',
				description: 'Text to search for (contact name, email, phone, message text)',
				routing: { send: { type: 'query', property: 'query' } },
			},
			{
				displayName: 'Score Profile ID',
				name: 'scoreProfile',
				type: 'string',
				default: '',
				description: 'Only conversations scored by this profile (use with the score bounds)',
				routing: { send: { type: 'query', property: 'scoreProfile' } },
			},
			{
				displayName: 'Score Profile Max',
				name: 'scoreProfileMax',
				type: 'number',
				default: 100,
				routing: { send: { type: 'query', property: 'scoreProfileMax' } },
			},
			{
				displayName: 'Score Profile Min',
				name: 'scoreProfileMin',
				type: 'number',
				default: 0,
				routing: { send: { type: 'query', property: 'scoreProfileMin' } },
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Read', value: 'read' },
					{ name: 'Recents', value: 'recents' },
					{ name: 'Starred', value: 'starred' },
					{ name: 'Unread', value: 'unread' },
				],
				default: 'all',
				routing: { send: { type: 'query', property: 'status' } },
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sortOptions',
		type: 'collection',
		placeholder: 'Add Sort Option',
		default: {},
		options: [
			{
				displayName: 'Order',
				name: 'sort',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'desc',
				routing: { send: { type: 'query', property: 'sort' } },
			},
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				options: [
					{ name: 'Due At', value: 'due_at' },
					{ name: 'Last Manual Message Date', value: 'last_manual_message_date' },
					{ name: 'Last Message Date', value: 'last_message_date' },
					{ name: 'Overdue At', value: 'overdue_at' },
					{ name: 'Score Profile', value: 'score_profile' },
				],
				default: 'last_message_date',
				routing: { send: { type: 'query', property: 'sortBy' } },
			},
			{
				displayName: 'Sort Score Profile ID',
				name: 'sortScoreProfile',
				type: 'string',
				default: '',
				description: 'Score profile to sort by, with Sort By "Score Profile"',
				routing: { send: { type: 'query', property: 'sortScoreProfile' } },
			},
		],
	},
	locationIdField,
];

/**
 * The action node's Conversation → Get Many: Return All and Limit page through the tie-safe scan;
 * each request is a `routingRequest` (rate budget, retries, errors that say what to do). Rows a
 * tie made unreachable carry a `warning`.
 */
async function searchPagination(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', limitField.default) as number);
	// A filter left blank (or an expression that yields nothing) is not sent as "name=".
	const base: IDataObject = Object.fromEntries(Object.entries(requestData.options.qs ?? {}).filter(([, value]) => !isBlank(value)));
	const request: SearchRequest = async (qs) => {
		const response = await routingRequest.call(this, { ...requestData, options: { ...requestData.options, qs } });
		return (response[0]?.json ?? {}) as IDataObject;
	};
	const scan = new SearchScan(request, base, { optimistic: returnAll });
	const rows: Row[] = [];
	while (!scan.done && rows.length < limit)
		rows.push(...(await scan.next(Number.isFinite(limit) ? limit - rows.length : PAGE_SIZE.conversations)));
	if (scan.unpageable && rows.length < limit) {
		throw new NodeOperationError(this.getNode(), new MissingSortValue().message, {
			itemIndex: this.getItemIndex(),
			description: 'Use a Limit of 100 or less, or narrow the search with filters.',
		});
	}
	const warning = scan.warnings.map(tieWarningText).join(' ');
	return rows.slice(0, limit).map((json) => ({ json: warning ? { ...json, warning } : json }));
}

export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many conversations',
		description:
			"Search the conversations of a location by text, contact, channel, status or date. Use it to find a contact's conversation. Returns one item per conversation: contact, last message, channel, assignee, unread count.",
		routing: {
			request: { method: 'GET', url: '/conversations/search' },
			send: { paginate: true, preSend: [sendLocation('qs')] },
			operations: { pagination: simplified(searchPagination, simplifyConversation) },
		},
	},
	fields,
	facts: { scope: SCOPE.read, scopeListed: true },
};
