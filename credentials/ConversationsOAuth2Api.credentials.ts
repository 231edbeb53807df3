import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import {
	DEFAULT_BASE_URL,
	OAUTH_AUTHORIZATION_URL,
	OAUTH_SCOPES,
} from '../nodes/ConversationsApi/shared/constants';
import { baseUrlProperty, credentialTest } from './shared';

export class ConversationsOAuth2Api implements ICredentialType {
	name = 'conversationsOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'HighLevel Conversations OAuth2 API';

	icon: Icon = { light: 'file:../icons/conversations.svg', dark: 'file:../icons/conversations.dark.svg' };

	// HighLevel's own page: it exists before and after this package is published.
	documentationUrl = 'https://help.gohighlevel.com/support/solutions/articles/155000000136-how-to-get-started-with-the-developer-s-marketplace';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName:
				'Create a Marketplace app (distribution: Sub-Account) with the scopes below and this dialog\'s OAuth Redirect URL; paste its Client ID and Secret. The contact picker also needs contacts.readonly (without it, enter Contact IDs).',
			name: 'appNotice',
			type: 'notice',
			default: '',
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
			description: 'Where you sign in to choose the sub-account: HighLevel (marketplace.gohighlevel.com) or your white-label domain (marketplace.leadconnectorhq.com)',
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
			description:
				'Space-separated scopes; the marketplace app must request the same ones. Remove a scope to grant less.',
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

	test: ICredentialTestRequest = credentialTest(
		'={{$credentials.oauthTokenData?.locationId || $credentials.locationId}}',
	);
}
