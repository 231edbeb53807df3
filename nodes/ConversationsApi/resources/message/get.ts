import { type Operation } from '../../shared/operation';
import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { messageIdField } from '../../shared/fields';
import { SCOPE } from '../../../../credentials/constants';

/** postReceive: outputs the message, flat as the spec documents it or wrapped in `message`. */
async function unwrapMessage(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return items.map((item) => {
		const wrapped = item.json.message;
		const isWrapped = item.json.id === undefined && typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped);
		return isWrapped ? { ...item, json: wrapped as IDataObject } : item;
	});
}

const fields: INodeProperties[] = [messageIdField];

export const get: Operation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a message',
		description: 'Get a message by its ID. Returns its text, channel, direction, status and attachments.',
		routing: {
			request: { method: 'GET', url: '/conversations/messages/{messageId}' },
			output: { postReceive: [unwrapMessage] },
		},
	},
	fields,
	facts: { scope: SCOPE.messageRead, scopeListed: false, ids: { messageId: 'Message' } },
};
