import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { limitField, locationIdField, returnAllField } from '../../shared/fields';
import { sendDate, sendLocation } from '../../shared/preSend';
import { exportPagination } from '../../shared/paging';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [
	returnAllField,
	limitField,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Channel',
				name: 'channel',
				type: 'options',
				options: [
					{ name: 'Call', value: 'Call' },
					{ name: 'Email', value: 'Email' },
					{ name: 'Facebook', value: 'Facebook' },
					{ name: 'Instagram', value: 'Instagram' },
					{ name: 'SMS', value: 'SMS' },
					{ name: 'WhatsApp', value: 'WhatsApp' },
				],
				default: 'SMS',
				description: 'Only messages of this channel; without it, all channels except email',
				routing: { send: { type: 'query', property: 'channel' } },
			},
			{
				displayName: 'Contact ID',
				name: 'contactId',
				type: 'string',
				default: '',
				description: 'Only messages with this contact',
				routing: { send: { type: 'query', property: 'contactId' } },
			},
			{
				displayName: 'Conversation ID',
				name: 'conversationId',
				type: 'string',
				default: '',
				description: 'Only messages of this conversation',
				routing: { send: { type: 'query', property: 'conversationId' } },
			},
			{
				displayName: 'End Date',
				name: 'endDate',
				type: 'dateTime',
				default: '',
				description: 'Only messages up to this time',
				routing: {
					send: { preSend: [sendDate('filters.endDate', 'qs', 'endDate', 'End Date')] },
				},
			},
			{
				displayName: 'Start Date',
				name: 'startDate',
				type: 'dateTime',
				default: '',
				description: 'Only messages from this time on',
				routing: {
					send: { preSend: [sendDate('filters.startDate', 'qs', 'startDate', 'Start Date')] },
				},
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sortOptions',
		type: 'collection',
		placeholder: 'Add Sort Option',
		default: {},
		options: [
			{
				displayName: 'Order',
				name: 'sortOrder',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'desc',
				routing: { send: { type: 'query', property: 'sortOrder' } },
			},
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				options: [
					{ name: 'Created At', value: 'createdAt' },
					{ name: 'Updated At', value: 'updatedAt' },
				],
				default: 'createdAt',
				routing: { send: { type: 'query', property: 'sortBy' } },
			},
		],
	},
	locationIdField,
];

export const exportOperation: Operation = {
	option: {
		name: 'Export',
		value: 'export',
		action: 'Export messages',
		description: 'Export the messages of a location, with filters',
		routing: {
			request: { method: 'GET', url: '/conversations/messages/export' },
			send: { paginate: true, preSend: [sendLocation('qs')] },
			operations: { pagination: exportPagination },
		},
	},
	fields,
	facts: { scope: SCOPE.messageRead, scopeListed: false },
};
