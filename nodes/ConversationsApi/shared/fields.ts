import type { INodeProperties } from 'n8n-workflow';
import { requireField } from './preSend';

/**
 * Operation fields that two or more operations list, one definition per field name: each operation
 * lists the same object in its `fields`, and the layout (layout.ts) shows one property for all of
 * them. Also here: the expressions and patterns those fields use. Not here: a field only one
 * operation has (it stays in that operation's file), the node-level properties (descriptions.ts)
 * and Simplify (simplify.ts, beside what it does). Most of these carry no routing, since each
 * operation sends them its own way (path, query, body); the few that do (Message, File Name, the
 * user filters) are sent the same way by every operation that lists them.
 */

/** A text value sent without surrounding spaces. */
export const TRIMMED = '={{ String($value).trim() }}';

/**
 * A conversation's address in HighLevel's web app, on app.gohighlevel.com or a white-label domain:
 * https://<host>/v2/location/<locationId>/conversations/conversations/<conversationId>
 */
export const CONVERSATION_URL_REGEX = 'https?://[^/\\s]+/v2/location/[A-Za-z0-9]+/conversations/conversations/([A-Za-z0-9]+)(?:[/?#].*)?';

/** Conversation picker: from a searchable list, by URL pasted from the browser, or by ID. */
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
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://app.gohighlevel.com/v2/location/GkPr7zXyTq2mN8vLs4Wd/conversations/conversations/tDtDnQdgm2LXpyiqYvZ6',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: CONVERSATION_URL_REGEX,
						errorMessage: 'Not a HighLevel conversation URL (…/v2/location/…/conversations/conversations/<ID>)',
					},
				},
			],
			extractValue: { type: 'regex', regex: CONVERSATION_URL_REGEX },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. tDtDnQdgm2LXpyiqYvZ6',
		},
	],
};

/**
 * The sub-account (location) to act on: overrides the credential's for one node. With an agency
 * connection it names the sub-account of each item (picked from the installed ones, or an ID or
 * expression, so one workflow can fan out over sub-accounts). Saved workflows that stored a plain
 * string keep working: the value is read with extractValue, which passes a string on as it is.
 */
export const locationIdField: INodeProperties = {
	displayName: 'Location ID',
	name: 'locationId',
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	description:
		'The sub-account (location) to act on. Empty: the Location ID of the credential (or of its OAuth2 token). With an agency connection: any sub-account where the app is installed.',
	modes: [
		{
			displayName: 'From List (Agency)',
			name: 'list',
			type: 'list',
			placeholder: 'Select a sub-account…',
			typeOptions: { searchListMethod: 'searchInstalledLocations', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: "Leave empty to use the credential's Location ID",
		},
	],
};

/**
 * Contact picker: found by name, email or phone (needs contacts.readonly), or by ID. Saved
 * workflows that hold a plain ID (or an expression) keep working: the value is read with
 * `extractValue`, which returns a plain value as it is.
 */
export const contactIdField: INodeProperties = {
	displayName: 'Contact',
	name: 'contactId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The contact. "From List" searches by name, email or phone and needs the contacts.readonly scope; "By ID" needs none.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Search by name, email or phone...',
			typeOptions: {
				searchListMethod: 'searchContacts',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 9VEmS0si86GW6gXWU89b',
		},
	],
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
export const LIST_VALUE = '={{ Array.isArray($value) ? $value : String($value).split(",").map(v => v.trim()).filter(v => v) }}';

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
	// No hint here: the field shows for every channel, and the Email case is in the description.
	description: 'Text of the message. For Email it may stay empty when an HTML body or a subject is set.',
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
	description: "Name of the file, with its extension (Complete Upload: as in Initiate Upload; the answer maps it to the file's URL)",
	routing: {
		send: {
			type: 'body',
			property: 'filename',
			value: TRIMMED,
			preSend: [requireField('filename', 'File Name')],
		},
	},
};

/** A picked list of user IDs (an array), or IDs as comma-separated text (saved workflows, expressions), sent as text. */
const USER_IDS_VALUE = '={{ (Array.isArray($value) ? $value.join(",") : $value) || undefined }}';

/**
 * A filter by users: pick the location's users (GET /users/, scope users.readonly) or give IDs
 * with an expression; comma-separated text stored by earlier versions is sent as it is.
 */
export function userIdsFilter(displayName: string, name: string, description: string, { unassigned = false } = {}): INodeProperties {
	return {
		displayName,
		name,
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: unassigned ? 'getAssignees' : 'getUsers' },
		default: [],
		description: `${description}. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		routing: { send: { type: 'query', property: name, value: USER_IDS_VALUE } },
	};
}
