/**
 * Agency (company) connections through the real engine: before a location's first request the
 * company token is exchanged for that location's token (POST /oauth/locationToken, through n8n's
 * OAuth2 helper), which is kept in memory per credential and location until shortly before it
 * expires, shared by concurrent items, renewed once on a 401; the company token itself is
 * refreshed by n8n; a location without the app gets an error that says so.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { BASE_URL, OAUTH_TOKEN, credentials, logged, runNode } from '../support/engine';
import { json } from '../support/api';
import { virtualClock } from '../support/clock';

const COMPANY = 'comp-1';
const agency = (overrides: IDataObject = {}) => credentials.agency(overrides);

/** Exchanges (POST /oauth/locationToken) the API received in the test. */
let exchangesSent = 0;

/** The exchange HighLevel answers: exact headers (company token, Version 2021-07-28) and form body. */
function exchange(locationId: string, companyToken = OAUTH_TOKEN) {
	const scope = nock(BASE_URL, {
		reqheaders: {
			authorization: `Bearer ${companyToken}`,
			version: '2021-07-28',
			'content-type': 'application/x-www-form-urlencoded',
		},
	});
	scope.on('request', () => exchangesSent++);
	return scope.post('/oauth/locationToken', `companyId=${COMPANY}&locationId=${locationId}`);
}

const tokenOf = (locationId: string, n = 1) => `location-token-${locationId}-${n}`;
const granted = (locationId: string, n = 1, expiresIn = 86399) => ({
	access_token: tokenOf(locationId, n),
	token_type: 'Bearer',
	expires_in: expiresIn,
	scope: 'conversations.readonly conversations.write',
	locationId,
});

/** The Conversations API as the location's token sees it. */
const asLocation = (token: string) =>
	nock(BASE_URL, { reqheaders: { authorization: `Bearer ${token}`, version: '2021-04-15', accept: 'application/json' } });

const search = (locationId: string) => ({
	resource: 'conversation',
	operation: 'getAll',
	returnAll: false,
	limit: 1,
	locationId,
});

const searchQuery = (locationId: string) => ({ locationId, limit: '1' });

/** An exchange no interceptor expected counts too. */
function unexpected(request: { path?: string }) {
	if (String(request.path ?? '').startsWith('/oauth/locationToken')) exchangesSent++;
}
beforeAll(() => nock.emitter.on('no match', unexpected));
afterAll(() => nock.emitter.removeListener('no match', unexpected));
beforeEach(() => {
	exchangesSent = 0;
	logged.length = 0;
});

describe('agency connection: location tokens', () => {
	it('exchanges the company token for the location token, then sends the request with it', async () => {
		const exchanged = exchange('loc-A').reply(200, granted('loc-A'));
		const searched = asLocation(tokenOf('loc-A'))
			.get('/conversations/search')
			.query(searchQuery('loc-A'))
			.reply(200, { conversations: [{ id: 'conv-A1', locationId: 'loc-A' }], total: 1 });

		const { items, error } = await runNode({ parameters: search('loc-A'), credentials: agency() });

		expect(error).toBeUndefined();
		expect(exchanged.isDone() && searched.isDone()).toBe(true);
		expect(json(items)).toEqual([{ id: 'conv-A1', locationId: 'loc-A' }]);
	});

	it('keeps the location token in memory for later runs of the same credential, until shortly before it expires', async () => {
		exchange('loc-A').reply(200, granted('loc-A', 1, 3600));
		asLocation(tokenOf('loc-A', 1)).get('/conversations/search').query(searchQuery('loc-A')).times(2).reply(200, { conversations: [] });
		expect((await runNode({ parameters: search('loc-A'), credentials: agency() })).error).toBeUndefined();

		// 54 min 59 s later (a token is renewed in its last 5 minutes, or last tenth if shorter): still the same token.
		virtualClock.advance((3600 - 301) * 1000);
		expect((await runNode({ parameters: search('loc-A'), credentials: agency() })).error).toBeUndefined();
		expect(exchangesSent).toBe(1);

		// Two seconds later it is due: one new exchange.
		virtualClock.advance(2000);
		const renewed = exchange('loc-A').reply(200, granted('loc-A', 2, 3600));
		const sent = asLocation(tokenOf('loc-A', 2)).get('/conversations/search').query(searchQuery('loc-A')).reply(200, { conversations: [] });
		expect((await runNode({ parameters: search('loc-A'), credentials: agency() })).error).toBeUndefined();
		expect(renewed.isDone() && sent.isDone()).toBe(true);
		expect(exchangesSent).toBe(2);
	});

	it('another credential does not share the location token', async () => {
		exchange('loc-A').times(2).reply(200, granted('loc-A'));
		asLocation(tokenOf('loc-A')).get('/conversations/search').query(searchQuery('loc-A')).times(2).reply(200, { conversations: [] });
		await runNode({ parameters: search('loc-A'), credentials: agency(), credentialId: 'cred-1' });
		await runNode({ parameters: search('loc-A'), credentials: agency(), credentialId: 'cred-2' });
		expect(exchangesSent).toBe(2);
	});

	it('50 items on 5 locations: 5 exchanges, each item on its own location with its own token', async () => {
		const locations = ['loc-1', 'loc-2', 'loc-3', 'loc-4', 'loc-5'];
		const exchanges = locations.map((location) => exchange(location).delay(20).reply(200, granted(location)));
		const requests = locations.map((location) =>
			asLocation(tokenOf(location))
				.get('/conversations/search')
				.query(searchQuery(location))
				.times(10)
				.reply(200, { conversations: [{ id: `conv-of-${location}` }] }),
		);
		const input = Array.from({ length: 50 }, (_, index) => ({ json: { locationId: locations[index % 5] } }));

		const { items, error } = await runNode({
			parameters: { ...search('={{ $json.locationId }}') },
			credentials: agency(),
			input,
		});

		expect(error).toBeUndefined();
		expect(exchangesSent).toBe(5);
		expect(exchanges.every((scope) => scope.isDone()) && requests.every((scope) => scope.isDone())).toBe(true);
		expect(json(items)).toEqual(input.map((item) => ({ id: `conv-of-${item.json.locationId}` })));
	});

	it('a 401 on the API gets one new location token and the request is sent once more; concurrent items share that one', async () => {
		exchange('loc-A').reply(200, granted('loc-A', 1));
		let refused = 0;
		asLocation(tokenOf('loc-A', 1))
			.get('/conversations/search')
			.query(searchQuery('loc-A'))
			.times(3)
			.reply(() => {
				refused++;
				return [401, { statusCode: 401, message: 'Invalid JWT' }];
			});
		const renewed = exchange('loc-A').delay(20).reply(200, granted('loc-A', 2));
		asLocation(tokenOf('loc-A', 2))
			.get('/conversations/search')
			.query(searchQuery('loc-A'))
			.times(3)
			.reply(200, { conversations: [{ id: 'c' }] });

		const { items, error } = await runNode({
			parameters: search('loc-A'),
			credentials: agency(),
			input: [{ json: {} }, { json: {} }, { json: {} }],
		});

		expect(error).toBeUndefined();
		expect(renewed.isDone()).toBe(true);
		// However many items met the old token's 401 (the items run concurrently), one new exchange.
		expect(refused).toBeGreaterThanOrEqual(1);
		expect(exchangesSent).toBe(2);
		expect(json(items)).toEqual([{ id: 'c' }, { id: 'c' }, { id: 'c' }]);
		nock.cleanAll();
	});

	it("a second 401 (the new token refused too) is the API's answer: no third exchange", async () => {
		exchange('loc-A').reply(200, granted('loc-A', 1));
		exchange('loc-A').reply(200, granted('loc-A', 2));
		asLocation(tokenOf('loc-A', 1)).get('/conversations/search').query(true).reply(401, { statusCode: 401, message: 'Invalid JWT' });
		asLocation(tokenOf('loc-A', 2)).get('/conversations/search').query(true).reply(401, { statusCode: 401, message: 'Invalid JWT' });

		const { error } = await runNode({ parameters: search('loc-A'), credentials: agency() });

		expect(error?.message).toMatch(/401/);
		expect(exchangesSent).toBe(2);
	});

	it('an expired company token is refreshed by n8n (and saved); the location token is never saved', async () => {
		const refreshed = 'oauth-company-token-REFRESHED';
		const expired = exchange('loc-A').reply(401, { statusCode: 401, message: 'Invalid JWT' });
		const refresh = nock(BASE_URL)
			.post('/oauth/token')
			.reply(function (_uri, body) {
				const form = new URLSearchParams(String(body));
				expect(form.get('grant_type')).toBe('refresh_token');
				expect(form.get('refresh_token')).toBe('refresh-token-1');
				return [
					200,
					{
						access_token: refreshed,
						refresh_token: 'refresh-token-2',
						token_type: 'Bearer',
						expires_in: 86399,
						userType: 'Company',
						companyId: COMPANY,
					},
				];
			});
		const retried = exchange('loc-A', refreshed).reply(200, granted('loc-A'));
		asLocation(tokenOf('loc-A')).get('/conversations/search').query(searchQuery('loc-A')).reply(200, { conversations: [] });

		const { error, credentialsHelper } = await runNode({ parameters: search('loc-A'), credentials: agency() });

		expect(error).toBeUndefined();
		expect(expired.isDone() && refresh.isDone() && retried.isDone()).toBe(true);
		const saved = credentialsHelper.tokenUpdates.map((update) => update.data.oauthTokenData);
		expect(saved).toEqual([expect.objectContaining({ access_token: refreshed, refresh_token: 'refresh-token-2' })]);
		expect(JSON.stringify(credentialsHelper.tokenUpdates)).not.toContain(tokenOf('loc-A'));
	});

	it('a location where the app is not installed: an error that says so and what to do; other items still run', async () => {
		exchange('loc-NOAPP').reply(400, { statusCode: 400, message: 'This app is not installed for the location', error: 'Bad Request' });
		exchange('loc-A').reply(200, granted('loc-A'));
		asLocation(tokenOf('loc-A'))
			.get('/conversations/search')
			.query(searchQuery('loc-A'))
			.reply(200, { conversations: [{ id: 'ok' }] });

		const { items } = await runNode({
			parameters: search('={{ $json.locationId }}'),
			credentials: agency(),
			input: [{ json: { locationId: 'loc-NOAPP' } }, { json: { locationId: 'loc-A' } }],
			continueOnFail: true,
		});

		expect(items[0].json).toEqual({ error: 'The app is not installed on sub-account loc-NOAPP (HighLevel refused a token for it: 400)' });
		expect(items[0].error?.description).toMatch(
			/^Install the Marketplace app on that sub-account .*HighLevel says: "This app is not installed for the location"/,
		);
		expect(json(items.slice(1))).toEqual([{ id: 'ok' }]);
	});

	it('without a Location ID an agency connection says which field to fill', async () => {
		const { error } = await runNode({
			parameters: { resource: 'conversation', operation: 'get', conversationId: { __rl: true, mode: 'id', value: 'conv-1' } },
			credentials: agency(),
		});
		expect(error?.message).toBe('No Location ID: with an agency connection every operation needs the sub-account to act on');
		expect(exchangesSent).toBe(0);
	});

	it("Message → Send (an operation whose request names no location) acts on each item's sub-account; a plain-string or picked Location ID both work", async () => {
		exchange('loc-1').reply(200, granted('loc-1'));
		exchange('loc-2').reply(200, granted('loc-2'));
		const body = { type: 'SMS', contactId: 'c-1', message: 'hi' };
		const first = asLocation(tokenOf('loc-1')).post('/conversations/messages', body).reply(201, { messageId: 'm-1' });
		const second = asLocation(tokenOf('loc-2')).post('/conversations/messages', body).reply(201, { messageId: 'm-2' });
		for (const locationId of ['loc-1', { __rl: true, mode: 'list', value: 'loc-2' }]) {
			const { items, error } = await runNode({
				parameters: { resource: 'message', operation: 'send', type: 'SMS', contactId: 'c-1', message: 'hi', locationId } as never,
				credentials: agency(),
			});
			expect(error).toBeUndefined();
			expect(items).toHaveLength(1);
		}
		expect(first.isDone() && second.isDone()).toBe(true);
	});

	it('a sub-account token is used as before, with no exchange', async () => {
		const sent = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${OAUTH_TOKEN}` } })
			.get('/conversations/search')
			.query(searchQuery('loc-B'))
			.reply(200, { conversations: [] });
		const { error } = await runNode({ parameters: search('loc-B'), credentials: credentials.oAuth2() });
		expect(error).toBeUndefined();
		expect(sent.isDone()).toBe(true);
		expect(exchangesSent).toBe(0);
	});

	it('location tokens appear in no output, error, log or saved state', async () => {
		exchange('loc-A').reply(200, granted('loc-A', 1));
		asLocation(tokenOf('loc-A', 1))
			.get('/conversations/search')
			.query(true)
			.reply(401, { statusCode: 401, message: `Invalid JWT Bearer ${tokenOf('loc-A', 1)}` });
		exchange('loc-A').reply(200, granted('loc-A', 2));
		asLocation(tokenOf('loc-A', 2)).get('/conversations/search').query(true).reply(500, { statusCode: 500, message: 'boom' }).persist();

		const staticData = {};
		const { items, error, run, credentialsHelper } = await runNode({
			parameters: { ...search('loc-A'), rateLimitAndRetries: { maxAttempts: 1 } },
			credentials: agency(),
			continueOnFail: true,
			staticData,
		});
		nock.cleanAll();

		expect(error).toBeUndefined();
		expect(items[0].error).toBeDefined();
		const everything = [
			JSON.stringify(run),
			JSON.stringify(items),
			String(items[0].error?.stack),
			JSON.stringify(staticData),
			logged.join('\n'),
			JSON.stringify(credentialsHelper.tokenUpdates),
		].join('\n');
		for (const token of [tokenOf('loc-A', 1), tokenOf('loc-A', 2), OAUTH_TOKEN]) expect(everything).not.toContain(token);
	});
});
