import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { CREDENTIAL_TYPE } from './constants';

/** The action node's collection of pacing and retry options. */
export const RETRY_OPTIONS_PARAMETER = 'rateLimitAndRetries';

/** Both nodes take either credential, chosen by the Authentication field. */
export const credentialsDescription: INodeCredentialDescription[] = [
	{
		name: CREDENTIAL_TYPE.privateIntegrationToken,
		required: true,
		displayOptions: { show: { authentication: ['privateIntegrationToken'] } },
	},
	{
		name: CREDENTIAL_TYPE.marketplaceApp,
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
];

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'OAuth2 (Marketplace App)', value: 'oAuth2' },
		{ name: 'Private Integration Token', value: 'privateIntegrationToken' },
	],
	default: 'privateIntegrationToken',
};

/** Conversation picker: from a searchable list, or by ID. */
export const conversationSelect: INodeProperties = {
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

export function returnAllField(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		displayOptions: { show },
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	};
}

export function limitField(show: Record<string, string[]>, maxValue?: number): INodeProperties {
	return {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		displayOptions: { show: { ...show, returnAll: [false] } },
		typeOptions: { minValue: 1, ...(maxValue ? { maxValue } : {}) },
		default: 50,
		description: 'Max number of results to return',
	};
}

/**
 * Expression that accepts a list as an array or as comma-separated text
 * (e.g. "a@x.com, b@x.com") and sends an array.
 */
export const LIST_VALUE =
	'={{ Array.isArray($value) ? $value : String($value).split(",").map(v => v.trim()).filter(v => v) }}';

/**
 * Pacing and retries, for every operation. The defaults carry a large run (1,000 sends) through
 * the API's limit of 100 requests per 10 seconds without a failed item. They are DEFAULT_RETRY_POLICY's
 * (the linter wants literals here; a test keeps the two equal).
 */
export const rateLimitAndRetriesField: INodeProperties = {
	displayName: 'Rate Limit and Retries',
	name: RETRY_OPTIONS_PARAMETER,
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description:
		"How requests are paced and retried. A send (POST) that may have reached the API is never sent again, so leave the node's own Retry On Fail setting off: it would repeat sends.",
	options: [
		{
			displayName: 'Pace Requests',
			name: 'paceRequests',
			type: 'boolean',
			default: true,
			description:
				"Whether to wait before each request while the API's rate limit (its X-RateLimit headers; 100 requests per 10 seconds per sub-account) is used up. All items, pages and runs using the credential share it.",
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 5,
			description:
				'How many times a request is sent at most. Rate-limited requests (429) are retried for every operation; server and network errors only for reads, updates and deletes.',
		},
		{
			displayName: 'First Retry Wait (Ms)',
			name: 'retryWaitMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description: 'Wait before retrying after a server or network error; it doubles with each attempt, with random jitter',
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description: 'The longest single wait the node accepts (a Retry-After or a backoff); the item fails if the API asks for longer',
		},
	],
};
