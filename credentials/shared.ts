import type { ICredentialTestRequest, INodeProperties } from 'n8n-workflow';
import { API_HEADERS, DEFAULT_BASE_URL } from '../nodes/ConversationsApi/shared/constants';

export const baseUrlProperty: INodeProperties = {
	displayName: 'Base URL',
	name: 'baseUrl',
	type: 'string',
	default: DEFAULT_BASE_URL,
	required: true,
	description:
		'Where the API is served. Keep the default for HighLevel; use another http(s) address for a local sandbox or a proxy.',
};

/**
 * A cheap read (one conversation of the location) that needs the same token, scope and location
 * as real work, so each failure below names its fix.
 */
export function credentialTest(locationExpression: string): ICredentialTestRequest {
	return {
		request: {
			baseURL: `={{ ($credentials.baseUrl || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}`,
			url: '/conversations/search',
			method: 'GET',
			headers: { ...API_HEADERS },
			qs: { locationId: locationExpression, limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The token was refused (401): check that it is complete and not revoked, or reconnect the account',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Access denied (403): the token lacks the conversations.readonly scope or has no access to this Location ID',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message: 'The API rejected the request (400): check the Location ID',
				},
			},
		],
	};
}
