import type { ICredentialTestRequest, IDataObject, INodeProperties } from 'n8n-workflow';
import { API_HEADERS, DEFAULT_BASE_URL, API_VERSION_CONTACTS_USERS_OAUTH } from './constants';

export const baseUrlProperty: INodeProperties = {
	displayName: 'Base URL',
	name: 'baseUrl',
	type: 'string',
	default: DEFAULT_BASE_URL,
	required: true,
	description: 'Where the API is served. Keep the default for HighLevel; use another http(s) address for a local sandbox or a proxy.',
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
					message: 'The token was refused (401): check that it is complete and not revoked, or reconnect the account',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Access denied (403): the token lacks the conversations.readonly scope or has no access to this Location ID',
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

/** Whether the stored token is an agency (company) token, as an expression over the credential. */
const AGENCY_TOKEN = '$credentials.oauthTokenData?.userType === "Company"';

/**
 * The OAuth2 credential's test. A sub-account token: the cheap read above. An agency token (it
 * names a company, not a location): the list of sub-accounts where the app is installed, which
 * needs the agency scope oauth.readonly and the app ID; an agency on which no sub-account has the
 * app installed yet is told so. n8n shows a rule's message only for a failure, so each failure
 * names which kind of token was tested.
 */
export const oAuth2CredentialTest: ICredentialTestRequest = (() => {
	const subAccount = credentialTest('={{$credentials.oauthTokenData?.locationId || $credentials.locationId}}');
	const appId = '($credentials.appId || String($credentials.clientId || "").split("-")[0])';
	return {
		request: {
			...subAccount.request,
			url: `={{ ${AGENCY_TOKEN} ? "/oauth/installedLocations" : "/conversations/search" }}`,
			headers: {
				Accept: 'application/json',
				Version: `={{ ${AGENCY_TOKEN} ? "${API_VERSION_CONTACTS_USERS_OAUTH}" : "${API_HEADERS.Version}" }}`,
			},
			// The query is one expression: the two requests take different parameters.
			qs: `={{ ${AGENCY_TOKEN} ? { companyId: $credentials.oauthTokenData.companyId, appId: ${appId}, isInstalled: true } : { locationId: $credentials.oauthTokenData?.locationId || $credentials.locationId, limit: 1 } }}` as unknown as IDataObject,
		},
		// n8n's tester reads each rule by its type (failure codes, then a successful body); its type
		// declaration only allows one kind per list.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The token was refused (401): check that it is complete and not revoked, or reconnect the account (as a sub-account or as an agency, whichever "Connect As" says)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Access denied (403): a sub-account token lacks the conversations.readonly scope or access to this Location ID; an agency token lacks the oauth.readonly scope',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message: 'The API rejected the request (400): check the Location ID (sub-account) or the App ID (agency)',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'locations.length',
					value: 0,
					message:
						'Agency token accepted, but the app is installed on no sub-account yet: install it on the sub-accounts to use (App Marketplace → the app → Install), or check the App ID',
				},
			},
		] as ICredentialTestRequest['rules'],
	};
})();
