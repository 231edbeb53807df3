/**
 * The sandbox's scope model: the main token holds every scope; further tokens (SandboxOptions
 * `tokens`) hold only the scopes listed for them, as an OAuth2 app or a Private Integration
 * holds those it was given. A route that names a scope (the Contacts and Users routes) answers
 * 403 to a token without it; the Conversations routes name none, so every known token may use them.
 */
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
	interface FastifyContextConfig {
		/** The scope a request of this route needs (HighLevel's scope list). */
		scope?: string;
	}
}

/** HighLevel's answer to a token without the route's scope. */
export const SCOPE_DENIED = { statusCode: 403, message: 'The token is not authorized for this scope.' };

/** The scope the request's route needs, if any. */
export function scopeOf(request: FastifyRequest): string | undefined {
	return request.routeOptions.config?.scope;
}

/**
 * Whether a token is known, and what it may do: undefined for an unknown token, 'all' for the
 * main one, else its scopes.
 */
export function tokenScopes(
	token: string | undefined,
	main: string,
	tokens: Record<string, readonly string[]> = {},
): 'all' | readonly string[] | undefined {
	if (token === undefined) return undefined;
	if (token === main) return 'all';
	return Object.prototype.hasOwnProperty.call(tokens, token) ? tokens[token] : undefined;
}
