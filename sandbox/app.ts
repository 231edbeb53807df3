/* eslint-disable @n8n/community-nodes/no-restricted-globals -- sandbox: a dev tool, never shipped (response latency uses timers) */
/** The Fastify app: rate limits, auth, Version header, location check, errors, then the routes. */
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { FaultInjector } from './faults';
import { ApiError, forbidden, paramsOf, TOO_MANY_REQUESTS, UNAUTHORIZED } from './http';
import type { RateLimiter } from './rateLimit';
import { registerContactAssignRoutes } from './routes/contactAssign';
import { registerUserRoutes } from './routes/users';
import { SCOPE_DENIED, scopeOf, tokenScopes } from './scopes';
import { registerCallRoutes } from './routes/calls';
import { registerContactRoutes } from './routes/contacts';
import { registerContactSearchRoutes } from './routes/contactSearch';
import { registerConversationRoutes } from './routes/conversations';
import { registerFileRoutes, MAX_UPLOAD_BYTES } from './routes/files';
import { registerMessageRoutes } from './routes/messages';
import { registerPreferenceRoutes } from './routes/preferences';
import { registerSandboxRoutes } from './routes/sandbox';
import type { SimulateOptions, SimulateResult } from './simulate';
import type { SandboxState } from './state';
import type { TokenRules } from './tokens';

/**
 * What a route asks of a request:
 * - v2: token + `Version: 2021-04-15` (the Conversations API)
 * - v3: token + `Version: v3` (update email message status)
 * - contacts: token + `Version: 2021-07-28` (or 2021-04-15), the Contacts stand-in
 * - v20210728: token + `Version: 2021-07-28` only (the Users API, assigning a contact)
 * - sandbox: token only (sandbox extras such as /sandbox/simulate)
 * - public: nothing, no rate limit (health, upload URLs, file URLs)
 */
export type RouteKind = 'v2' | 'v3' | 'contacts' | 'v20210728' | 'sandbox' | 'public';

declare module 'fastify' {
	interface FastifyContextConfig {
		/** What the route asks of a request (see RouteKind). */
		kind?: RouteKind;
	}
}

export const API_VERSION = '2021-04-15';

const VERSIONS: Record<string, readonly string[]> = {
	v2: [API_VERSION],
	v3: ['v3'],
	contacts: ['2021-07-28', API_VERSION],
	v20210728: ['2021-07-28'],
};

/** One request and the sandbox's answer, as seen on the wire (for spec validation in tests). */
export interface SandboxExchange {
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string | string[] | undefined>;
	/** The parsed JSON body; undefined for no body and for multipart (read by the route itself). */
	body?: unknown;
	status: number;
	responseHeaders: Record<string, unknown>;
	/** Parsed JSON for JSON answers, else the raw payload. */
	responseBody: unknown;
}

export interface AppContext {
	onExchange?: (exchange: SandboxExchange) => void;
	state: SandboxState;
	token: string;
	/** Further tokens with only these scopes (see scopes.ts); the main token has every scope. */
	tokens?: Record<string, readonly string[]>;
	limiter?: RateLimiter;
	/** OAuth2 access tokens of the sub-account (tokens.ts): accepted with every scope until they expire. */
	oauth?: TokenRules;
	/** Injected 5xx answers for GET requests of the API (see faults.ts). */
	faults?: FaultInjector;
	latencyMs: number;
	simulate(options: SimulateOptions): Promise<SimulateResult>;
}

export function kindOf(request: FastifyRequest): RouteKind | undefined {
	return request.routeOptions.config?.kind;
}

function bearerToken(request: FastifyRequest): string | undefined {
	const header = request.headers.authorization;
	const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
	return match ? match[1].trim() : undefined;
}

function versionProblem(kind: RouteKind, version: string | undefined): string | undefined {
	const accepted = VERSIONS[kind];
	if (!accepted) return undefined;
	if (!version) return 'Version header was not found';
	if (accepted.includes(version)) return undefined;
	if (kind === 'v3') return `This endpoint needs the header Version: v3 (got "${version}")`;
	return `Version header is invalid: "${version}" (use ${accepted.join(' or ')})`;
}

function locations(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	return Array.isArray(value) ? value.map(String) : [String(value)];
}

export async function buildApp(context: AppContext): Promise<FastifyInstance> {
	const { state, limiter } = context;
	const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });

	// JSON bodies: an empty one is no body (clients send DELETE with a JSON content type).
	app.removeContentTypeParser('application/json');
	app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
		const text = String(body);
		if (!text.trim()) return done(null, undefined);
		try {
			done(null, JSON.parse(text));
		} catch (error) {
			done(new ApiError(400, { statusCode: 400, message: `Invalid JSON body: ${(error as Error).message}` }), undefined);
		}
	});
	// Anything else arrives as bytes (the upload URL takes a file of any type).
	app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

	if (context.onExchange) {
		const onExchange = context.onExchange;
		app.addHook('onSend', async (request, reply, payload) => {
			const [path] = request.url.split('?');
			const contentType = String(reply.getHeader('content-type') ?? '');
			let responseBody: unknown = payload;
			if (typeof payload === 'string' && contentType.startsWith('application/json')) {
				try {
					responseBody = JSON.parse(payload);
				} catch {
					responseBody = payload;
				}
			}
			onExchange({
				method: request.method,
				path,
				query: { ...(request.query as Record<string, string | string[]>) },
				headers: { ...request.headers },
				body: request.isMultipart() || Buffer.isBuffer(request.body) ? undefined : request.body,
				status: reply.statusCode,
				responseHeaders: { ...reply.getHeaders() },
				responseBody,
			});
			return payload;
		});
	}
	await app.register(multipart, {
		limits: { fileSize: MAX_UPLOAD_BYTES, files: 10, fields: 50, fieldSize: 1024 * 1024 },
		throwFileSizeLimit: true,
	});

	app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
		const kind = kindOf(request);
		if (kind === 'public') return;
		state.deliverDue();
		const token = bearerToken(request);
		const connection = context.oauth?.check(token);
		if (limiter) {
			// The API counts per app and sub-account: every token of one OAuth2 connection shares a budget.
			const result = limiter.hit(connection ? `oauth:${state.locationId}` : (token ?? 'anonymous'));
			reply.headers(result.headers);
			if (!result.allowed) {
				reply.header('retry-after', String(result.retryAfter ?? 1));
				return reply.code(429).send(TOO_MANY_REQUESTS);
			}
		}
		const scopes =
			connection?.userType === 'Location' && connection.locationId === state.locationId
				? 'all'
				: tokenScopes(token, context.token, context.tokens);
		if (!scopes) return reply.code(401).send(UNAUTHORIZED);
		if (kind) {
			const version = request.headers.version;
			const problem = versionProblem(kind, Array.isArray(version) ? version[0] : version);
			if (problem) return reply.code(400).send({ statusCode: 400, message: problem });
		}
		const scope = scopeOf(request);
		if (scope && scopes !== 'all' && !scopes.includes(scope)) return reply.code(403).send(SCOPE_DENIED);
		if (context.faults && request.method === 'GET' && kind !== undefined && kind !== 'sandbox') {
			const status = context.faults.draw();
			if (status !== undefined) return reply.code(status).send(FaultInjector.body(status));
		}
	});

	// One sub-account: any other location in the path, query or body is refused.
	app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
		if (kindOf(request) === 'public') return;
		const body = request.body as Record<string, unknown> | undefined;
		const candidates = [
			...locations(paramsOf(request).locationId),
			...locations((request.query as Record<string, unknown> | undefined)?.locationId),
			...(body && typeof body === 'object' && !Buffer.isBuffer(body) ? locations(body.locationId) : []),
		];
		if (candidates.some((locationId) => locationId !== state.locationId)) {
			const error = forbidden();
			return reply.code(error.statusCode).send(error.body);
		}
	});

	if (context.latencyMs > 0) {
		app.addHook('onSend', async (_request, _reply, payload) => {
			await new Promise((resolve) => setTimeout(resolve, context.latencyMs));
			return payload;
		});
	}

	app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
		if (error instanceof ApiError) return reply.code(error.statusCode).send(error.body);
		if (error.code === 'FST_REQ_FILE_TOO_LARGE' || error.code === 'FST_FILES_LIMIT') {
			const message = error.code === 'FST_FILES_LIMIT' ? 'Too many files' : 'Failed to upload the files: a file is too large';
			return reply.code(413).send({ status: 413, statusCode: 413, message });
		}
		if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
			return reply.code(413).send({ statusCode: 413, message: 'Payload Too Large' });
		}
		const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
		if (statusCode >= 500) request.log.error(error);
		return reply.code(statusCode).send({ statusCode, message: error.message });
	});

	app.setNotFoundHandler((request, reply) => {
		const path = request.url.split('?')[0];
		return reply.code(404).send({ statusCode: 404, message: `Cannot ${request.method} ${path}`, error: 'Not Found' });
	});

	registerConversationRoutes(app, context);
	registerMessageRoutes(app, context);
	registerCallRoutes(app, context);
	registerFileRoutes(app, context);
	registerPreferenceRoutes(app, context);
	registerContactRoutes(app, context);
	registerContactSearchRoutes(app, context);
	registerContactAssignRoutes(app, context);
	registerUserRoutes(app, context);
	registerSandboxRoutes(app, context);
	return app;
}
