import { type Operation } from '../../shared/operation';
import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { limitField, locationIdField, returnAllField } from '../../shared/fields';
import { sendLocation } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

const isObject = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * postReceive: the response shape is not documented. A list (the body itself, or the only
 * array property of the body, e.g. `customSubtypes`) gives one item per subtype, cut to Limit;
 * any other body is output as it is.
 */
async function splitCustomSubtypes(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const body = response.body as unknown;
	// No body (a 200 with no content): no custom subtypes, so no items.
	if (body === undefined || body === null || (typeof body === 'string' && !body.trim())) return [];
	let list: unknown[] | undefined;
	if (Array.isArray(body)) {
		list = body;
	} else if (isObject(body)) {
		const arrays = Object.values(body).filter((value) => Array.isArray(value)) as unknown[][];
		if (arrays.length === 1) list = arrays[0];
	}
	if (!list) return items;

	const returnAll = this.getNodeParameter('returnAll', false) as boolean;
	const limit = returnAll ? list.length : (this.getNodeParameter('limit', limitField.default) as number);
	// A list of plain values (e.g. names) still gives one object per entry.
	return list.slice(0, limit).map((entry) => ({ json: isObject(entry) ? entry : ({ value: entry } as IDataObject) }));
}

const fields: INodeProperties[] = [returnAllField, limitField, locationIdField];

export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many custom subtypes',
		description: 'List the subscription categories of a location',
		routing: {
			request: { method: 'GET', url: '/conversations/preferences/custom-subtypes' },
			send: { preSend: [sendLocation('qs')] },
			output: { postReceive: [splitCustomSubtypes] },
		},
	},
	fields,
	facts: { scope: SCOPE.read, scopeListed: false },
};
