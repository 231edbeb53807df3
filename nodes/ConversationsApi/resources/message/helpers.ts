import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { itemError } from '../../shared/transport';

type PreSend = (
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;

export const showFor = (operation: string) => ({ operation: [operation], resource: ['message'] });

/** preSend: a resource locator (e.g. Conversation) must name an ID. */
export function requireLocator(parameter: string, label: string): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = this.getNodeParameter(parameter, '', { extractValue: true }) as unknown;
		if (value === undefined || value === null || String(value).trim() === '') {
			throw itemError.call(this, `The "${label}" field is empty`, `Enter the ID to use for "${label}".`);
		}
		return requestOptions;
	};
}

/**
 * preSend: reads a date field and sends it as an ISO 8601 string or as UTC seconds.
 * An unreadable date is an item error naming the field.
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
		if (raw === undefined || raw === null || String(raw).trim() === '') return requestOptions;
		const date = new Date(raw as string);
		if (Number.isNaN(date.getTime())) {
			throw itemError.call(
				this,
				`The "${label}" field is not a valid date: "${String(raw)}"`,
				'Use an ISO 8601 date and time, e.g. 2026-03-01T09:30:00Z.',
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

/** Removes body properties that hold only a blank text or an empty list. */
export function dropBlankBody(requestOptions: IHttpRequestOptions, properties: string[]): IDataObject {
	const body = { ...((requestOptions.body as IDataObject) ?? {}) };
	for (const property of properties) {
		const value = body[property];
		if (
			value === undefined ||
			value === null ||
			(typeof value === 'string' && value.trim() === '') ||
			(Array.isArray(value) && value.length === 0)
		) {
			delete body[property];
		}
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

/** postReceive: an answer without a JSON body (e.g. 200 with no content) becomes `{ success: true }`. */
export async function successOnEmpty(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return items.map((item) =>
		typeof item.json === 'object' && item.json !== null && !Array.isArray(item.json)
			? item
			: { ...item, json: { success: true } },
	);
}
