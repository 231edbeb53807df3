import type { IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { checkBaseUrl, getLocationId } from './credentials';
import { itemError } from './errors';
import { fieldText, type PreSend } from './preSend';

/** Encodes an ID as one path segment, so that no ID can change the route. */
export function encodePathSegment(value: string): string {
	return encodeURIComponent(value);
}

/**
 * The item's ID for a path segment, read from the field `name`: an empty or dot-only ID is an
 * error that names the field (its `label`).
 */
export async function pathId(this: IExecuteSingleFunctions, name: string, label: string): Promise<string> {
	const value = name === 'locationId' ? await getLocationId.call(this) : fieldText.call(this, name);
	if (!value) {
		throw itemError.call(this, `The "${label}" field is empty`, `Enter the ID to use for "${label}".`);
	}
	if (value === '.' || value === '..') {
		throw itemError.call(this, `The "${label}" field is not a valid ID: "${value}"`);
	}
	return value;
}

/**
 * preSend (one per operation, made from the labels of its path fields): fills the `{placeholders}`
 * of the operation's path template with the node's fields, each encoded as a single segment. An
 * empty or dot-only ID is an error that names the field.
 */
export function resolvePath(labels: Record<string, string>): PreSend {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const template = requestOptions.url;
		const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
		let url = template;
		for (const name of names) {
			const value = await pathId.call(this, name, labels[name] ?? name);
			url = url.replace(`{${name}}`, encodePathSegment(value));
		}
		requestOptions.url = url;
		requestOptions.baseURL = checkBaseUrl.call(this, requestOptions.baseURL);
		return requestOptions;
	};
}
