/**
 * A local, stateful sandbox of HighLevel's Conversations API (dev tool, never shipped).
 *
 *   const sandbox = await createSandbox({ seed: 1 });
 *   await sandbox.app.inject({ method: 'GET', url: '/conversations/search?locationId=sandbox-location',
 *     headers: { authorization: `Bearer ${sandbox.token}`, version: '2021-04-15' } });
 *   const baseUrl = await sandbox.listen(4010); // the credential's Base URL
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type SandboxExchange } from './app';
import { FaultInjector, type FaultOptions } from './faults';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitOptions } from './rateLimit';
import { Random } from './random';
import { seedState } from './seed';
import { Simulator, type SimulateOptions, type SimulateResult, type SimulatedEvent } from './simulate';
import { SandboxState } from './state';
import { registerWebhookRoutes, SandboxWebhooks, type WebhookOptions } from './webhooks';
import { registerOAuthRoutes, type Authorization } from './routes/oauth';
import { TokenRules, type TokenPair } from './tokens';

export { API_VERSION } from './app';
export { CHANNELS, MESSAGE_TYPES } from './channels';
export { BUSINESS_EMAIL, BUSINESS_NAME } from './content';
export { DEFAULT_RATE_LIMIT, RateLimiter } from './rateLimit';
export { FaultInjector } from './faults';
export type { FaultOptions } from './faults';
export { DEMO } from './seed';
export { SandboxState, TEAM_MATES, USERS } from './state';
export { SCOPE_DENIED } from './scopes';
export type { RouteKind, SandboxExchange } from './app';
export type { Channel, ConversationType, MessageType } from './channels';
export type { Topic } from './content';
export type { TranscriptSentence } from './media';
export type { RateLimitOptions, RateLimitResult } from './rateLimit';
export type { SimulateOptions, SimulateResult, SimulatedEvent } from './simulate';
export { SandboxWebhooks, MAX_RETRIES, FIRST_RETRY_MS } from './webhooks';
export { INVALID_GRANT, LOCATION_NOT_ACTIVE, TokenRules } from './tokens';
export type { TokenPair, TokenStats, TokenSubject } from './tokens';
export type { Delivery, DeliveryAttempt, WebhookFaults, WebhookOptions } from './webhooks';
export type {
	Contact,
	Conversation,
	CustomSubtype,
	EmailRecord,
	Message,
	MessageDirection,
	MessageMeta,
	MessageSource,
	NewContact,
	NewConversation,
	NewMessage,
	SandboxUser,
	StoredFile,
	SubscriptionStatus,
} from './state';

export const DEFAULT_TOKEN = 'sandbox-token';
export const DEFAULT_LOCATION_ID = 'sandbox-location';

export interface SandboxOptions {
	/** Bearer token accepted; default 'sandbox-token'. It has every scope. */
	token?: string;
	/**
	 * Further bearer tokens, each with only the scopes listed (e.g. `{ 'no-users': ['contacts.write'] }`):
	 * a route that needs another scope answers them 403 (see scopes.ts).
	 */
	tokens?: Record<string, readonly string[]>;
	/** The one sub-account; default 'sandbox-location'. */
	locationId?: string;
	/** Demo data is reproducible from it; default 1. */
	seed?: number;
	/** Seeded conversations; default 300. */
	conversations?: number;
	/** Default {max:100, intervalMs:10000, daily:200000}; false turns rate limiting (and its headers) off. */
	rateLimit?: RateLimitOptions | false;
	/** Added delay per response; default 0. */
	latencyMs?: number;
	/** Clock (ms); default Date.now. Tests pass a fake clock. */
	now?: () => number;
	/**
	 * Default true: every event gets its own millisecond (bumped by 1 ms when taken). false: events
	 * at the same clock time share it (equal `dateAdded` and search sort values, as on the live API).
	 */
	uniqueTimestamps?: boolean;
	/** Injected 500/503 answers for GET requests of the API at this rate (seeded); default none. */
	faults?: FaultOptions;
	/** Called for every simulated event (the CLI prints them). */
	onSimulatedEvent?: (event: SimulatedEvent) => void;
	/** Called with every request and its answer (tests validate them against the spec). */
	onExchange?: (exchange: SandboxExchange) => void;
	/** Webhook delivery: retry time scale and injected faults (see webhooks.ts). */
	webhooks?: WebhookOptions;
	/**
	 * A Marketplace app's OAuth2 connection to this sub-account under HighLevel's token rules
	 * (tokens.ts): the authorization page and POST /oauth/token; its access tokens are accepted
	 * (every scope) until they expire. The sandbox's own `token` keeps working beside them.
	 */
	oauth?: SandboxOAuthOptions;
}

export interface SandboxOAuthOptions {
	clientId?: string;
	clientSecret?: string;
	/** Access token lifetime, seconds; default 86399 (settable later: `oauth.tokens.accessTokenSeconds`). */
	accessTokenSeconds?: number;
	/** When given, the only redirect URIs the app accepts. */
	redirectUris?: string[];
}

export interface SandboxOAuth {
	clientId: string;
	clientSecret: string;
	/** The token rules and their counters (refreshes accepted and refused, expired tokens met). */
	tokens: TokenRules;
	/** Consents given on the authorization page. */
	authorizations: Authorization[];
	/** A connection made without the authorization page (tests, demo): a new token pair. */
	connect(): TokenPair;
	/** The sub-account is paused or unpaid: refreshes answer 400 "Location is not active" until resumed. */
	pause(): void;
	resume(): void;
}

export interface Sandbox {
	/** Usable with app.inject() without listening. */
	app: FastifyInstance;
	token: string;
	locationId: string;
	/** The in-memory data, with helpers such as conversation(id), messagesOf(conversationId), contactByEmail(email). */
	state: SandboxState;
	/** The rate limiter (undefined when rate limiting is off). */
	rateLimiter?: RateLimiter;
	/** Injected server errors: `faults.failNext(n, status)`, `faults.setRate(r)`, `faults.injected`. */
	faults: FaultInjector;
	/** Default port 0 (random), host 127.0.0.1; returns the base URL, e.g. http://127.0.0.1:4010. */
	listen(port?: number, host?: string): Promise<string>;
	close(): Promise<void>;
	/**
	 * New traffic: inbound messages into existing conversations and new conversations with a first
	 * inbound message, spread over time (intervalMs between events, 0 = all at once). Resolves when
	 * all were added; returns what was added.
	 */
	simulate(options: SimulateOptions): Promise<SimulateResult>;
	/** HighLevel's webhooks: signed events to a registered URL and to custom providers' Delivery URLs. */
	webhooks: SandboxWebhooks;
	/** The OAuth2 connection, when the `oauth` option was given. */
	oauth?: SandboxOAuth;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const token = options.token ?? DEFAULT_TOKEN;
	const locationId = options.locationId ?? DEFAULT_LOCATION_ID;
	const seed = options.seed ?? 1;
	const now = options.now ?? (() => Date.now());
	const state = new SandboxState({ locationId, now, seed, uniqueTimestamps: options.uniqueTimestamps });
	seedState(state, { seed, conversations: Math.max(0, Math.floor(options.conversations ?? 300)) });

	const rateLimiter =
		options.rateLimit === false ? undefined : new RateLimiter({ ...DEFAULT_RATE_LIMIT, ...(options.rateLimit ?? {}) }, now);
	const faults = new FaultInjector(options.faults);
	const simulator = new Simulator(state, options.onSimulatedEvent);
	const simulate = (simulateOptions: SimulateOptions) => simulator.run(simulateOptions);
	const oauthTokens = options.oauth
		? new TokenRules({ accessTokenSeconds: options.oauth.accessTokenSeconds, now, prefix: 'location' })
		: undefined;
	const app = await buildApp({
		state,
		token,
		oauth: oauthTokens,
		tokens: options.tokens,
		limiter: rateLimiter,
		faults,
		latencyMs: Math.max(0, options.latencyMs ?? 0),
		simulate,
		onExchange: options.onExchange,
	});
	// Events from here on: the seeded history is not delivered.
	const webhooks = new SandboxWebhooks(state, new Random(seed, 11), seed, options.webhooks);
	registerWebhookRoutes(app, webhooks);
	const oauth = options.oauth && oauthTokens ? sandboxOAuth(app, options.oauth, oauthTokens, locationId) : undefined;
	await app.ready();

	let closing: Promise<void> | undefined;
	return {
		app,
		token,
		locationId,
		state,
		rateLimiter,
		faults,
		async listen(port = 0, host = '127.0.0.1') {
			const address = await app.listen({ port, host });
			return address.replace(/\/+$/, '');
		},
		close() {
			closing ??= (async () => {
				simulator.close();
				webhooks.close();
				await app.close();
			})();
			return closing;
		},
		simulate,
		webhooks,
		oauth,
	};
}

function sandboxOAuth(app: FastifyInstance, options: SandboxOAuthOptions, tokens: TokenRules, locationId: string): SandboxOAuth {
	const subject = { userType: 'Location' as const, locationId };
	const authorizations: Authorization[] = [];
	const oauth: SandboxOAuth = {
		clientId: options.clientId ?? 'sandbox-app-client',
		clientSecret: options.clientSecret ?? 'sandbox-app-secret',
		tokens,
		authorizations,
		connect: () => tokens.grant(subject),
		pause: () => tokens.pause(locationId),
		resume: () => tokens.resume(locationId),
	};
	registerOAuthRoutes(app, {
		clientId: oauth.clientId,
		clientSecret: oauth.clientSecret,
		userId: 'sandbox-user',
		redirectUris: options.redirectUris,
		authorizations,
		subjectFields: { userType: 'Location', locationId },
		defaultScope: 'conversations.readonly conversations.write conversations/message.readonly conversations/message.write',
		grant: oauth.connect,
		refresh: (refreshToken) => tokens.refresh(refreshToken),
	});
	return oauth;
}
