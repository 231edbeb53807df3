/**
 * Cursor paging of the message lists (Message → Get Many by `lastMessageId`, Message → Export by
 * `cursor`): each page is one `routingRequest` (rate budget, retries, errors that say what to do),
 * and Limit never fetches a page it does not need. The conversation search pages through the
 * tie-safe scan instead (searchScan.ts).
 */
import type { DeclarativeRestApiSettings, IDataObject, IExecutePaginationFunctions, INodeExecutionData } from 'n8n-workflow';
import { PAGE_SIZE } from './constants';
import { limitField } from './fields';
import { isBlank } from './preSend';
import { routingRequest } from './transport';

interface CursorPages {
	/** Name of the page-size query parameter. */
	pageSizeParameter: string;
	maxPageSize: number;
	minPageSize?: number;
	/** The records of one response. */
	records(body: IDataObject): IDataObject[];
	/** Query changes that fetch the next page, or undefined when this was the last one. */
	next(body: IDataObject, records: IDataObject[], pageSize: number): IDataObject | undefined;
}

/**
 * Pagination for Return All and Limit alike: page sizes follow what is still missing, so Limit
 * never fetches a page it does not need; each record becomes one item.
 */
function cursorPagination(pages: CursorPages) {
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const returnAll = this.getNodeParameter('returnAll', false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', limitField.default) as number);
		const results: INodeExecutionData[] = [];
		const seenCursors = new Set<string>();
		// A filter left blank (or an expression that yields nothing) is not sent as "name=".
		let qs: IDataObject = Object.fromEntries(Object.entries(requestData.options.qs ?? {}).filter(([, value]) => !isBlank(value)));

		while (results.length < limit) {
			const missing = limit - results.length;
			const pageSize = Math.max(
				pages.minPageSize ?? 1,
				Math.min(pages.maxPageSize, Number.isFinite(missing) ? missing : pages.maxPageSize),
			);
			qs = { ...qs, [pages.pageSizeParameter]: pageSize };
			const response = await routingRequest.call(this, {
				...requestData,
				options: { ...requestData.options, qs },
			});
			const body = (response[0]?.json ?? {}) as IDataObject;
			const records = pages.records(body);
			results.push(...records.map((json) => ({ json })));

			const next = records.length ? pages.next(body, records, pageSize) : undefined;
			if (!next) break;
			// A cursor that does not move would loop forever: stop instead.
			const key = JSON.stringify(next);
			if (seenCursors.has(key)) break;
			seenCursors.add(key);
			qs = { ...qs, ...next };
		}
		return results.slice(0, limit);
	};
}

/**
 * One page of a conversation's messages. The live API nests the page in `messages`
 * (`{ messages: { lastMessageId, nextPage, messages: [...] } }`); the spec has it flat.
 */
export function messagePage(body: IDataObject): { messages: IDataObject[]; nextPage: boolean; lastMessageId?: string } {
	const nested = body.messages;
	const page = typeof nested === 'object' && nested !== null && !Array.isArray(nested) ? (nested as IDataObject) : body;
	const messages = Array.isArray(page.messages) ? (page.messages as IDataObject[]) : [];
	const last = page.lastMessageId ?? messages[messages.length - 1]?.id;
	return { messages, nextPage: page.nextPage === true, lastMessageId: isBlank(last) ? undefined : String(last) };
}

/** One page of the export: its messages and the cursor of the next page (none: the last page). */
export function exportPage(body: IDataObject): { messages: IDataObject[]; nextCursor?: string } {
	const messages = Array.isArray(body.messages) ? (body.messages as IDataObject[]) : [];
	const cursor = body.nextCursor;
	return { messages, nextCursor: typeof cursor === 'string' && cursor !== '' ? cursor : undefined };
}

/** Message → Get Many: pages by `lastMessageId` while the API says there is a next page. */
export const messagesPagination = cursorPagination({
	pageSizeParameter: 'limit',
	maxPageSize: PAGE_SIZE.messages,
	records: (body) => messagePage(body).messages,
	next: (body) => {
		const page = messagePage(body);
		return page.nextPage && page.lastMessageId ? { lastMessageId: page.lastMessageId } : undefined;
	},
});

/** Message → Export: `cursor` is the previous page's `nextCursor`; none means the last page. */
export const exportPagination = cursorPagination({
	pageSizeParameter: 'limit',
	maxPageSize: PAGE_SIZE.exportMax,
	minPageSize: PAGE_SIZE.exportMin,
	records: (body) => exportPage(body).messages,
	next: (body) => {
		const cursor = exportPage(body).nextCursor;
		return cursor ? { cursor } : undefined;
	},
});
