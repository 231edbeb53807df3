/**
 * The sandboxes play HighLevel's token rules (sandbox/tokens.ts), over real HTTP: access tokens
 * expire after their (settable) lifetime; a refresh token works once, then (or when unknown)
 * answers HighLevel's documented 400 "Invalid grant" body; two refreshes at once with one refresh
 * token: one wins, the other is refused; a paused sub-account's refresh answers 400 "Location is
 * not active" and the same refresh token works once it is active again. For a sub-account
 * connection (the sandbox's `oauth` option) and an agency's company token alike.
 */
import nock from 'nock';
import { createSandbox, INVALID_GRANT, LOCATION_NOT_ACTIVE, type Sandbox } from '../../sandbox';
import { createAgencySandbox, type AgencySandbox } from '../../sandbox/agency';
import { fakeClock } from './helpers';

const CALLBACK = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());

interface Answer {
	status: number;
	body: Record<string, unknown>;
}

async function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
	const answer = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(form).toString(),
	});
	return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

async function get(url: string, token: string, version = '2021-04-15'): Promise<number> {
	return (await fetch(url, { headers: { authorization: `Bearer ${token}`, version } })).status;
}

/** A refresh grant at the token endpoint of `baseUrl`, as n8n sends it (client credentials in the body). */
async function refreshAt(baseUrl: string, client: { clientId: string; clientSecret: string }, refreshToken: string) {
	return await post(`${baseUrl}/oauth/token`, {
		grant_type: 'refresh_token',
		refresh_token: refreshToken,
		client_id: client.clientId,
		client_secret: client.clientSecret,
	});
}

describe('sub-account connection (createSandbox({ oauth }))', () => {
	let sandbox: Sandbox;
	let baseUrl: string;
	const clock = fakeClock();
	const refresh = async (refreshToken: string) => await refreshAt(baseUrl, sandbox.oauth!, refreshToken);
	const search = (token: string) => get(`${baseUrl}/conversations/search?locationId=${sandbox.locationId}&limit=1`, token);

	beforeEach(async () => {
		sandbox = await createSandbox({
			conversations: 3,
			rateLimit: false,
			now: clock.now,
			oauth: { accessTokenSeconds: 5, redirectUris: [CALLBACK] },
		});
		baseUrl = await sandbox.listen();
	});
	afterEach(async () => await sandbox.close());

	it("connects through the authorization page and the code grant: a Location token pair in HighLevel's shape", async () => {
		const page = await fetch(
			`${baseUrl}/oauth/chooselocation?${new URLSearchParams({ response_type: 'code', client_id: sandbox.oauth!.clientId, redirect_uri: CALLBACK, scope: 'conversations.readonly', state: 's1' }).toString()}`,
			{ redirect: 'manual' },
		);
		expect(page.status).toBe(302);
		const code = new URL(String(page.headers.get('location'))).searchParams.get('code') ?? '';
		const granted = await post(`${baseUrl}/oauth/token`, {
			grant_type: 'authorization_code',
			code,
			redirect_uri: CALLBACK,
			client_id: sandbox.oauth!.clientId,
			client_secret: sandbox.oauth!.clientSecret,
		});
		expect(granted.status).toBe(200);
		expect(granted.body).toEqual({
			access_token: expect.any(String),
			refresh_token: expect.any(String),
			token_type: 'Bearer',
			expires_in: 5,
			scope: 'conversations.readonly',
			userType: 'Location',
			locationId: sandbox.locationId,
			userId: 'sandbox-user',
		});
		expect(await search(String(granted.body.access_token))).toBe(200);
	});

	it('an access token expires after its lifetime (401); tokens refreshed earlier keep working until theirs', async () => {
		const first = sandbox.oauth!.connect();
		expect(await search(first.access_token)).toBe(200);
		clock.advance(3_000);
		const second = await refresh(first.refresh_token);
		expect(second.status).toBe(200);
		expect(await search(first.access_token)).toBe(200);
		clock.advance(2_000);
		expect(await search(first.access_token)).toBe(401);
		expect(await search(String(second.body.access_token))).toBe(200);
		clock.advance(3_000);
		expect(await search(String(second.body.access_token))).toBe(401);
		expect(sandbox.oauth!.tokens.stats.expired).toBe(2);
		// The lifetime is settable while running.
		sandbox.oauth!.tokens.accessTokenSeconds = 60;
		expect((await refresh(String(second.body.refresh_token))).body.expires_in).toBe(60);
	});

	it('a refresh token works once: a second use, or an unknown one, answers HighLevel\'s 400 "Invalid grant" body', async () => {
		const pair = sandbox.oauth!.connect();
		expect((await refresh(pair.refresh_token)).status).toBe(200);
		expect(await refresh(pair.refresh_token)).toEqual({ status: 400, body: INVALID_GRANT });
		expect(await refresh('never-issued')).toEqual({
			status: 400,
			body: { statusCode: 400, message: 'Invalid grant: refresh token is invalid' },
		});
		expect(sandbox.oauth!.tokens.stats).toMatchObject({ refreshed: 1, invalidGrant: 2 });
	});

	it('eight refreshes at once with one refresh token: one new pair, seven refused; one live refresh token left', async () => {
		const pair = sandbox.oauth!.connect();
		const answers = await Promise.all(Array.from({ length: 8 }, async () => await refresh(pair.refresh_token)));
		expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
		expect(answers.filter((answer) => answer.status === 400 && answer.body.message === INVALID_GRANT.message)).toHaveLength(7);
		expect(sandbox.oauth!.tokens.liveRefreshTokens()).toBe(1);
	});

	it('paused: the refresh answers 400 "Location is not active" and the same refresh token works once it is active again', async () => {
		const pair = sandbox.oauth!.connect();
		sandbox.oauth!.pause();
		expect(await refresh(pair.refresh_token)).toEqual({ status: 400, body: LOCATION_NOT_ACTIVE });
		expect(await refresh(pair.refresh_token)).toEqual({ status: 400, body: LOCATION_NOT_ACTIVE });
		sandbox.oauth!.resume();
		const again = await refresh(pair.refresh_token);
		expect(again.status).toBe(200);
		expect(await search(String(again.body.access_token))).toBe(200);
		expect(sandbox.oauth!.tokens.stats).toMatchObject({ refreshed: 1, notActive: 2, invalidGrant: 0 });
	});

	it('a wrong client secret is refused (401) and uses nothing up', async () => {
		const pair = sandbox.oauth!.connect();
		const refused = await post(`${baseUrl}/oauth/token`, {
			grant_type: 'refresh_token',
			refresh_token: pair.refresh_token,
			client_id: sandbox.oauth!.clientId,
			client_secret: 'guessed',
		});
		expect(refused.status).toBe(401);
		expect((await refresh(pair.refresh_token)).status).toBe(200);
	});

	it('a new connection (the code grant again) ends the tokens before it', async () => {
		const old = sandbox.oauth!.connect();
		sandbox.oauth!.connect();
		expect(await search(old.access_token)).toBe(401);
		expect(await refresh(old.refresh_token)).toEqual({ status: 400, body: INVALID_GRANT });
	});
});

describe('agency connection: the company token', () => {
	let agency: AgencySandbox;
	let baseUrl: string;
	const clock = fakeClock();
	const refresh = async (refreshToken: string) => await refreshAt(baseUrl, agency, refreshToken);
	const exchange = (companyToken: string, locationId: string) =>
		post(
			`${baseUrl}/oauth/locationToken`,
			{ companyId: agency.companyId, locationId },
			{ authorization: `Bearer ${companyToken}`, version: '2021-07-28' },
		);

	beforeEach(async () => {
		agency = await createAgencySandbox({ locations: 2, conversations: 1, rateLimit: false, now: clock.now, companyTokenSeconds: 4 });
		baseUrl = await agency.listen();
	});
	afterEach(async () => await agency.close());

	it('expires after its lifetime; its refresh token works once, then answers "Invalid grant"', async () => {
		const { access, refresh: refreshToken } = { ...agency.companyToken };
		expect((await exchange(access, agency.locations[0].locationId)).status).toBe(200);
		clock.advance(4_000);
		expect((await exchange(access, agency.locations[0].locationId)).status).toBe(401);
		const refreshed = await refresh(refreshToken);
		expect(refreshed.status).toBe(200);
		expect(refreshed.body).toMatchObject({ userType: 'Company', companyId: agency.companyId, expires_in: 4 });
		expect(agency.companyToken.access).toBe(refreshed.body.access_token);
		expect((await exchange(agency.companyToken.access, agency.locations[0].locationId)).status).toBe(200);
		expect(await refresh(refreshToken)).toEqual({ status: 400, body: INVALID_GRANT });
		const concurrent = await Promise.all([
			refresh(agency.companyToken.refresh),
			refresh(agency.companyToken.refresh),
			refresh(agency.companyToken.refresh),
		]);
		expect(concurrent.map((answer) => answer.status).sort()).toEqual([200, 400, 400]);
		expect(agency.tokens.stats).toMatchObject({ refreshed: 2, invalidGrant: 3 });
	});

	it('a paused sub-account: its location token answers 400 "Location is not active"; the others and the company token are unaffected', async () => {
		const [paused, other] = agency.locations;
		agency.tokens.pause(paused.locationId);
		expect(await exchange(agency.companyToken.access, paused.locationId)).toEqual({ status: 400, body: LOCATION_NOT_ACTIVE });
		expect((await exchange(agency.companyToken.access, other.locationId)).status).toBe(200);
		expect((await refresh(agency.companyToken.refresh)).status).toBe(200);
		agency.tokens.resume(paused.locationId);
		expect((await exchange(agency.companyToken.access, paused.locationId)).status).toBe(200);
	});
});
