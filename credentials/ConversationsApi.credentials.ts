import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { baseUrlProperty, credentialTest } from './shared';

export class ConversationsApi implements ICredentialType {
	name = 'conversationsApi';

	displayName = 'HighLevel Private Integration API';

	icon: Icon = { light: 'file:../icons/conversations.svg', dark: 'file:../icons/conversations.dark.svg' };

	// HighLevel's own page: it exists before and after this package is published.
	documentationUrl = 'https://marketplace.gohighlevel.com/docs/Authorization/PrivateIntegrationsToken/index.html';

	properties: INodeProperties[] = [
		{
			displayName:
				'In the sub-account: Settings → Private Integrations → Create new Integration. Tick the conversation scopes (and contacts.readonly for the contact picker), then paste the token it shows once.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Private Integration Token',
			name: 'privateIntegrationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The token of a sub-account Private Integration (starts with "pit-")',
		},
		{
			displayName: 'Location ID',
			name: 'locationId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. GkPr7zXyTq2mN8vLs4Wd',
			description:
				'The sub-account the token belongs to: the part after /location/ in its address in the browser (or Settings → Business Profile). A Private Integration Token does not carry it.',
		},
		baseUrlProperty,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.privateIntegrationToken}}',
			},
		},
	};

	test: ICredentialTestRequest = credentialTest('={{$credentials.locationId}}');
}
