import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { getLocationId } from './credentials';
import { parseDate } from './dates';
import { itemError } from './errors';

/** preSend helpers: each reads fields of the item and puts them into the request, or refuses bad input. */

export type PreSend = (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/** Puts `value` as `property` of the request's query or JSON body (adding to what is there). */
export function put(requestOptions: IHttpRequestOptions, where: 'qs' | 'body', property: string, value: IDataObject[string]): void {
	if (where === 'qs') requestOptions.qs = { ...(requestOptions.qs ?? {}), [property]: value };
	else requestOptions.body = { ...((requestOptions.body as IDataObject) ?? {}), [property]: value };
}

/** A text field of the item (a resource locator's value), trimmed; blank when unset. */
export function fieldText(this: IExecuteSingleFunctions, name: string): string {
	const raw = this.getNodeParameter(name, '', { extractValue: true }) as unknown;
	return raw === undefined || raw === null || typeof raw === 'object' ? '' : String(raw).trim();
}

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

/**
 * preSend: sends a field's value (a resource locator's ID) as `property` of the query or the body,
 * as a declarative `send` would: for fields several operations share, each sending it its own way.
 */
export function sendValue(parameter: string, where: 'qs' | 'body', property = parameter, trim = false): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const raw = this.getNodeParameter(parameter, undefined, { extractValue: true }) as IDataObject[string];
		const value = trim ? String(raw).trim() : raw;
		put(requestOptions, where, property, value);
		return requestOptions;
	};
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
		put(requestOptions, where, property, locationId);
		return requestOptions;
	};
}

/**
 * preSend: reads a JSON field (text or object), checks it, and sends it as `property` of the body.
 * Bad JSON is an item error naming the field, so Continue On Fail keeps the other items.
 */
export function sendJson(parameter: string, property: string, label: string, expect: 'object' | 'array' = 'object'): PreSend {
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
		put(requestOptions, 'body', property, value);
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

/**
 * preSend: sends an optional field only when it has a value, so a blank field (or an expression
 * that yields a blank for this item) leaves the parameter out instead of sending "".
 */
export function sendIfSet(parameter: string, where: 'qs' | 'body', property = parameter): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = this.getNodeParameter(parameter, '') as IDataObject[string];
		if (isBlank(value)) return requestOptions;
		put(requestOptions, where, property, value);
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
		put(requestOptions, 'body', property, value);
		return requestOptions;
	};
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
		put(requestOptions, where, property, value);
		return requestOptions;
	};
}
