/**
 * The OAuth2 credential's "Connect As" choice: an agency adds the agency scopes (and only then),
 * and the credential test checks an agency token against the list of sub-accounts where the app
 * is installed, saying so when there is none.
 */
import nock from 'nock';
import { BASE_URL, OAUTH_TOKEN, credentials, testCredential } from '../support/engine';
import { oauthApi } from '../support/api';
import { ConversationsOAuth2Api } from '../../credentials/ConversationsOAuth2Api.credentials';
import { AGENCY_SCOPES, OAUTH_SCOPES } from '../../credentials/constants';

const credential = new ConversationsOAuth2Api();
const agencyTokenData = {
	access_token: OAUTH_TOKEN,
	refresh_token: 'refresh-token-1',
	token_type: 'Bearer',
	userType: 'Company',
	companyId: 'comp-1',
};
const agency = {
	...credentials.oAuth2().conversationsOAuth2Api,
	accountType: 'agency',
	clientId: '6578278e879ad2646715ba9c-lq2b3xyz',
	oauthTokenData: agencyTokenData,
};

describe('OAuth2 credential: Connect As', () => {
	it('asks first whether to connect a sub-account (default) or an agency', () => {
		// After the dialog's guidance (a notice), the first field.
		const [notice, first] = credential.properties;
		expect(notice.type).toBe('notice');
		expect(first.name).toBe('accountType');
		expect(first.default).toBe('subAccount');
		expect((first.options ?? []).map((option) => (option as { value: string }).value)).toEqual(['subAccount', 'agency']);
	});

	it('adds oauth.readonly and oauth.write to the scopes only for an agency', () => {
		const scopes = credential.properties.filter((property) => property.name === 'scope');
		const byChoice = Object.fromEntries(
			scopes.map((scope) => [scope.displayOptions?.show?.accountType?.[0], String(scope.default).split(' ')]),
		);
		expect(byChoice.subAccount).toEqual(OAUTH_SCOPES);
		expect(byChoice.agency).toEqual([...OAUTH_SCOPES, ...AGENCY_SCOPES]);
		expect(AGENCY_SCOPES).toEqual(['oauth.readonly', 'oauth.write']);
		const appId = credential.properties.find((property) => property.name === 'appId');
		expect(appId?.displayOptions?.show?.accountType).toEqual(['agency']);
	});
});

describe('OAuth2 credential test with an agency token', () => {
	const installed = (appId: string) =>
		nock(BASE_URL, { reqheaders: { authorization: `Bearer ${OAUTH_TOKEN}`, version: '2021-07-28' } })
			.get('/oauth/installedLocations')
			.query({ companyId: 'comp-1', appId, isInstalled: 'true' });

	it('lists the installed sub-accounts with the company token, the app ID taken from the Client ID', async () => {
		const scope = installed('6578278e879ad2646715ba9c').reply(200, {
			locations: [{ _id: 'loc-A', name: 'A', isInstalled: true }],
			count: 3,
		});
		const result = await testCredential('conversationsOAuth2Api', agency);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(scope.isDone()).toBe(true);
	});

	it('uses the App ID field when given', async () => {
		const scope = installed('app-given').reply(200, { locations: [{ _id: 'loc-A', isInstalled: true }] });
		const result = await testCredential('conversationsOAuth2Api', { ...agency, appId: 'app-given' });
		expect(result.status).toBe('OK');
		expect(scope.isDone()).toBe(true);
	});

	it('says that the app is installed on no sub-account yet', async () => {
		installed('6578278e879ad2646715ba9c').reply(200, { locations: [], count: 12 });
		const result = await testCredential('conversationsOAuth2Api', agency);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Agency token accepted, but the app is installed on no sub-account yet/);
	});

	it('names the agency scope on 403', async () => {
		installed('6578278e879ad2646715ba9c').reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' });
		const result = await testCredential('conversationsOAuth2Api', agency);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/an agency token lacks the oauth\.readonly scope/);
		expect(result.message).not.toContain(OAUTH_TOKEN);
	});

	it('still tests a sub-account token with one conversation of its location', async () => {
		const scope = oauthApi()
			.get('/conversations/search')
			.query({ locationId: 'loc-FROM-TOKEN', limit: '1' })
			.reply(200, { conversations: [] });
		const result = await testCredential('conversationsOAuth2Api', credentials.oAuth2().conversationsOAuth2Api);
		expect(result.status).toBe('OK');
		expect(scope.isDone()).toBe(true);
	});
});
