/**
 * HighLevel's OAuth endpoints (apps/oauth.json), as the sandboxes serve them, for a sub-account
 * connection (the sandbox's `oauth` option) and an agency (the agency sandbox):
 * - GET /oauth/chooselocation (also at /v2/...): the authorization page, played after the user's
 *   consent: a redirect to redirect_uri with a one-time code (and the client's state);
 * - POST /oauth/token: the authorization_code grant (that code, once, by the client it was issued
 *   to, with the same redirect_uri: a new connection, the earlier tokens stop working) and the
 *   refresh grant under HighLevel's token rules (tokens.ts: single-use refresh tokens, "Invalid
 *   grant" and "Location is not active" refusals), both answering a token pair with the
 *   connection's fields (userType "Location" and locationId, or "Company" and companyId; userId);
 * - agency only: POST /oauth/locationToken: the company token for a sub-account's token (Version
 *   2021-07-28, form body companyId + locationId), only where the app is installed and active;
 *   GET /oauth/installedLocations: the sub-accounts of the company, filtered by isInstalled.
 * Errors have HighLevel's shape ({ statusCode, message, error }; the token refusals as documented).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { UNAUTHORIZED } from '../http';
import { LOCATION_NOT_ACTIVE, type RefreshAnswer, type TokenPair } from '../tokens';

export const OAUTH_VERSION = '2021-07-28';

/** One consent on the authorization page: what the client asked for, and whether its code was redeemed. */
export interface Authorization {
	clientId: string;
	redirectUri: string;
	scope: string;
	state?: string;
	redeemed: boolean;
}

/** What the routes need of a sandbox. */
export interface OAuthAuthority {
	clientId: string;
	clientSecret: string;
	/** The user who consents (the token answer's userId). */
	userId: string;
	/** When given, the only redirect URIs the app accepts (the Marketplace app's registered ones). */
	redirectUris?: string[];
	/** Every consent given, oldest first (the sandbox's record; codes are kept apart). */
	authorizations: Authorization[];
	/** The connection's fields in a token answer: userType and locationId or companyId. */
	subjectFields: Record<string, string>;
	/** The scope consented to before any consent. */
	defaultScope: string;
	/** A new token pair (the authorization_code grant); the previous pairs stop working. */
	grant(): TokenPair;
	/** The refresh grant under HighLevel's rules (tokens.ts). */
	refresh(refreshToken: string): RefreshAnswer;
	/** An agency's routes (location tokens, installed locations). */
	agency?: AgencyAuthority;
}

export interface AgencyAuthority {
	companyId: string;
	appId: string;
	/** Whether `token` is a working company access token. */
	isCompanyToken(token: string | undefined): boolean;
	/** A new token of the location, or undefined when the app is not installed there. */
	issueLocationToken(locationId: string): { access_token: string; expires_in: number; scope: string } | undefined;
	locations(): Array<{ _id: string; name: string; address: string; isInstalled: boolean }>;
	/** Whether the location exists under this company at all. */
	hasLocation(locationId: string): boolean;
	/** False while the sub-account is paused or unpaid. */
	isActive(locationId: string): boolean;
}

function bearer(request: FastifyRequest): string | undefined {
	const match = /^Bearer\s+(.+)$/i.exec(String(request.headers.authorization ?? '').trim());
	return match ? match[1].trim() : undefined;
}

function form(request: FastifyRequest): URLSearchParams {
	const body = request.body;
	return new URLSearchParams(Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '');
}

const fail = (reply: FastifyReply, statusCode: number, message: string, error: string) =>
	reply.code(statusCode).send({ statusCode, message, error });

function checkVersion(request: FastifyRequest, reply: FastifyReply): boolean {
	if (request.headers.version === OAUTH_VERSION) return true;
	void fail(
		reply,
		400,
		request.headers.version
			? `Version header is invalid: "${String(request.headers.version)}" (use ${OAUTH_VERSION})`
			: 'Version header was not found',
		'Bad Request',
	);
	return false;
}

const isHttpUrl = (value: string) => {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
};

export function registerOAuthRoutes(app: FastifyInstance, authority: OAuthAuthority): void {
	/** Codes not yet redeemed; a code is gone once used (a second use is refused). */
	const codes = new Map<string, Authorization>();
	/** The token's scope: what the user consented to (until then, the default). */
	let scope = authority.defaultScope;
	const tokenAnswer = (pair: TokenPair) => ({
		access_token: pair.access_token,
		refresh_token: pair.refresh_token,
		token_type: 'Bearer',
		expires_in: pair.expires_in,
		scope,
		...authority.subjectFields,
		userId: authority.userId,
	});
	// Not the API's own routes: no bearer token, no Version header, no rate limit.
	const open = { config: { kind: 'public' as const } };

	// The authorization page, after the agency admin chose the agency and approved the app. A page
	// that cannot send the admin back (unknown client, bad redirect_uri) says so and redirects nowhere.
	const chooseLocation = async (request: FastifyRequest, reply: FastifyReply) => {
		const query = request.query as Record<string, string | undefined>;
		if (query.response_type !== 'code') return fail(reply, 400, 'response_type must be "code"', 'Bad Request');
		if (query.client_id !== authority.clientId) return fail(reply, 400, 'Invalid client_id: no such app', 'Bad Request');
		const redirectUri = query.redirect_uri ?? '';
		if (!isHttpUrl(redirectUri)) return fail(reply, 400, 'redirect_uri must be an http(s) URL', 'Bad Request');
		if (authority.redirectUris && !authority.redirectUris.includes(redirectUri))
			return fail(reply, 400, "redirect_uri is not one of the app's redirect URLs", 'Bad Request');
		const authorization: Authorization = {
			clientId: query.client_id,
			redirectUri,
			scope: query.scope ?? '',
			state: query.state,
			redeemed: false,
		};
		authority.authorizations.push(authorization);
		const code = randomBytes(20).toString('hex');
		codes.set(code, authorization);
		const target = new URL(redirectUri);
		target.searchParams.set('code', code);
		if (query.state !== undefined) target.searchParams.set('state', query.state);
		return reply.redirect(target.toString(), 302);
	};
	app.get('/oauth/chooselocation', open, chooseLocation);
	app.get('/v2/oauth/chooselocation', open, chooseLocation);

	app.post('/oauth/token', open, async (request, reply) => {
		const body = form(request);
		const grantType = body.get('grant_type');
		if (grantType !== 'refresh_token' && grantType !== 'authorization_code') {
			return fail(
				reply,
				400,
				`Unsupported grant_type "${grantType ?? ''}" (the sandbox serves authorization_code and refresh_token)`,
				'Bad Request',
			);
		}
		if (body.get('client_id') !== authority.clientId || body.get('client_secret') !== authority.clientSecret) {
			return fail(reply, 401, 'Invalid client: client_id or client_secret is invalid', 'Unauthorized');
		}
		if (grantType === 'refresh_token') {
			const answer = authority.refresh(body.get('refresh_token') ?? '');
			// HighLevel's documented refusals: { statusCode, message } only.
			if ('status' in answer) return reply.code(answer.status).send(answer.body);
			return tokenAnswer(answer.pair);
		}
		const authorization = codes.get(body.get('code') ?? '');
		if (!authorization || authorization.clientId !== body.get('client_id'))
			return fail(reply, 400, 'Invalid grant: authorization code is invalid', 'Bad Request');
		if (body.get('redirect_uri') !== authorization.redirectUri)
			return fail(reply, 400, 'Invalid grant: redirect_uri does not match the authorization request', 'Bad Request');
		codes.delete(body.get('code') ?? '');
		authorization.redeemed = true;
		scope = authorization.scope || scope;
		return tokenAnswer(authority.grant());
	});

	if (authority.agency) registerAgencyRoutes(app, authority.agency, open);
}

function registerAgencyRoutes(app: FastifyInstance, authority: AgencyAuthority, open: { config: { kind: 'public' } }): void {
	app.post('/oauth/locationToken', open, async (request, reply) => {
		if (!authority.isCompanyToken(bearer(request))) return reply.code(401).send(UNAUTHORIZED);
		if (!checkVersion(request, reply)) return reply;
		const body = form(request);
		const companyId = body.get('companyId') ?? '';
		const locationId = body.get('locationId') ?? '';
		if (!companyId || !locationId) return fail(reply, 422, 'companyId and locationId are required', 'Unprocessable Entity');
		if (companyId !== authority.companyId) return fail(reply, 403, 'The token does not have access to this company', 'Forbidden');
		if (!authority.hasLocation(locationId)) return fail(reply, 400, 'Location not found', 'Bad Request');
		if (!authority.isActive(locationId)) return reply.code(400).send(LOCATION_NOT_ACTIVE);
		const token = authority.issueLocationToken(locationId);
		if (!token) return fail(reply, 400, 'This app is not installed for the location', 'Bad Request');
		return { ...token, token_type: 'Bearer', locationId };
	});

	app.get('/oauth/installedLocations', open, async (request, reply) => {
		if (!authority.isCompanyToken(bearer(request))) return reply.code(401).send(UNAUTHORIZED);
		if (!checkVersion(request, reply)) return reply;
		const query = request.query as Record<string, string | undefined>;
		if (query.companyId !== authority.companyId) return fail(reply, 403, 'The token does not have access to this company', 'Forbidden');
		if (!query.appId) return fail(reply, 422, 'appId is required', 'Unprocessable Entity');
		if (query.appId !== authority.appId) return { locations: [], count: authority.locations().length, installToFutureLocations: false };
		const all = authority.locations();
		const wanted = query.isInstalled === undefined ? all : all.filter((location) => String(location.isInstalled) === query.isInstalled);
		const filtered = query.query
			? wanted.filter((location) => location.name.toLowerCase().includes(String(query.query).toLowerCase()))
			: wanted;
		const skip = Math.max(0, Number(query.skip ?? 0) || 0);
		const limit = Math.max(1, Number(query.limit ?? 20) || 20);
		return { locations: filtered.slice(skip, skip + limit), count: all.length, installToFutureLocations: false };
	});
}
