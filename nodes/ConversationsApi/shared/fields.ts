import type { INodeProperties } from 'n8n-workflow';

/**
 * Fields that several operations use, one definition each: an operation lists the same object in
 * its `fields`, and the node shows one property for all of them (see shared/operation.ts). These
 * carry no routing: each operation sends them in its own way (path, query, body).
 */

/** Conversation picker: from a searchable list, or by ID. */
export const conversationField: INodeProperties = {
	displayName: 'Conversation',
	name: 'conversationId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a conversation...',
			typeOptions: {
				searchListMethod: 'searchConversations',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. tDtDnQdgm2LXpyiqYvZ6',
		},
	],
};

/** Overrides the credential's location for one node. */
export const locationIdField: INodeProperties = {
	displayName: 'Location ID',
	name: 'locationId',
	type: 'string',
	default: '',
	placeholder: 'Leave empty to use the credential\'s Location ID',
	description:
		'The sub-account (location) to act on. Empty: the Location ID of the credential (or of its OAuth2 token).',
};

export const contactIdField: INodeProperties = {
	displayName: 'Contact ID',
	name: 'contactId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 9VEmS0si86GW6gXWU89b',
};

export const messageIdField: INodeProperties = {
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
};

export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	displayOptions: { show: { returnAll: [false] } },
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
};

/**
 * Expression that accepts a list as an array or as comma-separated text
 * (e.g. "a@x.com, b@x.com") and sends an array.
 */
export const LIST_VALUE =
	'={{ Array.isArray($value) ? $value : String($value).split(",").map(v => v.trim()).filter(v => v) }}';

