import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';

type PreSend = (
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;

export const showFor = (operation: string) => ({ operation: [operation], resource: ['message'] });

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
