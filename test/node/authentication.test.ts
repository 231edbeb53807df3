import nock from 'nock';
import { BASE_URL, LOCATION_ID, OAUTH_TOKEN, credentials, runNode } from '../support/engine';
import { api, json, oauthApi, rl } from '../support/api';

describe('Authentication', () => {
	it('OAuth2 requests carry the access token and the Version header', async () => {
		const scope = oauthApi().get('/conversations/conv-1').reply(200, { id: 'conv-1' });

		const { items, error } = await runNode({
			parameters: { resource: 'conversation', operation: 'get', conversationId: rl('conv-1') },
			credentials: credentials.oAuth2(),
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ id: 'conv-1' }]);
	});

	it('OAuth2 takes the location from the token, before the credential field', async () => {
		const scope = oauthApi()
			.post('/conversations/', { contactId: 'c-1', locationId: 'loc-FROM-TOKEN' })
			.reply(201, { success: true, conversation: { id: 'x' } });

		await runNode({
			parameters: { resource: 'conversation', operation: 'create', contactId: 'c-1' },
			credentials: credentials.oAuth2({ locationId: 'loc-FIELD' }),
		});

		expect(scope.isDone()).toBe(true);
	});

	it('an expired OAuth2 access token is refreshed and the request retried once', async () => {
		const refreshed = 'oauth-access-token-REFRESHED';
		const expired = oauthApi().get('/conversations/conv-1').reply(401, { statusCode: 401 });
		const token = nock(BASE_URL)
			.post('/oauth/token')
			.reply(function (_uri, body) {
				// n8n's OAuth2 client sends the refresh grant with the client credentials in the body.
				const form = new URLSearchParams(String(body));
				expect(form.get('grant_type')).toBe('refresh_token');
				expect(form.get('refresh_token')).toBe('refresh-token-1');
				expect(form.get('client_id')).toBe('client-id');
				expect(form.get('client_secret')).toBe('client-secret');
				return [200, { access_token: refreshed, refresh_token: 'refresh-token-2', token_type: 'Bearer', expires_in: 86399 }];
			});
		const retried = api({ token: refreshed }).get('/conversations/conv-1').reply(200, { id: 'conv-1' });

		const { items, error, credentialsHelper } = await runNode({
			parameters: { resource: 'conversation', operation: 'get', conversationId: rl('conv-1') },
			credentials: credentials.oAuth2(),
		});

		expect(error).toBeUndefined();
		expect(expired.isDone() && token.isDone() && retried.isDone()).toBe(true);
		expect(json(items)).toEqual([{ id: 'conv-1' }]);
		const saved = credentialsHelper.tokenUpdates.map((update) => update.data.oauthTokenData);
		expect(saved).toEqual([expect.objectContaining({ access_token: refreshed, refresh_token: 'refresh-token-2' })]);
		expect(OAUTH_TOKEN).not.toBe(refreshed);
	});

	it('a node without any location says where to set it', async () => {
		const { error } = await runNode({
			parameters: { resource: 'conversation', operation: 'create', contactId: 'c-1' },
			credentials: credentials.privateIntegrationToken({ locationId: '' }),
		});

		expect(error?.message).toMatch(/No Location ID/);
		expect(error?.description).toMatch(/"Location ID" field/);
		expect(LOCATION_ID).toBeTruthy();
	});
});
