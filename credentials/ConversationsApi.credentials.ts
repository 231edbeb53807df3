import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { baseUrlProperty, credentialTest } from './shared';

export class ConversationsApi implements ICredentialType {
	name = 'conversationsApi';

	displayName = 'Conversations API (HighLevel) Private Integration Token API';

	icon: Icon = { light: 'file:../icons/conversations.svg', dark: 'file:../icons/conversations.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-conversations-api#private-integration-token';

	properties: INodeProperties[] = [
		{
			displayName: 'Private Integration Token',
			name: 'privateIntegrationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Created by a sub-account admin under Settings > Private Integrations, with the conversation scopes ticked',
		},
		{
			displayName: 'Location ID',
			name: 'locationId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
			description:
				'The sub-account the token belongs to (Settings > Business Profile). A Private Integration Token does not carry it.',
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
