import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { baseUrlProperty, oAuth2CredentialTest } from './shared';
import { ACCOUNT_TYPE, AGENCY_SCOPES, DEFAULT_BASE_URL, OAUTH_AUTHORIZATION_URL, OAUTH_SCOPES } from './constants';

export class ConversationsOAuth2Api implements ICredentialType {
	name = 'conversationsOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'HighLevel Conversations OAuth2 API';

	icon: Icon = { light: 'file:../icons/conversations.svg', dark: 'file:../icons/conversations.dark.svg' };

	// HighLevel's own page: it exists before and after this package is published.
	documentationUrl =
		'https://help.gohighlevel.com/support/solutions/articles/155000000136-how-to-get-started-with-the-developer-s-marketplace';

	properties: INodeProperties[] = [
		{
			displayName:
				"Create a Marketplace app (distribution: Sub-Account, or Agency for an agency connection) with the scopes below and this dialog's OAuth Redirect URL; paste its Client ID and Secret. The contact picker also needs contacts.readonly (without it, enter Contact IDs).",
			name: 'appNotice',
			type: 'notice',
			default: '',
		},
		{
			// The important choice first: it decides the scopes requested and how the node uses the token.
			displayName: 'Connect As',
			name: 'accountType',
			type: 'options',
			options: [
				{
					name: 'Sub-Account',
					value: ACCOUNT_TYPE.subAccount,
					description: 'One sub-account (location), chosen when you sign in',
				},
				{
					name: 'Agency',
					value: ACCOUNT_TYPE.agency,
					description:
						'An agency admin connects once; every sub-account where the app is installed can then be used (an agency-level Marketplace app)',
				},
			],
			default: ACCOUNT_TYPE.subAccount,
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Marketplace',
			name: 'marketplace',
			type: 'options',
			options: [
				{ name: 'HighLevel', value: 'standard' },
				{ name: 'White-Label (LeadConnector)', value: 'whiteLabel' },
			],
			default: 'standard',
			description:
				'Where you sign in to choose the sub-account: HighLevel (marketplace.gohighlevel.com) or your white-label domain (marketplace.leadconnectorhq.com)',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ $self.marketplace === "whiteLabel" ? "${OAUTH_AUTHORIZATION_URL.whiteLabel}" : "${OAUTH_AUTHORIZATION_URL.standard}" }}`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ($self.baseUrl || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") + "/oauth/token" }}`,
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: OAUTH_SCOPES.join(' '),
			description: 'Space-separated scopes; the marketplace app must request the same ones. Remove a scope to grant less.',
			displayOptions: { show: { accountType: [ACCOUNT_TYPE.subAccount] } },
		},
		{
			// Same field, agency default: also the scopes to get sub-account tokens and list installed sub-accounts.
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: [...OAUTH_SCOPES, ...AGENCY_SCOPES].join(' '),
			description:
				'Space-separated scopes; the marketplace app must request the same ones. An agency needs oauth.write (sub-account tokens) and oauth.readonly (the list of sub-accounts).',
			displayOptions: { show: { accountType: [ACCOUNT_TYPE.agency] } },
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 6578278e879ad2646715ba9c',
			description:
				"The Marketplace app's ID, to list the sub-accounts where it is installed. Leave empty to use the part of the Client ID before its dash, which is the app ID.",
			displayOptions: { show: { accountType: [ACCOUNT_TYPE.agency] } },
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			displayName: 'Location ID',
			name: 'locationId',
			type: 'string',
			default: '',
			placeholder: 'e.g. GkPr7zXyTq2mN8vLs4Wd',
			description:
				'Used only when the token names no sub-account (a company-level token): a sub-account token always acts on the location chosen at sign-in',
		},
		baseUrlProperty,
	];

	test: ICredentialTestRequest = oAuth2CredentialTest;
}
