/**
 * HighLevel's OAuth endpoints for an agency (apps/oauth.json), as the agency sandbox serves them:
 * - POST /oauth/token: the refresh grant for the company token (the old access token stops working);
 * - POST /oauth/locationToken: the company token for a sub-account's token (Version 2021-07-28,
 *   form body companyId + locationId), only where the app is installed;
 * - GET /oauth/installedLocations: the sub-accounts of the company, filtered by isInstalled.
 * Errors have HighLevel's shape ({ statusCode, message, error }).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UNAUTHORIZED } from '../http';

export const OAUTH_VERSION = '2021-07-28';

/** What the routes need of the agency sandbox. */
export interface OAuthAuthority {
	companyId: string;
	appId: string;
	/** Whether `token` is the company's current access token. */
	isCompanyToken(token: string | undefined): boolean;
	/** The refresh grant: a new company token pair, or undefined when the refresh token is not the current one. */
	refresh(refreshToken: string, clientId: string, clientSecret: string): { access_token: string; refresh_token: string } | undefined;
	/** A new token of the location, or undefined when the app is not installed there. */
	issueLocationToken(locationId: string): { access_token: string; expires_in: number; scope: string } | undefined;
	locations(): Array<{ _id: string; name: string; address: string; isInstalled: boolean }>;
	/** Whether the location exists under this company at all. */
	hasLocation(locationId: string): boolean;
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
	void fail(reply, 400, request.headers.version ? `Version header is invalid: "${String(request.headers.version)}" (use ${OAUTH_VERSION})` : 'Version header was not found', 'Bad Request');
	return false;
}

export function registerOAuthRoutes(app: FastifyInstance, authority: OAuthAuthority): void {
	app.post('/oauth/token', async (request, reply) => {
		const body = form(request);
		if (body.get('grant_type') !== 'refresh_token') return fail(reply, 400, 'Only the refresh_token grant is served by the sandbox', 'Bad Request');
		const pair = authority.refresh(body.get('refresh_token') ?? '', body.get('client_id') ?? '', body.get('client_secret') ?? '');
		if (!pair) return fail(reply, 401, 'Invalid refresh token', 'Unauthorized');
		return { ...pair, token_type: 'Bearer', expires_in: 86399, userType: 'Company', companyId: authority.companyId, scope: 'oauth.readonly oauth.write' };
	});

	app.post('/oauth/locationToken', async (request, reply) => {
		if (!authority.isCompanyToken(bearer(request))) return reply.code(401).send(UNAUTHORIZED);
		if (!checkVersion(request, reply)) return reply;
		const body = form(request);
		const companyId = body.get('companyId') ?? '';
		const locationId = body.get('locationId') ?? '';
		if (!companyId || !locationId) return fail(reply, 422, 'companyId and locationId are required', 'Unprocessable Entity');
		if (companyId !== authority.companyId) return fail(reply, 403, 'The token does not have access to this company', 'Forbidden');
		if (!authority.hasLocation(locationId)) return fail(reply, 400, 'Location not found', 'Bad Request');
		const token = authority.issueLocationToken(locationId);
		if (!token) return fail(reply, 400, 'This app is not installed for the location', 'Bad Request');
		return { ...token, token_type: 'Bearer', locationId };
	});

	app.get('/oauth/installedLocations', async (request, reply) => {
		if (!authority.isCompanyToken(bearer(request))) return reply.code(401).send(UNAUTHORIZED);
		if (!checkVersion(request, reply)) return reply;
		const query = request.query as Record<string, string | undefined>;
		if (query.companyId !== authority.companyId) return fail(reply, 403, 'The token does not have access to this company', 'Forbidden');
		if (!query.appId) return fail(reply, 422, 'appId is required', 'Unprocessable Entity');
		if (query.appId !== authority.appId) return { locations: [], count: authority.locations().length, installToFutureLocations: false };
		const all = authority.locations();
		const wanted = query.isInstalled === undefined ? all : all.filter((location) => String(location.isInstalled) === query.isInstalled);
		const filtered = query.query ? wanted.filter((location) => location.name.toLowerCase().includes(String(query.query).toLowerCase())) : wanted;
		const skip = Math.max(0, Number(query.skip ?? 0) || 0);
		const limit = Math.max(1, Number(query.limit ?? 20) || 20);
		return { locations: filtered.slice(skip, skip + limit), count: all.length, installToFutureLocations: false };
	});
}
