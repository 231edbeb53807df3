import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { getLocationId, itemError, routingRequest } from './transport';

export type PreSend = (
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;

/** A field value that counts as not given: unset, or text of only spaces. */
export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || String(value).trim() === '';
}

/** Removes body properties that hold only a blank text or an empty list. */
export function dropBlankBody(requestOptions: IHttpRequestOptions, properties: string[]): IDataObject {
	const body = { ...((requestOptions.body as IDataObject) ?? {}) };
	for (const property of properties) {
		const value = body[property];
		if (Array.isArray(value) ? value.length === 0 : isBlank(value)) delete body[property];
	}
	requestOptions.body = body;
	return body;
}

/** preSend: leaves out blank optional body properties instead of sending "" or []. */
export function omitBlank(properties: string[]): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		dropBlankBody(requestOptions, properties);
		return requestOptions;
	};
}

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

/**
 * preSend: a required field (text, or a resource locator's value) must not be blank: expressions
 * can yield blanks per item.
 */
export function requireField(parameter: string, label: string, hint = `Enter a value for "${label}".`): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		if (isBlank(this.getNodeParameter(parameter, '', { extractValue: true }))) {
			throw itemError.call(this, `The "${label}" field is empty`, hint);
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

/**
 * preSend: sends an optional field only when it has a value, so a blank field (or an expression
 * that yields a blank for this item) leaves the parameter out instead of sending "".
 */
export function sendIfSet(parameter: string, where: 'qs' | 'body', property = parameter): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = this.getNodeParameter(parameter, '') as IDataObject[string];
		if (isBlank(value)) return requestOptions;
		if (where === 'qs') {
			requestOptions.qs = { ...(requestOptions.qs ?? {}), [property]: value };
		} else {
			requestOptions.body = { ...((requestOptions.body as IDataObject) ?? {}), [property]: value };
		}
		return requestOptions;
	};
}

/** preSend: a text field must not be longer than `max` characters. */
export function maxLength(parameter: string, label: string, max: number): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = this.getNodeParameter(parameter, '') as unknown;
		const length = value === undefined || value === null ? 0 : String(value).length;
		if (length > max) {
			throw itemError.call(
				this,
				`The "${label}" field is too long (${length} characters, at most ${max})`,
				`Shorten "${label}" to ${max} characters or fewer.`,
			);
		}
		return requestOptions;
	};
}

/**
 * preSend: sends the ID of a resource locator (From List or By ID) as `property` of the body.
 * A blank ID is an item error naming the field.
 */
export function sendLocator(parameter: string, property: string, label: string): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const raw = this.getNodeParameter(parameter, '', { extractValue: true }) as unknown;
		const value = raw === undefined || raw === null ? '' : String(raw).trim();
		if (!value) {
			throw itemError.call(this, `The "${label}" field is empty`, `Choose or enter the ID to use for "${label}".`);
		}
		requestOptions.body = { ...((requestOptions.body as IDataObject) ?? {}), [property]: value };
		return requestOptions;
	};
}

/** Offset of a time zone from UTC at an instant, in milliseconds. */
function timeZoneOffset(instant: Date, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(instant);
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wallClock - (instant.getTime() - instant.getUTCMilliseconds());
}

/** A date without a time zone (as n8n's date picker gives it) is read in the workflow's time zone. */
function parseDate(value: unknown, timeZone: string): Date | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	if (typeof value === 'number') return parseDate(new Date(value), timeZone);
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return parseDate(String((value as { toISO: () => string }).toISO()), timeZone);
	}
	const text = String(value).trim();
	const zoneless = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/.test(text);
	if (zoneless) {
		const asUtc = new Date(`${text.replace(' ', 'T')}${text.length === 10 ? 'T00:00:00' : ''}Z`);
		if (Number.isNaN(asUtc.getTime())) return undefined;
		try {
			let result = new Date(asUtc.getTime() - timeZoneOffset(asUtc, timeZone));
			// Near a daylight-saving change the offset at the result can differ: use that one.
			result = new Date(asUtc.getTime() - timeZoneOffset(result, timeZone));
			return result;
		} catch {
			return asUtc; // An unknown time zone name: read the date as UTC.
		}
	}
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * preSend: sends a date field as an ISO 8601 UTC timestamp or as UTC seconds, in the body or the
 * query. Blank leaves it out; a value that is not a date is an item error naming the field.
 */
export function sendDate(
	parameter: string,
	where: 'body' | 'qs',
	property: string,
	label: string,
	format: 'iso' | 'seconds' = 'iso',
): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const raw = this.getNodeParameter(parameter, '') as unknown;
		if (isBlank(raw)) return requestOptions;
		const date = parseDate(raw, this.getTimezone());
		if (!date) {
			throw itemError.call(
				this,
				`The "${label}" field is not a valid date: "${String(raw)}"`,
				'Use an ISO 8601 date and time, e.g. 2026-03-05T14:30:00Z.',
			);
		}
		const value = format === 'seconds' ? Math.floor(date.getTime() / 1000) : date.toISOString();
		if (where === 'qs') {
			requestOptions.qs = { ...(requestOptions.qs ?? {}), [property]: value };
		} else {
			requestOptions.body = { ...((requestOptions.body as IDataObject) ?? {}), [property]: value };
		}
		return requestOptions;
	};
}
