import {
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteSingleFunctions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';
import { CREDENTIAL_TYPE } from '../../../credentials/constants';
import * as time from './time';
import { failureOf, tokenRefusalOf } from './errors';

/**
 * OAuth2 requests of one connection around its token's expiry, where n8n does not serialize
 * refreshes (1.x). This module answers questions; transport.ts sends.
 *
 * HighLevel's refresh tokens are single-use. n8n refreshes an OAuth2 credential when a request
 * answers 401, and n8n 1.x does so in every request that meets the expired token: with several
 * executions at once, one refresh wins and saves the new pair, the others are refused ("Invalid
 * grant") and their items fail although the connection is fine. n8n 2.x serializes refreshes per
 * credential and re-reads the stored token first; the node never refreshes a token itself.
 *
 * - **One at a time near the expiry** (`OAuthLane.turn`): this process knows when a token expires
 *   (n8n 2.x stores it as `n8n_expires_at`; otherwise when this process first saw the token plus
 *   its `expires_in`). While a request sent now could still be on its way at the expiry (twice the
 *   slowest recent request's time, at least a tenth of the lifetime up to a minute), or after a
 *   request with the token met a 401, the credential's requests go one at a time: the one that
 *   meets the 401 has n8n refresh and save the token; the next one reads the stored credential,
 *   finds the new token, and the requests go at once again. Requests already on their way when the
 *   token expires still meet it (on n8n 1.x their refreshes are refused: see next).
 * - **After a refused refresh** (`isRefusedRefresh`, then `OAuthLane.storedTokenChanged`): another
 *   execution or worker won the refresh; once its token is stored (the stored credential is read
 *   again, for at most 5 s), transport sends the request again (the first attempt was answered 401,
 *   so nothing was carried out). The same once for an agency's token exchange refused with 401
 *   after n8n's refresh (another worker replaced the company token). When the stored token does not
 *   change, the connection itself is gone and the refusal is passed on (its error says to reconnect).
 */

type Context = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/** How often a refused request looks for the winning refresh's saved token, and how many times (5 s). */
const LOOK_EVERY_MS = 100;
const LOOKS = 50;

/** The most a tenth of a token's life counts for the one-at-a-time margin before its expiry (HighLevel's live a day). */
const LIFE_MARGIN_CAP_MS = 60_000;

/** Resends of one request after a refused refresh (the stored token having changed each time). */
export const MAX_RESENDS = 2;

/** Token lifetimes go by the wall clock (n8n stores `n8n_expires_at` by it), not by the pacing's time. */
const wallClock = () => Date.now();

/** What this process knows of one credential's tokens. */
interface Knowledge {
	/** The newest access token seen, until when it is valid and how long it lives (0: unknown). */
	token: string;
	expiresAt: number;
	lifeMs: number;
	/** Tokens seen, with until when each is valid (0: unknown): an older one read late is not taken for a new one. */
	seen: Map<string, number>;
	/** The slowest recent request (decaying), from its turn to its answer. */
	slowestMs: number;
	/** A request with the newest token met a 401 or a refused refresh: single file until a new one. */
	suspect: boolean;
	/** The end of the single-file line. */
	line: Promise<void>;
}

const credentialsKnown = new Map<string, Knowledge>();

function accessTokenOf(credentials: ICredentialDataDecryptedObject | undefined): string {
	return String(((credentials?.oauthTokenData ?? {}) as IDataObject).access_token ?? '');
}

/** The refresh n8n made for the request was refused: "Invalid grant", or on n8n 1.x a refusal whose reason n8n dropped. */
export function isRefusedRefresh(error: unknown): boolean {
	const refusal = tokenRefusalOf(error);
	return refusal === 'invalidGrant' || refusal === 'refreshRefused';
}

/** A request's turn: `done` when its answer (or failure) is in. */
export interface Turn {
	done: (failure?: unknown) => void;
}

/**
 * One request's view of its OAuth2 credential's tokens (see above): made with the credential as the
 * request read it, per request.
 */
export class OAuthLane {
	private token: string;

	/** When the request started (its first send). */
	private readonly startedAt: number;

	constructor(
		private readonly context: Context,
		private readonly type: string,
		private readonly known: Knowledge,
		credentials: ICredentialDataDecryptedObject,
		/** Whether the request is signed with the credential's token (an agency's sub-account requests are not). */
		private readonly signed: boolean,
	) {
		this.token = accessTokenOf(credentials);
		note(known, credentials);
		this.startedAt = wallClock();
	}

	/**
	 * Waits for the request's turn: at once while the token is fresh; one at a time while it is
	 * near or past its expiry (the first in line reads the stored credential: a new token opens
	 * the lane for all).
	 */
	async turn(): Promise<Turn> {
		const known = this.known;
		if (!this.signed || !isDue(known)) return this.started(undefined);
		let leave = () => {};
		const before = known.line;
		known.line = new Promise<void>((resolve) => (leave = resolve));
		await before;
		if (isDue(known)) {
			const stored = (await this.context.getCredentials(this.type)) as ICredentialDataDecryptedObject;
			note(known, stored);
		}
		if (!isDue(known)) {
			leave();
			return this.started(undefined);
		}
		return this.started(leave);
	}

	private started(leave: (() => void) | undefined): Turn {
		const known = this.known;
		const token = known.token;
		const startedAt = wallClock();
		let over = false;
		return {
			done: (failure?: unknown) => {
				if (over) return;
				over = true;
				known.slowestMs = Math.max(wallClock() - startedAt, known.slowestMs * 0.9);
				if (
					this.signed &&
					failure !== undefined &&
					known.token === token &&
					(isRefusedRefresh(failure) || failureOf(failure).status === 401)
				) {
					known.suspect = true;
				}
				leave?.();
			},
		};
	}

	/**
	 * After a 401 that n8n's own refresh and retry did not cure: whether a token of the credential
	 * expired while the request was under way (expiries known: n8n 2.x stores them; on 1.x this
	 * process's estimates, which are never early). Then n8n's retry may have been signed with a token
	 * that had expired meanwhile (a slow refresh under load, or one another worker made): the 401
	 * was the expiry, not a refusal, and the request may be sent once more (n8n refreshes as for any
	 * request that meets an expired token). A token refused with no expiry meanwhile is the API's
	 * answer (false).
	 */
	async expiredBeforeAnswer(failure: unknown): Promise<boolean> {
		if (!this.signed || failureOf(failure).status !== 401) return false;
		const stored = (await this.context.getCredentials(this.type)) as ICredentialDataDecryptedObject;
		note(this.known, stored);
		const now = wallClock();
		const expired = [...this.known.seen.values()].some((expiresAt) => expiresAt >= this.startedAt && expiresAt <= now);
		if (expired) this.known.suspect = true;
		return expired;
	}

	/**
	 * After a refused refresh (or an agency's exchange refused with 401 after n8n's refresh):
	 * whether the stored access token is now another one than the request started from (another
	 * execution or worker won the refresh and saved it), looking for at most 5 s (the winner may
	 * still be saving it).
	 */
	async storedTokenChanged(): Promise<boolean> {
		for (let look = 0; ; look++) {
			const stored = (await this.context.getCredentials(this.type)) as ICredentialDataDecryptedObject;
			note(this.known, stored);
			const token = accessTokenOf(stored);
			if (token && token !== this.token) {
				this.token = token;
				return true;
			}
			if (look >= LOOKS) return false;
			await time.pause(LOOK_EVERY_MS);
		}
	}
}

/** Notes the token of a credential read: a token not seen before is the newest, its expiry known from it. */
function note(known: Knowledge, credentials: ICredentialDataDecryptedObject | undefined): void {
	const tokenData = (credentials?.oauthTokenData ?? {}) as IDataObject;
	const token = accessTokenOf(credentials);
	if (!token || known.seen.has(token)) return;
	const now = wallClock();
	if (known.seen.size >= 8) known.seen.delete(known.seen.keys().next().value as string);
	const lifeMs = Number(tokenData.expires_in) * 1000;
	// n8n 2.x stores when the token expires; otherwise it expires expires_in after this process first saw it (or sooner).
	const storedExpiry = Number(tokenData.n8n_expires_at);
	known.token = token;
	known.lifeMs = Number.isFinite(lifeMs) && lifeMs > 0 ? lifeMs : 0;
	known.expiresAt = Number.isFinite(storedExpiry) && storedExpiry > 0 ? storedExpiry : known.lifeMs ? now + known.lifeMs : 0;
	known.seen.set(token, known.expiresAt);
	known.suspect = false;
}

/** Whether a request sent now could meet the token's expiry, or one with the token was refused. */
function isDue(known: Knowledge): boolean {
	if (known.suspect) return true;
	if (!known.expiresAt) return false;
	// Twice the slowest recent request, at least a tenth of the lifetime (at most a minute: HighLevel's
	// tokens live a day, and one at a time halves what a credential can send).
	const margin = Math.min(Math.max(Math.min(known.lifeMs / 10, LIFE_MARGIN_CAP_MS), 2 * known.slowestMs), known.lifeMs || Infinity);
	return wallClock() >= known.expiresAt - margin;
}

/**
 * The lane of a request with an OAuth2 credential (`key`: the credential's, in this process;
 * `credentials` as the request read it; `signed`: whether n8n signs it with the credential's
 * token), or undefined for other credentials.
 */
export function oauthLane(
	context: Context,
	type: string,
	key: string,
	credentials: ICredentialDataDecryptedObject,
	signed: boolean,
): OAuthLane | undefined {
	if (type !== CREDENTIAL_TYPE.marketplaceApp) return undefined;
	let known = credentialsKnown.get(key);
	if (!known) {
		known = { token: '', expiresAt: 0, lifeMs: 0, seen: new Map(), slowestMs: 0, suspect: false, line: Promise.resolve() };
		credentialsKnown.set(key, known);
	}
	return new OAuthLane(context, type, known, credentials, signed);
}
