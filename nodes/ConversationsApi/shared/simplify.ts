import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { channelOf } from './items';
import { isoInTimeZone, timeOf } from './dates';

/**
 * *Simplify*: the fields a user acts on first, in that order, dates as ISO strings in the
 * workflow's time zone, without the search's internal `sort` cursor. Off, the API's answer is
 * output untouched. One path for the action node's lists and the polling trigger's items.
 */

const DATE_FIELDS = new Set(['lastMessageDate', 'dateAdded', 'dateUpdated']);

/** A conversation (search row, trigger item): who, what was said last, when, then the IDs. */
const CONVERSATION_FIELDS = [
	'id',
	'contactName',
	'lastMessageBody',
	'lastMessageDate',
	'channel',
	'lastMessageDirection',
	'unreadCount',
	'starred',
	'assignedTo',
	'contactId',
	'email',
	'phone',
	'type',
	'dateAdded',
	'dateUpdated',
	'locationId',
];

/** A message: what was said, which way, on which channel, when, by whom, then the IDs. */
const MESSAGE_FIELDS = [
	'id',
	'body',
	'direction',
	'channel',
	'status',
	'dateAdded',
	'contactName',
	'email',
	'phone',
	'attachments',
	'contactId',
	'conversationId',
	'userId',
	'source',
	'error',
];

/** What the triggers add to an item (the webhook's event, what changed, a paging warning): kept at the end. */
const KEPT_FIELDS = ['event', 'changes', 'previous', 'warning'];

function pick(source: IDataObject, fields: string[], timeZone: string): IDataObject {
	const result: IDataObject = {};
	for (const field of [...fields, ...KEPT_FIELDS]) {
		const value = source[field];
		if (value === undefined || value === null || value === '') continue;
		const time = DATE_FIELDS.has(field) ? timeOf(value) : NaN;
		result[field] = Number.isFinite(time) ? isoInTimeZone(new Date(time), timeZone) : value;
	}
	return result;
}

export function simplifyConversation(row: IDataObject, timeZone: string): IDataObject {
	return pick(
		{
			...row,
			contactName: row.fullName || row.contactName,
			channel: row.lastMessageType ? channelOf(row.lastMessageType) : undefined,
		},
		CONVERSATION_FIELDS,
		timeZone,
	);
}

export function simplifyMessage(message: IDataObject, timeZone: string): IDataObject {
	const channel = message.channel ?? (message.messageType ? channelOf(message.messageType) : undefined);
	return pick({ ...message, channel }, MESSAGE_FIELDS, timeZone);
}

export type Simplifier = (json: IDataObject, timeZone: string) => IDataObject;

const SIMPLIFY_DESCRIPTION =
	"Whether to return the fields you act on first (contact, text, dates in the workflow's time zone) instead of the API's raw answer";

/**
 * The Simplify field of the action node's lists: on for nodes made with version 1.1 and later (as
 * n8n's newer nodes do), off for version 1, which saved workflows use, so their output stays as it was.
 */
export const simplifyFields: INodeProperties[] = [
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description: SIMPLIFY_DESCRIPTION,
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: SIMPLIFY_DESCRIPTION,
		displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } },
	},
];

type Pagination = (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
) => Promise<INodeExecutionData[]>;

/**
 * A list's pagination whose items are simplified when Simplify is on. It runs after the paging,
 * which needs the API's own fields (the `sort` cursor, page shapes).
 */
export function simplified(pagination: Pagination, simplify: Simplifier): Pagination {
	return async function (this: IExecutePaginationFunctions, requestData) {
		const items = await pagination.call(this, requestData);
		if (!(this.getNodeParameter('simplify', false) as boolean)) return items;
		const timeZone = this.getTimezone();
		return items.map((item) => ({ ...item, json: simplify(item.json, timeZone) }));
	};
}
