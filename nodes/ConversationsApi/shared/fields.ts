import type { INodeProperties } from 'n8n-workflow';
import { requireField } from './preSend';

/** A text value sent without surrounding spaces. */
export const TRIMMED = '={{ String($value).trim() }}';

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


/** An email message's ID (the `emailMessageId` an email send returns). */
export const emailMessageIdField: INodeProperties = {
	displayName: 'Email Message ID',
	name: 'emailMessageId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
	description:
		'ID of the email message (the emailMessageId returned when an email is sent). Update Status: only emails sent through your own custom conversation provider.',
};

/** The custom conversation provider a message or call came through (required where it is shown). */
export const conversationProviderIdField: INodeProperties = {
	displayName: 'Conversation Provider ID',
	name: 'conversationProviderId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 61d6d1f9cdac7612faf80753',
	description: 'The custom conversation provider (e.g. a calling or messaging app) the message came through',
};

/** The text of a message (Send, Add Inbound), optional: an email may have only HTML or a subject. */
export const messageTextField: INodeProperties = {
	displayName: 'Message',
	name: 'message',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	description: 'Text of the message',
	hint: 'For Email it may stay empty when an HTML body or a subject is set',
	routing: { send: { type: 'body', property: 'message' } },
};

/** The name of a file uploaded in two steps (Initiate Upload, then Complete Upload). */
export const fileNameField: INodeProperties = {
	displayName: 'File Name',
	name: 'filename',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. video.mp4',
	description: 'Name of the file, with its extension (Complete Upload: as in Initiate Upload; the answer maps it to the file\'s URL)',
	routing: {
		send: {
			type: 'body',
			property: 'filename',
			value: TRIMMED,
			preSend: [requireField('filename', 'File Name')],
		},
	},
};
