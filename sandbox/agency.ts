/**
 * An agency (company) in front of several sub-account sandboxes (dev tool, never shipped):
 * the authorization page and the code grant that connect it, the company token under HighLevel's
 * token rules (tokens.ts: it expires, its refresh token is single-use, a paused sub-account gets no
 * token), location tokens that expire (on the sandbox's clock, so tests can compress time), the
 * installed-locations list, and one location where the app is not installed.
 * Every sub-account is a full sandbox of its own (its own data and its own rate limit); a request
 * with a location token is passed to that location's sandbox, so the Conversations API behaves
 * exactly as for a sub-account token.
 *
 *   const agency = await createAgencySandbox({ locations: 5 });
 *   const baseUrl = await agency.listen();
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { UNAUTHORIZED } from './http';
import { createSandbox, type Sandbox, type SandboxOptions } from './index';
import { registerOAuthRoutes, type Authorization } from './routes/oauth';
import { TokenRules } from './tokens';

export interface AgencySandboxOptions {
	/** Installed sub-accounts; default 5. */
	locations?: number;
	/** Plus this many where the app is not installed; default 1. */
	notInstalled?: number;
	companyId?: string;
	appId?: string;
	clientId?: string;
	clientSecret?: string;
	/** The Marketplace app's redirect URLs; when given, the authorization page refuses any other. */
	redirectUris?: string[];
	/** Lifetime of a location token, seconds (expires_in); default 86399. */
	locationTokenSeconds?: number;
	/** Lifetime of a company access token, seconds (expires_in); default 86399 (settable later: `tokens.accessTokenSeconds`). */
	companyTokenSeconds?: number;
	/** Conversations seeded per location; default 20. */
	conversations?: number;
	/** Each location's rate limit (default HighLevel's 100 per 10 s); false turns it off. */
	rateLimit?: SandboxOptions['rateLimit'];
	now?: () => number;
	seed?: number;
}

export interface AgencySandbox {
	app: FastifyInstance;
	companyId: string;
	appId: string;
	clientId: string;
	clientSecret: string;
	/** The company's latest access and refresh tokens (the code and refresh grants replace both). */
	companyToken: { access: string; refresh: string };
	/** HighLevel's token rules for the company token (lifetime, single-use refresh, paused sub-accounts) and their counters. */
	tokens: TokenRules;
	/** Consents given on the authorization page, oldest first, each with whether its code was redeemed. */
	authorizations: Authorization[];
	/** The installed sub-accounts, each a sandbox of its own (its own data and rate limit). */
	locations: Sandbox[];
	/** Sub-accounts where the app is not installed (no token is issued for them). */
	notInstalledIds: string[];
	/** Location tokens issued, per location. */
	exchanges: Map<string, number>;
	/** Conversations API requests answered, per location. */
	requests: Map<string, number>;
	/** Makes the company's access token stop working (as after its day of life). */
	expireCompanyToken(): void;
	/** Makes every location token issued so far stop working. */
	revokeLocationTokens(): void;
	listen(port?: number, host?: string): Promise<string>;
	close(): Promise<void>;
}

const token = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;

export async function createAgencySandbox(options: AgencySandboxOptions = {}): Promise<AgencySandbox> {
	const now = options.now ?? (() => Date.now());
	const companyId = options.companyId ?? 'sandbox-company';
	const appId = options.appId ?? '6578278e879ad2646715ba9c';
	const clientId = options.clientId ?? `${appId}-sandbox`;
	const clientSecret = options.clientSecret ?? 'sandbox-client-secret';
	const lifetimeSeconds = options.locationTokenSeconds ?? 86399;
	const count = Math.max(1, options.locations ?? 5);
	const locations: Sandbox[] = [];
	for (let index = 1; index <= count; index++) {
		locations.push(
			await createSandbox({
				locationId: `sandbox-location-${index}`,
				token: token(`internal-${index}`),
				seed: (options.seed ?? 1) * 100 + index,
				conversations: options.conversations ?? 20,
				rateLimit: options.rateLimit,
				now,
			}),
		);
	}
	// Each sub-account listens on loopback; the agency front passes requests on over HTTP.
	const addresses = new Map<Sandbox, string>();
	for (const location of locations) addresses.set(location, await location.listen(0, '127.0.0.1'));
	const notInstalledIds = Array.from(
		{ length: Math.max(0, options.notInstalled ?? 1) },
		(_, index) => `sandbox-location-noapp-${index + 1}`,
	);
	const names = new Map(locations.map((location, index) => [location.locationId, `Sub-account ${index + 1}`]));
	const tokens = new TokenRules({ accessTokenSeconds: options.companyTokenSeconds, now, prefix: 'company' });
	const subject = { userType: 'Company' as const, companyId };
	// Connected before the sandbox starts (demo, tests): not counted as a grant.
	const first = tokens.grant(subject);
	tokens.stats.granted = 0;
	const companyToken = { access: first.access_token, refresh: first.refresh_token };
	const authorizations: Authorization[] = [];
	const issued = new Map<string, { location: Sandbox; expiresAt: number }>();
	const exchanges = new Map<string, number>();
	const requests = new Map<string, number>();

	const app = Fastify({ logger: false, bodyLimit: 20 * 1024 * 1024, forceCloseConnections: true });
	// Bodies stay bytes: the OAuth routes read forms, everything else is passed on unchanged.
	app.removeAllContentTypeParsers();
	app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

	registerOAuthRoutes(app, {
		clientId,
		clientSecret,
		userId: 'sandbox-agency-admin',
		redirectUris: options.redirectUris,
		authorizations,
		subjectFields: { userType: 'Company', companyId },
		defaultScope: 'oauth.readonly oauth.write',
		grant() {
			const pair = tokens.grant(subject);
			Object.assign(companyToken, { access: pair.access_token, refresh: pair.refresh_token });
			return pair;
		},
		refresh(refreshToken) {
			const answer = tokens.refresh(refreshToken);
			if ('pair' in answer) Object.assign(companyToken, { access: answer.pair.access_token, refresh: answer.pair.refresh_token });
			return answer;
		},
		agency: {
			companyId,
			appId,
			isCompanyToken: (value) => tokens.check(value)?.userType === 'Company',
			isActive: (locationId) => tokens.isActive(locationId),
			issueLocationToken(locationId) {
				const location = locations.find((candidate) => candidate.locationId === locationId);
				if (!location) return undefined;
				const access = token(`location-${locations.indexOf(location) + 1}`);
				issued.set(access, { location, expiresAt: now() + lifetimeSeconds * 1000 });
				exchanges.set(locationId, (exchanges.get(locationId) ?? 0) + 1);
				return {
					access_token: access,
					expires_in: lifetimeSeconds,
					scope: 'conversations.readonly conversations.write conversations/message.readonly conversations/message.write',
				};
			},
			locations: () => [
				...locations.map((location) => ({
					_id: location.locationId,
					name: names.get(location.locationId) ?? '',
					address: '',
					isInstalled: true,
				})),
				...notInstalledIds.map((id, index) => ({ _id: id, name: `Not installed ${index + 1}`, address: '', isInstalled: false })),
			],
			hasLocation: (locationId) => names.has(locationId) || notInstalledIds.includes(locationId),
		},
	});

	// Everything else: a location token's request, answered by that location's own sandbox.
	app.setNotFoundHandler(async (request, reply) => {
		const match = /^Bearer\s+(.+)$/i.exec(String(request.headers.authorization ?? '').trim());
		const grant = match ? issued.get(match[1].trim()) : undefined;
		// An expired or unknown token, or the company token on a sub-account API: HighLevel's 401.
		if (!grant || now() >= grant.expiresAt) return reply.code(401).send(UNAUTHORIZED);
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(request.headers)) {
			if (value === undefined || ['host', 'content-length', 'connection', 'accept-encoding'].includes(name)) continue;
			headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
		}
		headers.authorization = `Bearer ${grant.location.token}`;
		requests.set(grant.location.locationId, (requests.get(grant.location.locationId) ?? 0) + 1);
		const answer = await fetch(`${addresses.get(grant.location)}${request.url}`, {
			method: request.method,
			headers,
			body: Buffer.isBuffer(request.body) && request.body.length > 0 ? new Uint8Array(request.body) : undefined,
		});
		const passed: Record<string, string> = {};
		answer.headers.forEach((value, name) => {
			if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding', 'keep-alive'].includes(name)) passed[name] = value;
		});
		return reply
			.code(answer.status)
			.headers(passed)
			.send(Buffer.from(await answer.arrayBuffer()));
	});
	await app.ready();

	let closing: Promise<void> | undefined;
	return {
		app,
		companyId,
		appId,
		clientId,
		clientSecret,
		companyToken,
		tokens,
		authorizations,
		locations,
		notInstalledIds,
		exchanges,
		requests,
		expireCompanyToken() {
			// The token the client holds stops working: only the refresh grant gives a working one.
			tokens.expire(companyToken.access);
		},
		revokeLocationTokens() {
			issued.clear();
		},
		async listen(port = 0, host = '127.0.0.1') {
			return (await app.listen({ port, host })).replace(/\/+$/, '');
		},
		close() {
			closing ??= (async () => {
				await app.close();
				await Promise.all(locations.map(async (location) => await location.close()));
			})();
			return closing;
		},
	};
}
