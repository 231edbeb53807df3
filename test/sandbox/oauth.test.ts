/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the spec file it checks against. */
/**
 * The agency sandbox's authorization page and code grant (sandbox/routes/oauth.ts), over real
 * HTTP as n8n's OAuth2 flow uses them: the page redirects with a one-time code and the client's
 * state; the code buys one company token pair, only for the client it was issued to, with its
 * secret and the same redirect_uri. Everything else is refused with HighLevel's error bodies.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { createAgencySandbox, type AgencySandbox } from '../../sandbox/agency';

const CALLBACK = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';
const SCOPE = 'conversations.readonly oauth.readonly oauth.write';

let agency: AgencySandbox;
let baseUrl: string;

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());
beforeEach(async () => {
	agency = await createAgencySandbox({ locations: 2, conversations: 1, redirectUris: [CALLBACK] });
	baseUrl = await agency.listen();
});
afterEach(async () => await agency.close());

/** The authorization page's answer (never followed). */
async function authorize(query: Record<string, string>, page = '/v2/oauth/chooselocation'): Promise<Response> {
	return await fetch(`${baseUrl}${page}?${new URLSearchParams(query).toString()}`, { redirect: 'manual' });
}

const consent = (extra: Record<string, string> = {}) => ({
	response_type: 'code',
	client_id: agency.clientId,
	redirect_uri: CALLBACK,
	scope: SCOPE,
	state: 'n8n-state-1',
	...extra,
});

/** The code the page put in its redirect. */
async function codeOf(query: Record<string, string> = consent()): Promise<string> {
	const answer = await authorize(query);
	expect(answer.status).toBe(302);
	return new URL(String(answer.headers.get('location'))).searchParams.get('code') ?? '';
}

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
	const answer = await fetch(`${baseUrl}/oauth/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
		body: new URLSearchParams(form).toString(),
	});
	return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

const redeem = (code: string, extra: Record<string, string> = {}) =>
	token({
		grant_type: 'authorization_code',
		code,
		client_id: agency.clientId,
		client_secret: agency.clientSecret,
		redirect_uri: CALLBACK,
		...extra,
	});

async function installedLocations(accessToken: string): Promise<number> {
	const answer = await fetch(`${baseUrl}/oauth/installedLocations?companyId=${agency.companyId}&appId=${agency.appId}&isInstalled=true`, {
		headers: { authorization: `Bearer ${accessToken}`, version: '2021-07-28' },
	});
	await answer.arrayBuffer();
	return answer.status;
}

describe('authorization page', () => {
	it.each(['/v2/oauth/chooselocation', '/oauth/chooselocation'])(
		'%s: consent redirects to redirect_uri with a code and the state, recorded',
		async (page) => {
			const answer = await authorize(consent(), page);

			expect(answer.status).toBe(302);
			const location = new URL(String(answer.headers.get('location')));
			expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
			expect([...location.searchParams.keys()]).toEqual(['code', 'state']);
			expect(location.searchParams.get('code')).toMatch(/^[0-9a-f]{40}$/);
			expect(location.searchParams.get('state')).toBe('n8n-state-1');
			expect(agency.authorizations).toEqual([
				{ clientId: agency.clientId, redirectUri: CALLBACK, scope: SCOPE, state: 'n8n-state-1', redeemed: false },
			]);
		},
	);

	it('a redirect without state carries only the code; two consents give two different codes', async () => {
		const withoutState: Record<string, string> = consent();
		delete withoutState.state;
		const first = await authorize(withoutState);
		expect([...new URL(String(first.headers.get('location'))).searchParams.keys()]).toEqual(['code']);
		expect(await codeOf()).not.toBe(new URL(String(first.headers.get('location'))).searchParams.get('code'));
	});

	it.each([
		['no response_type', { response_type: '' }, 'response_type must be "code"'],
		['response_type token', { response_type: 'token' }, 'response_type must be "code"'],
		['an unknown client_id', { client_id: 'someone-else' }, 'Invalid client_id: no such app'],
		['no redirect_uri', { redirect_uri: '' }, 'redirect_uri must be an http(s) URL'],
		['a javascript: redirect_uri', { redirect_uri: 'javascript:alert(1)' }, 'redirect_uri must be an http(s) URL'],
		[
			'a redirect_uri the app did not register',
			{ redirect_uri: 'http://127.0.0.1:9999/rest/oauth2-credential/callback' },
			"redirect_uri is not one of the app's redirect URLs",
		],
	])('%s: 400, no redirect, no consent recorded', async (_case, change, message) => {
		const answer = await authorize(consent(change));

		expect(answer.status).toBe(400);
		expect(answer.headers.get('location')).toBeNull();
		expect(await answer.json()).toEqual({ statusCode: 400, message, error: 'Bad Request' });
		expect(agency.authorizations).toEqual([]);
	});
});

describe('POST /oauth/token, authorization_code', () => {
	it("the code buys a company token pair in HighLevel's shape; the pair works, the one before stops", async () => {
		const before = agency.companyToken.access;
		const { status, body } = await redeem(await codeOf());

		expect(status).toBe(200);
		expect(body).toEqual({
			access_token: agency.companyToken.access,
			refresh_token: agency.companyToken.refresh,
			token_type: 'Bearer',
			expires_in: 86399,
			scope: SCOPE,
			userType: 'Company',
			companyId: agency.companyId,
			userId: 'sandbox-agency-admin',
		});
		expect(body.access_token).not.toBe(before);
		expect(agency.authorizations.map((authorization) => authorization.redeemed)).toEqual([true]);
		expect(await installedLocations(String(body.access_token))).toBe(200);
		expect(await installedLocations(before)).toBe(401);
		// The refresh grant keeps the consented scope and the same shape.
		const refreshed = await token({
			grant_type: 'refresh_token',
			refresh_token: String(body.refresh_token),
			client_id: agency.clientId,
			client_secret: agency.clientSecret,
		});
		expect(refreshed.status).toBe(200);
		expect(Object.keys(refreshed.body).sort()).toEqual(Object.keys(body).sort());
		expect(refreshed.body.scope).toBe(SCOPE);
	});

	it('every field answered is one apps/oauth.json declares, with the required userId', async () => {
		const spec = JSON.parse(readFileSync(path.join(__dirname, '../../specs/highlevel-api/apps/oauth.json'), 'utf8')) as {
			components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
		};
		const schema = spec.components.schemas.GetAccessCodeSuccessfulResponseDto;
		const grantTypes = (spec.components.schemas.GetAccessCodebodyDto.properties?.grant_type as { enum: string[] }).enum;
		expect(grantTypes).toContain('authorization_code');

		const { body } = await redeem(await codeOf());

		expect(Object.keys(body).filter((key) => !Object.keys(schema.properties ?? {}).includes(key))).toEqual([]);
		for (const key of schema.required ?? []) expect(body).toHaveProperty(key);
	});

	it('a code is good once: the second use is refused and issues nothing', async () => {
		const code = await codeOf();
		expect((await redeem(code)).status).toBe(200);
		const issued = { ...agency.companyToken };

		expect(await redeem(code)).toEqual({
			status: 400,
			body: { statusCode: 400, message: 'Invalid grant: authorization code is invalid', error: 'Bad Request' },
		});
		expect(agency.companyToken).toEqual(issued);
	});

	it.each([
		['an unknown code', { code: 'not-a-code' }, 400, 'Invalid grant: authorization code is invalid', 'Bad Request'],
		['no code', { code: '' }, 400, 'Invalid grant: authorization code is invalid', 'Bad Request'],
		[
			'another redirect_uri',
			{ redirect_uri: 'http://127.0.0.1:5678/elsewhere' },
			400,
			'Invalid grant: redirect_uri does not match the authorization request',
			'Bad Request',
		],
		['no redirect_uri', { redirect_uri: '' }, 400, 'Invalid grant: redirect_uri does not match the authorization request', 'Bad Request'],
		['a wrong client secret', { client_secret: 'guessed' }, 401, 'Invalid client: client_id or client_secret is invalid', 'Unauthorized'],
		[
			'another client_id',
			{ client_id: 'another-app-client' },
			401,
			'Invalid client: client_id or client_secret is invalid',
			'Unauthorized',
		],
		[
			'an unknown grant_type',
			{ grant_type: 'password' },
			400,
			'Unsupported grant_type "password" (the sandbox serves authorization_code and refresh_token)',
			'Bad Request',
		],
	])('%s: refused (%s), no token issued, the code not marked redeemed', async (_case, change, status, message, error) => {
		const before = { ...agency.companyToken };
		const code = await codeOf();

		const answer = await redeem(code, change as Record<string, string>);

		expect(answer).toEqual({ status, body: { statusCode: status, message, error } });
		expect(agency.companyToken).toEqual(before);
		expect(agency.authorizations.map((authorization) => authorization.redeemed)).toEqual([false]);
	});
});
