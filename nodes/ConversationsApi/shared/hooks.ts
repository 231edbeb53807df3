import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { getLocationId, itemError } from './transport';

type PreSend = (
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;

/** preSend: puts the location (node field, else credential) in the query or the body. */
export function sendLocation(where: 'qs' | 'body', property = 'locationId'): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const locationId = await getLocationId.call(this);
		if (where === 'qs') {
			requestOptions.qs = { ...(requestOptions.qs ?? {}), [property]: locationId };
		} else {
			requestOptions.body = { ...((requestOptions.body as IDataObject) ?? {}), [property]: locationId };
		}
		return requestOptions;
	};
}

/**
 * preSend: reads a JSON field (text or object), checks it, and sends it as `property` of the body.
 * Bad JSON is an item error naming the field, so Continue On Fail keeps the other items.
 */
export function sendJson(
	parameter: string,
	property: string,
	label: string,
	expect: 'object' | 'array' = 'object',
): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const raw = this.getNodeParameter(parameter, undefined) as unknown;
		if (raw === undefined || raw === null || raw === '') return requestOptions;
		let value = raw;
		if (typeof raw === 'string') {
			try {
				value = JSON.parse(raw);
			} catch (error) {
				throw itemError.call(
					this,
					`The "${label}" field is not valid JSON`,
					`${(error as Error).message}. Example of a valid value: ${expect === 'array' ? '[{"key": "value"}]' : '{"key": "value"}'}`,
				);
			}
		}
		const isArray = Array.isArray(value);
		if ((expect === 'array') !== isArray || typeof value !== 'object' || value === null) {
			throw itemError.call(this, `The "${label}" field must be a JSON ${expect}`);
		}
		requestOptions.body = { ...((requestOptions.body as IDataObject) ?? {}), [property]: value };
		return requestOptions;
	};
}

/** preSend: a required text field must not be blank (expressions can yield blanks per item). */
export function requireField(parameter: string, label: string): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = this.getNodeParameter(parameter, '') as unknown;
		if (value === undefined || value === null || String(value).trim() === '') {
			throw itemError.call(this, `The "${label}" field is empty`, `Enter a value for "${label}".`);
		}
		return requestOptions;
	};
}

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
		let qs: IDataObject = { ...(requestData.options.qs ?? {}) };

		while (results.length < limit) {
			const missing = limit - results.length;
			const pageSize = Math.max(
				pages.minPageSize ?? 1,
				Math.min(pages.maxPageSize, Number.isFinite(missing) ? missing : pages.maxPageSize),
			);
			qs = { ...qs, [pages.pageSizeParameter]: pageSize };
			const response = await this.makeRoutingRequest({
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
