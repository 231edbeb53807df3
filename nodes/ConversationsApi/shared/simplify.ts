import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	INodeExecutionData,
	INodeProperties,
	PostReceiveAction,
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
 * The Simplify field, on by default for nodes made with `since` and later (as n8n's newer nodes do),
 * off for the versions `before`, which saved workflows use, so their output stays as it was.
 */
function simplifyFieldsSince(since: number, before: number[]): INodeProperties[] {
	return [
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: false,
			description: SIMPLIFY_DESCRIPTION,
			displayOptions: { show: { '@version': before } },
		},
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: SIMPLIFY_DESCRIPTION,
			displayOptions: { show: { '@version': [{ _cnd: { gte: since } }] } },
		},
	];
}

/** The Simplify field of the action node's lists: on by default from version 1.1. */
export const simplifyFields: INodeProperties[] = simplifyFieldsSince(1.1, [1]);

/** The Simplify field of the operations that output one conversation (Assign, Update): on by default from version 1.2. */
export const simplifyRecordFields: INodeProperties[] = simplifyFieldsSince(1.2, [1, 1.1]);

/** Whether the item's output is to be simplified. */
export function simplifyOn(context: { getNodeParameter(name: string, fallback: boolean): unknown }): boolean {
	return context.getNodeParameter('simplify', false) === true;
}

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
		if (!simplifyOn(this)) return items;
		const timeZone = this.getTimezone();
		return items.map((item) => ({ ...item, json: simplify(item.json, timeZone) }));
	};
}

/** A postReceive for a one-record answer (Conversation → Update): its items simplified when Simplify is on. */
export function simplifiedOutput(simplify: Simplifier): PostReceiveAction {
	return async function (this: IExecuteSingleFunctions, items: INodeExecutionData[]) {
		if (!simplifyOn(this)) return items;
		const timeZone = this.getTimezone();
		return items.map((item) => ({ ...item, json: simplify(item.json, timeZone) }));
	};
}
