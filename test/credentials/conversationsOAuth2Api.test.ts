import { OAUTH_TOKEN, credentials, testCredential } from '../support/engine';
import { oauthApi } from '../support/api';
import { ConversationsOAuth2Api } from '../../credentials/ConversationsOAuth2Api.credentials';
import { OAUTH_SCOPES } from '../../credentials/constants';

const oauth = credentials.oAuth2().conversationsOAuth2Api;

describe('OAuth2 credential', () => {
	it('declares the authorization-code grant, both marketplaces, the token URL and all five scopes', () => {
		const properties = Object.fromEntries(new ConversationsOAuth2Api().properties.map((property) => [property.name, property]));
		expect(new ConversationsOAuth2Api().extends).toEqual(['oAuth2Api']);
		expect(properties.grantType.default).toBe('authorizationCode');
		expect(properties.authUrl.default).toContain('marketplace.gohighlevel.com/v2/oauth/chooselocation');
		expect(properties.authUrl.default).toContain('marketplace.leadconnectorhq.com/v2/oauth/chooselocation');
		expect(properties.accessTokenUrl.default).toContain('/oauth/token');
		expect(properties.authentication.default).toBe('body');
		// The Sub-Account "Scope" (the default choice); the Agency one is in agency.test.ts.
		const scope = new ConversationsOAuth2Api().properties.find((property) => property.name === 'scope');
		expect(String(scope?.default).split(' ')).toEqual(OAUTH_SCOPES);
		expect(scope?.type).toBe('string');
	});

	it('tests with the access token and the location the token was issued for', async () => {
		const scope = oauthApi()
			.get('/conversations/search')
			.query({ locationId: 'loc-FROM-TOKEN', limit: '1' })
			.reply(200, { conversations: [], total: 0 });

		const result = await testCredential('conversationsOAuth2Api', oauth);

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(scope.isDone()).toBe(true);
	});

	it('uses the token location over the Location ID field', async () => {
		const scope = oauthApi()
			.get('/conversations/search')
			.query({ locationId: 'loc-FROM-TOKEN', limit: '1' })
			.reply(200, { conversations: [], total: 0 });

		const result = await testCredential('conversationsOAuth2Api', { ...oauth, locationId: 'loc-FIELD' });

		expect(result.status).toBe('OK');
		expect(scope.isDone()).toBe(true);
	});

	it('uses the Location ID field when the token names no location and is no company token', async () => {
		const scope = oauthApi()
			.get('/conversations/search')
			.query({ locationId: 'loc-FIELD', limit: '1' })
			.reply(200, { conversations: [], total: 0 });

		const result = await testCredential('conversationsOAuth2Api', {
			...oauth,
			locationId: 'loc-FIELD',
			oauthTokenData: { access_token: OAUTH_TOKEN, refresh_token: 'r', token_type: 'Bearer' },
		});

		expect(result.status).toBe('OK');
		expect(scope.isDone()).toBe(true);
	});

	it('names the missing scope on 403', async () => {
		oauthApi().get('/conversations/search').query(true).reply(403, { statusCode: 403 });

		const result = await testCredential('conversationsOAuth2Api', oauth);

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/conversations\.readonly/);
		expect(result.message).not.toContain(OAUTH_TOKEN);
	});
});
