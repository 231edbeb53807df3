/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- fake tokens of a test */
/**
 * The installed sub-accounts list (agency connections), and the conversation list search acting
 * on the chosen location with that location's token.
 */
import nock from 'nock';
import { BASE_URL, OAUTH_TOKEN, credentials, runListSearch } from '../support/engine';

const agency = () => credentials.agency({ clientId: 'app123-suffix' });

const company = () => nock(BASE_URL, { reqheaders: { authorization: `Bearer ${OAUTH_TOKEN}`, version: '2021-07-28' } });

describe('list search: installed sub-accounts', () => {
	it('lists the sub-accounts where the app is installed, with the company token, filtered by the typed text', async () => {
		const scope = company()
			.get('/oauth/installedLocations')
			.query({ companyId: 'comp-1', appId: 'app123', isInstalled: 'true', skip: '0', limit: '100', query: 'den' })
			.reply(200, {
				locations: [
					{ _id: 'loc-1', name: 'Dental Denver', address: '1 Main St', isInstalled: true },
					{ _id: 'loc-2', name: 'Denim Shop', isInstalled: true },
				],
				count: 40,
			});
		const result = await runListSearch({
			method: 'searchInstalledLocations',
			parameters: { authentication: 'oAuth2' },
			filter: 'den',
			credentials: agency(),
		});
		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({
			results: [
				{ name: 'Dental Denver', value: 'loc-1', description: '1 Main St' },
				{ name: 'Denim Shop', value: 'loc-2', description: undefined },
			],
			paginationToken: undefined,
		});
	});

	it('says the list needs an agency connection for a sub-account token', async () => {
		await expect(
			runListSearch({ method: 'searchInstalledLocations', parameters: { authentication: 'oAuth2' }, credentials: credentials.oAuth2() }),
		).rejects.toThrow('The list of sub-accounts needs an agency connection');
	});

	it('names the scope and the App ID when the API refuses the list', async () => {
		company()
			.get('/oauth/installedLocations')
			.query(true)
			.reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' });
		await expect(
			runListSearch({ method: 'searchInstalledLocations', parameters: { authentication: 'oAuth2' }, credentials: agency() }),
		).rejects.toMatchObject({
			message: 'Could not list the sub-accounts where the app is installed (403)',
			description: expect.stringContaining('oauth.readonly'),
		});
	});

	it('the conversation search acts on the chosen location, with its location token', async () => {
		const exchanged = company()
			.post('/oauth/locationToken', 'companyId=comp-1&locationId=loc-2')
			.reply(200, { access_token: 'location-token-2', expires_in: 86399 });
		const searched = nock(BASE_URL, { reqheaders: { authorization: 'Bearer location-token-2', version: '2021-04-15' } })
			.get('/conversations/search')
			.query({ locationId: 'loc-2', sortBy: 'last_message_date', sort: 'desc', limit: '100' })
			.reply(200, { conversations: [{ id: 'conv-9', fullName: 'Ada', lastMessageBody: 'hi', sort: [1] }], total: 1 });
		const result = await runListSearch({
			method: 'searchConversations',
			parameters: { authentication: 'oAuth2', resource: 'conversation', operation: 'update', locationId: 'loc-2' },
			credentials: agency(),
		});
		expect(exchanged.isDone() && searched.isDone()).toBe(true);
		expect(result.results).toEqual([{ name: 'Ada · hi', value: 'conv-9' }]);
	});
});
