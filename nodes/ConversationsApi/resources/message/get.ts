import type {
	IDataObject,
	IExecuteSingleFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { messageIdField } from '../../shared/descriptions';
import { showFor } from './helpers';

/** postReceive: outputs the message, flat as the spec documents it or wrapped in `message`. */
export async function unwrapMessage(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return items.map((item) => {
		const wrapped = item.json.message;
		const isWrapped =
			item.json.id === undefined &&
			typeof wrapped === 'object' &&
			wrapped !== null &&
			!Array.isArray(wrapped);
		return isWrapped ? { ...item, json: wrapped as IDataObject } : item;
	});
}

export const messageGetDescription: INodeProperties[] = [
	{
		...messageIdField,
		description: 'The message to get',
		displayOptions: { show: showFor('get') },
	},
];
