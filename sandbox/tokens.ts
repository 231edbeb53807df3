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
import { randomBytes } from 'node:crypto';

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
			return { status: 400, body: INVALID_GRANT };
		}
		if (subject.userType === 'Location' && this.paused.has(subject.locationId)) {
			// Not used up: the same refresh token works once the sub-account is active again.
			this.stats.notActive++;
			return { status: 400, body: LOCATION_NOT_ACTIVE };
		}
		this.refreshTokens.delete(refreshToken);
		this.stats.refreshed++;
		return { pair: this.issue(subject), subject };
	}

	/** The subject of a working access token; undefined (and counted when it expired) otherwise. */
	check(accessToken: string | undefined): TokenSubject | undefined {
		const held = accessToken ? this.access.get(accessToken) : undefined;
		if (!held) return undefined;
		if (this.now() >= held.expiresAt) {
			this.stats.expired++;
			return undefined;
		}
		return held.subject;
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
