/**
 * HighLevel's OAuth token rules, as the sandboxes play them (dev tool, never shipped):
 *
 * - an access token lives `accessTokenSeconds` (HighLevel: a day; tests and the load e2e: seconds),
 *   after which the API answers 401; tokens issued earlier stay valid until they expire (JWTs);
 * - a refresh token is **single-use**: the refresh grant answers a new pair, and the used refresh
 *   token (or an unknown one) answers HighLevel's documented
 *   `400 {"statusCode":400,"message":"Invalid grant: refresh token is invalid"}`;
 * - a sub-account can be paused (unpaid): a refresh of its token answers
 *   `400 {"statusCode":400,"message":"Location is not active"}`, and the same refresh token works
 *   again once it is resumed; an agency's location-token exchange for it answers the same;
 * - a new connection (the code grant) replaces every earlier token of its subject.
 *
 * One instance per connection subject kind; counters say what happened (for the load e2e).
 */
import { createHash, randomBytes } from 'node:crypto';

export const INVALID_GRANT = {
	statusCode: 400,
	message: 'Invalid grant: refresh token is invalid',
};
export const LOCATION_NOT_ACTIVE = {
	statusCode: 400,
	message: 'Location is not active',
};

/** Who a token acts for: a sub-account (Location) or an agency (Company). */
export type TokenSubject = { userType: 'Location'; locationId: string } | { userType: 'Company'; companyId: string };

export interface TokenPair {
	access_token: string;
	refresh_token: string;
	expires_in: number;
}

export interface TokenStats {
	/** Pairs issued by the code grant (connections). */
	granted: number;
	/** Refreshes answered with a new pair. */
	refreshed: number;
	/** Refreshes refused as "Invalid grant" (used, unknown). */
	invalidGrant: number;
	/** Refreshes refused as "Location is not active" (paused). */
	notActive: number;
	/** Requests refused because their access token had expired. */
	expired: number;
}

/** One thing that happened to a token, for the load e2e's per-request log (tokens by a short digest, never whole). */
export interface TokenEvent {
	at: number;
	event: 'used' | 'expired' | 'refreshed' | 'refused';
	/** The access token used or refused (used, expired), or issued (refreshed). */
	access?: string;
	/** The refresh token spent or refused (refreshed, refused). */
	refresh?: string;
}

/** A token's short digest: tells tokens apart in a log without revealing them. */
export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 8);

export type RefreshAnswer =
	| { pair: TokenPair; subject: TokenSubject }
	| { status: 400; body: typeof INVALID_GRANT | typeof LOCATION_NOT_ACTIVE };

const subjectKey = (subject: TokenSubject) => (subject.userType === 'Location' ? `L:${subject.locationId}` : `C:${subject.companyId}`);

export class TokenRules {
	/** Lifetime of the access tokens issued from now on (seconds). */
	accessTokenSeconds: number;
	readonly stats: TokenStats = {
		granted: 0,
		refreshed: 0,
		invalidGrant: 0,
		notActive: 0,
		expired: 0,
	};
	/** When set, every check and refresh is appended (the load e2e's log). */
	journal?: TokenEvent[];
	private readonly access = new Map<string, { subject: TokenSubject; expiresAt: number }>();
	private readonly refreshTokens = new Map<string, TokenSubject>();
	private readonly paused = new Set<string>();
	private readonly now: () => number;

	constructor(
		options: {
			accessTokenSeconds?: number;
			now?: () => number;
			prefix?: string;
		} = {},
	) {
		this.accessTokenSeconds = options.accessTokenSeconds ?? 86399;
		this.now = options.now ?? (() => Date.now());
		this.prefix = options.prefix ?? 'oauth';
	}

	private readonly prefix: string;

	private issue(subject: TokenSubject): TokenPair {
		const pair = {
			access_token: `${this.prefix}-access-${randomBytes(12).toString('hex')}`,
			refresh_token: `${this.prefix}-refresh-${randomBytes(12).toString('hex')}`,
			expires_in: this.accessTokenSeconds,
		};
		this.access.set(pair.access_token, {
			subject,
			expiresAt: this.now() + this.accessTokenSeconds * 1000,
		});
		this.refreshTokens.set(pair.refresh_token, subject);
		return pair;
	}

	/** A new connection (the code grant): a pair; every earlier token of the subject stops working. */
	grant(subject: TokenSubject): TokenPair {
		const key = subjectKey(subject);
		for (const [token, held] of this.access) if (subjectKey(held.subject) === key) this.access.delete(token);
		for (const [token, held] of this.refreshTokens) if (subjectKey(held) === key) this.refreshTokens.delete(token);
		this.stats.granted++;
		return this.issue(subject);
	}

	/** The refresh grant: a new pair, once per refresh token; HighLevel's 400 bodies otherwise. */
	refresh(refreshToken: string): RefreshAnswer {
		const subject = this.refreshTokens.get(refreshToken);
		if (!subject) {
			this.stats.invalidGrant++;
			this.note('refused', { refresh: refreshToken });
			return { status: 400, body: INVALID_GRANT };
		}
		if (subject.userType === 'Location' && this.paused.has(subject.locationId)) {
			// Not used up: the same refresh token works once the sub-account is active again.
			this.stats.notActive++;
			return { status: 400, body: LOCATION_NOT_ACTIVE };
		}
		this.refreshTokens.delete(refreshToken);
		this.stats.refreshed++;
		const pair = this.issue(subject);
		this.note('refreshed', { access: pair.access_token, refresh: refreshToken });
		return { pair, subject };
	}

	/** The subject of a working access token; undefined (and counted when it expired) otherwise. */
	check(accessToken: string | undefined): TokenSubject | undefined {
		const held = accessToken ? this.access.get(accessToken) : undefined;
		if (!held) return undefined;
		if (this.now() >= held.expiresAt) {
			this.stats.expired++;
			this.note('expired', { access: accessToken });
			return undefined;
		}
		this.note('used', { access: accessToken });
		return held.subject;
	}

	private note(event: TokenEvent['event'], tokens: { access?: string; refresh?: string }): void {
		this.journal?.push({
			at: this.now(),
			event,
			...(tokens.access ? { access: tokenDigest(tokens.access) } : {}),
			...(tokens.refresh ? { refresh: tokenDigest(tokens.refresh) } : {}),
		});
	}

	/** Makes an access token expire now (as after its lifetime). */
	expire(accessToken: string): void {
		const held = this.access.get(accessToken);
		if (held) held.expiresAt = this.now();
	}

	/** A sub-account paused or unpaid: its refreshes (and an agency's exchanges for it) are refused until resumed. */
	pause(locationId: string): void {
		this.paused.add(locationId);
	}

	resume(locationId: string): void {
		this.paused.delete(locationId);
	}

	isActive(locationId: string): boolean {
		return !this.paused.has(locationId);
	}

	/** Refresh tokens that would still be accepted (for tests: exactly one per connection). */
	liveRefreshTokens(): number {
		return this.refreshTokens.size;
	}
}
