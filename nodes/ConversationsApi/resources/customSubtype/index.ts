import type { INodeProperties } from 'n8n-workflow';
import { sendLocation } from '../../shared/hooks';
import { resolvePath } from '../../shared/transport';
import { customSubtypeCreateDescription } from './create';
import { customSubtypeGetManyDescription, splitCustomSubtypes } from './getAll';
import { customSubtypeUpdateDescription, requireUpdateFields } from './update';

const showOnlyForCustomSubtypes = {
	resource: ['customSubtype'],
};

export const customSubtypeDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForCustomSubtypes },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a custom subtype',
				description: 'Create an email or SMS subscription category contacts can unsubscribe from',
				routing: {
					request: { method: 'POST', url: '/conversations/preferences/custom-subtypes' },
					send: { preSend: [resolvePath, sendLocation('qs')] },
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many custom subtypes',
				description: 'List the subscription categories of a location',
				routing: {
					request: { method: 'GET', url: '/conversations/preferences/custom-subtypes' },
					send: { preSend: [resolvePath, sendLocation('qs')] },
					output: { postReceive: [splitCustomSubtypes] },
				},
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a custom subtype',
				description: 'Rename, describe or archive a subscription category',
				routing: {
					request: { method: 'PUT', url: '/conversations/preferences/custom-subtypes/{customSubtypeId}' },
					send: { preSend: [resolvePath, sendLocation('qs'), requireUpdateFields] },
				},
			},
		],
		default: 'getAll',
	},
	...customSubtypeCreateDescription,
	...customSubtypeGetManyDescription,
	...customSubtypeUpdateDescription,
];
