import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
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
export function cursorPagination(pages: CursorPages) {
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const returnAll = this.getNodeParameter('returnAll', false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', 50) as number);
		const results: INodeExecutionData[] = [];
		const seenCursors = new Set<string>();
		// A filter left blank (or an expression that yields nothing) is not sent as "name=".
		let qs: IDataObject = Object.fromEntries(
			Object.entries(requestData.options.qs ?? {}).filter(([, value]) => !isBlank(value)),
		);

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

