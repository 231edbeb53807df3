import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { CREDENTIAL_TYPE } from '../../../credentials/constants';

/**
 * Node-level properties, not fields of an operation: the credentials and the Authentication field
 * that picks one (both nodes, the action node and the polling trigger), and the action node's "Rate
 * Limit and Retries" collection, shown for every operation. Fields that operations list are in
 * fields.ts (shared by several) or in the operation's own file.
 */

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

/**
 * Pacing and retries, for every operation. The defaults carry a large run (1,000 sends) through
 * the API's limit of 100 requests per 10 seconds without a failed item. They are written only here
 * (the linter wants literals): retry.ts reads DEFAULT_RETRY_POLICY from them.
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
