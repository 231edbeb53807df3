/**
 * HighLevel's refusals of a token, through the real engine (n8n-core's OAuth2 refresh on a 401):
 * HighLevel does not answer OAuth's `error: "invalid_grant"` but
 * `400 {"statusCode":400,"message":"Invalid grant: refresh token is invalid"}` for a used, expired
 * or unknown refresh token, and `400 {"statusCode":400,"message":"Location is not active"}` while a
 * sub-account is paused or unpaid (the same refresh token works again later). The first says to
 * reconnect the named credential; the second that the sub-account is paused and the connection is
 * kept. Neither is sent again, neither message carries a secret; sub-account and agency connections.
 */
import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import { BASE_URL, OAUTH_TOKEN, credentials, runNode } from '../support/engine';
import { oauthApi, rl } from '../support/api';
import { TriggerHarness } from '../support/poll';

const INVALID_GRANT = { statusCode: 400, message: 'Invalid grant: refresh token is invalid' };
const NOT_ACTIVE = { statusCode: 400, message: 'Location is not active' };
const RECONNECT = 'The credential "Test credential" needs to be reconnected: HighLevel refused to refresh its token (Invalid grant)';
const PAUSED = /^The sub-account( "[^"]+")? is not active \(paused or unpaid\): HighLevel gives no token for it until it is active again$/;
const SECRETS = ['refresh-token-1', 'client-secret', OAUTH_TOKEN];

const COMPANY = 'comp-1';
const agency = () => credentials.agency();

const getConversation: INodeParameters = { resource: 'conversation', operation: 'get', conversationId: rl('conv-1') };
const agencySearch: INodeParameters = { resource: 'conversation', operation: 'getAll', returnAll: false, limit: 1, locationId: 'loc-A' };

/** Answers `status` and `body` (up to five times), counting the calls. */
function counted(interceptor: nock.Interceptor, status: number, body: object): { count: number } {
	const calls = { count: 0 };
	interceptor.reply(() => {
		calls.count++;
		return [status, body];
	});
	return calls;
}

/** Every token endpoint call, with its form. */
function tokenEndpoint(status: number, body: object) {
	const calls: URLSearchParams[] = [];
	const scope = nock(BASE_URL)
		.persist()
		.post('/oauth/token')
		.reply(function (_uri, requestBody) {
			calls.push(new URLSearchParams(String(requestBody)));
			return [status, body];
		});
	return { calls, scope };
}

function expectNoSecrets(error: (Error & { description?: string | null }) | undefined): void {
	const text = `${error?.message ?? ''} ${error?.description ?? ''} ${JSON.stringify(error ?? {})}`;
	for (const secret of SECRETS) expect(text).not.toContain(secret);
}

afterEach(() => nock.cleanAll());

describe('token refusals: sub-account connection', () => {
	it('"Invalid grant" on the refresh after a 401: names the credential, says to reconnect, not retried', async () => {
		const api = counted(oauthApi().persist().get('/conversations/conv-1'), 401, { statusCode: 401, message: 'Invalid JWT' });
		const token = tokenEndpoint(400, INVALID_GRANT);

		const { error, credentialsHelper } = await runNode({ parameters: getConversation, credentials: credentials.oAuth2() });

		expect(error?.message).toBe(RECONNECT);
		expect(error?.description).toMatch(/refresh token is invalid, expired or was already used.*Open the credential and click "Reconnect"/);
		expect(token.calls.map((form) => form.get('refresh_token'))).toEqual(['refresh-token-1']);
		// The request and n8n's one retry with the (unchanged) token: no loop.
		expect(api.count).toBeLessThanOrEqual(2);
		expect(credentialsHelper.tokenUpdates).toEqual([]);
		expectNoSecrets(error);
	});

	it('"Location is not active" on the refresh: paused or unpaid, the connection kept, not retried', async () => {
		const api = counted(oauthApi().persist().get('/conversations/conv-1'), 401, { statusCode: 401, message: 'Invalid JWT' });
		const token = tokenEndpoint(400, NOT_ACTIVE);

		const { error, credentialsHelper } = await runNode({ parameters: getConversation, credentials: credentials.oAuth2() });

		expect(error?.message).toMatch(PAUSED);
		expect(error?.message).toContain('"loc-FROM-TOKEN"');
		expect(error?.description).toMatch(/The connection is kept: do not reconnect it\. Once the sub-account is active again/);
		expect(token.calls).toHaveLength(1);
		// The request and n8n's one retry with the (unchanged) token: no loop.
		expect(api.count).toBeLessThanOrEqual(2);
		// Nothing saved: the stored refresh token is still the one that works once the sub-account is active.
		expect(credentialsHelper.tokenUpdates).toEqual([]);
		expectNoSecrets(error);
	});

	it('Continue On Fail: the other items still run; each failed item says why', async () => {
		oauthApi().persist().get('/conversations/conv-1').reply(401, { statusCode: 401, message: 'Invalid JWT' });
		tokenEndpoint(400, INVALID_GRANT);

		const { items, error } = await runNode({
			parameters: getConversation,
			credentials: credentials.oAuth2(),
			input: [{ json: {} }, { json: {} }],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.error)).toEqual([RECONNECT, RECONNECT]);
	});

	it('the polling trigger fails its poll with the same words (and saves nothing)', async () => {
		oauthApi().persist().get('/conversations/search').query(true).reply(401, { statusCode: 401, message: 'Invalid JWT' });
		tokenEndpoint(400, NOT_ACTIVE);
		const harness = new TriggerHarness({
			parameters: { authentication: 'oAuth2', event: 'newMessage' },
			credentials: credentials.oAuth2(),
		});
		const paused = await harness.poll();
		expect(paused.error?.message).toMatch(PAUSED);
		expect(harness.state).toBeUndefined();

		nock.cleanAll();
		oauthApi().persist().get('/conversations/search').query(true).reply(401, { statusCode: 401, message: 'Invalid JWT' });
		tokenEndpoint(400, INVALID_GRANT);
		const refused = await harness.poll();
		expect(refused.error?.message).toBe(RECONNECT);
	});
});

describe('token refusals: agency connection', () => {
	const exchange = () =>
		nock(BASE_URL, { reqheaders: { version: '2021-07-28' } })
			.persist()
			.post('/oauth/locationToken', `companyId=${COMPANY}&locationId=loc-A`);

	it('the company token\'s refresh answers "Invalid grant": names the credential, says to reconnect', async () => {
		exchange().reply(401, { statusCode: 401, message: 'Invalid JWT' });
		const token = tokenEndpoint(400, INVALID_GRANT);

		const { error, credentialsHelper } = await runNode({ parameters: agencySearch, credentials: agency() });

		expect(error?.message).toBe(RECONNECT);
		expect(token.calls).toHaveLength(1);
		expect(credentialsHelper.tokenUpdates).toEqual([]);
		expectNoSecrets(error);
	});

	it('the sub-account is paused: the location token exchange answers "Location is not active"', async () => {
		const exchanged = counted(exchange(), 400, NOT_ACTIVE);

		const { error } = await runNode({ parameters: agencySearch, credentials: agency() });

		expect(error?.message).toMatch(PAUSED);
		expect(error?.message).toContain('"loc-A"');
		expect(error?.description).toMatch(/The connection is kept/);
		expect(exchanged.count).toBe(1);
		expectNoSecrets(error);
	});

	it('the company token\'s refresh answers "Location is not active" (agency paused): the connection kept', async () => {
		exchange().reply(401, { statusCode: 401, message: 'Invalid JWT' });
		tokenEndpoint(400, NOT_ACTIVE);

		const { error, credentialsHelper } = await runNode({ parameters: agencySearch, credentials: agency() });

		expect(error?.message).toMatch(PAUSED);
		expect(credentialsHelper.tokenUpdates).toEqual([]);
	});
});
