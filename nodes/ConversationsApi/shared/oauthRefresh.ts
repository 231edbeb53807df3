import { createHash } from 'crypto';
import {
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';
import { CREDENTIAL_TYPE } from '../../../credentials/constants';
import * as time from './time';
import { failureOf, tokenRefusalOf } from './errors';

/**
 * An OAuth2 connection under concurrent requests, on every n8n this package supports.
 *
 * HighLevel's refresh tokens are single-use. n8n refreshes an OAuth2 credential when a request
 * answers 401 and sends it again with the new token. n8n 1.x does so in every request that meets
 * the expired token: with several executions at once, one refresh wins, the others are refused
 * ("Invalid grant") and their items fail. n8n 2.x serializes refreshes per credential, but every
 * request that met the 401 queues for its lock and re-reads the credential, and a request already
 * signed with the old token still meets a 401 of its own.
 *
 * The node never refreshes and never writes the credential; it decides only when a request is
 * sent, so that n8n meets one 401 per expiry in this process instead of one per request:
 *
 * 1. A gate per credential and process. When a request is answered 401 (its token expired), the
 *    credential's other requests of this process wait before they are sent, until that request is
 *    done (n8n refreshed, saved the new pair and sent it again), at most RENEWAL_MS.
 * 2. A request signed with a token the API has already refused is not sent (n8n would refresh
 *    with a refresh token that is used by now): it waits until the stored token differs
 *    (`getCredentials` reads the stored data) and starts again, so n8n signs it with the new token.
 * 3. Across processes (queue-mode workers) the gate cannot hold: when n8n's refresh is refused
 *    anyway, the request waits until the stored token differs from the one it started with (the
 *    winner saved the new pair), then is sent again once. Bounded (LOOKS × LOOK_EVERY_MS, MAX_SENDS);
 *    when the stored token does not change, the connection itself is gone and the refusal is
 *    passed on (the caller's error says to reconnect).
 *
 * The gate (1, 2) needs the request's own helpers (an action node item's): n8n signs the request
 * with `this.helpers.httpRequest` of the context it was called on. Other contexts (list searches,
 * polls) only wait for an open renewal and recover as in 3. Tokens are compared by digest and
 * never leave this module.
 */

type Context = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/** How often a waiting request looks for a newly saved token, and how many times (5 s). */
const LOOK_EVERY_MS = 100;
const LOOKS = 50;

/** Sends of one request in all: after a refused refresh, again while the stored token keeps changing. */
const MAX_SENDS = 3;

/** Starts of one request that were not sent (signed with a refused token) before it goes out as it is. */
const MAX_HELD = 3;

/** The longest the other requests wait for a request that met a 401 (n8n 2.x waits as long for its lock). */
const RENEWAL_MS = 10_000;

/** Refused access tokens remembered per credential (digests). */
const DEAD_KEPT = 8;

/** One credential's state in this process. */
interface CredentialState {
	/** Access tokens (digests) the API answered 401 lately. */
	dead: string[];
	/** Open while a request that met a 401 is in n8n's refresh and resend. */
	renewal?: Promise<void>;
}

const states = new Map<string, CredentialState>();

/** Recoveries in flight, by credential and the token refused: requests refused meanwhile share the wait (one reader). */
const recovering = new Map<string, Promise<string>>();

const digest = (token: string): string => (token ? createHash('sha256').update(token).digest('hex').slice(0, 16) : '');

function accessTokenOf(credentials: ICredentialDataDecryptedObject | undefined): string {
	return String(((credentials?.oauthTokenData ?? {}) as IDataObject).access_token ?? '');
}

function bearerOf(options: IHttpRequestOptions): string {
	const headers = (options.headers ?? {}) as IDataObject;
	const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
	return typeof value === 'string' ? value.replace(/^Bearer\s+/i, '') : '';
}

function stateOf(key: string): CredentialState {
	let state = states.get(key);
	if (!state) {
		state = { dead: [] };
		states.set(key, state);
	}
	return state;
}

function isItemContext(context: Context): context is IExecuteSingleFunctions {
	return typeof (context as Partial<IExecuteSingleFunctions>).getItemIndex === 'function';
}

/** Why an attempt was not sent: its token (digest) was refused already. */
interface Attempt {
	held?: string;
}

/**
 * Runs `send` (one request through n8n's OAuth2 signing) so that concurrent requests on one
 * connection meet its expiry once and a refresh another request won fails none of them: see above.
 * `credentials` is what the caller read before (the token the request starts from; no extra read).
 * `signedByN8n` is false when the request carries a token of the node's own (an agency's location
 * token): then only the recovery (3) applies. Credentials other than the OAuth2 one are sent as they are.
 */
export async function withStoredToken<T>(
	context: Context,
	type: string,
	credentials: ICredentialDataDecryptedObject,
	send: () => Promise<T>,
	signedByN8n = true,
): Promise<T> {
	if (type !== CREDENTIAL_TYPE.marketplaceApp) return await send();
	const credential = context.getNode().credentials?.[type];
	const key = String(credential?.id ?? credential?.name ?? '');
	const state = stateOf(key);
	let before = digest(accessTokenOf(credentials));
	let sends = 0;
	let held = 0;
	for (;;) {
		// While a refused refresh of this credential waits for the winner's token, new requests wait
		// too instead of meeting the dead token (and spending a refresh) themselves.
		const ofCredential = JSON.stringify([key]).slice(0, -1);
		const waits = [...recovering].filter(([waitKey]) => waitKey.startsWith(ofCredential)).map(([, wait]) => wait);
		if (waits.length) await Promise.all(waits.map(async (wait) => await wait.catch(() => '')));
		const attempt: Attempt = {};
		const gated = signedByN8n && isItemContext(context) && held < MAX_HELD;
		if (!gated) await waitForRenewal(state);
		// The failure is passed on as it is: the caller maps it (transport's requestError).
		const outcome = await (gated ? throughGate(context, state, attempt, send) : send()).then(
			(value) => ({ value, failed: false as const }),
			(error: unknown) => ({ error, failed: true as const }),
		);
		if (!outcome.failed) return outcome.value;
		const error = outcome.error;
		if (attempt.held) {
			// Not sent: start again once the stored token is another one (or as it is, after MAX_HELD).
			held++;
			const stored = await savedAfter(context, type, key, attempt.held);
			if (stored) before = stored;
			continue;
		}
		sends++;
		// "Invalid grant", or on n8n 1.x a refusal whose reason n8n dropped (a race looks like that there).
		const refusal = tokenRefusalOf(error);
		if (refusal !== 'invalidGrant' && refusal !== 'refreshRefused') throw error;
		const stored = await savedAfter(context, type, key, before);
		if (!stored || stored === before || sends >= MAX_SENDS) throw error;
		before = stored;
	}
}

/** Waits while another request of the credential is in n8n's refresh (bounded by the renewal's own limit). */
async function waitForRenewal(state: CredentialState, own?: Promise<void>): Promise<void> {
	while (state.renewal && state.renewal !== own) await state.renewal;
}

/**
 * Sends with the gate on the item's `httpRequest` (n8n's OAuth2 signing calls it): the request
 * waits for another one's renewal, is held when signed with a refused token, and opens the
 * renewal when it is answered 401 itself (until `send` is done: n8n's refresh and resend).
 */
async function throughGate<T>(
	context: IExecuteSingleFunctions,
	state: CredentialState,
	attempt: Attempt,
	send: () => Promise<T>,
): Promise<T> {
	const helpers = context.helpers;
	const own = Object.getOwnPropertyDescriptor(helpers, 'httpRequest');
	const httpRequest = helpers.httpRequest;
	let renewal: Promise<void> | undefined;
	let close = () => {};
	helpers.httpRequest = async function (this: unknown, options: IHttpRequestOptions) {
		await waitForRenewal(state, renewal);
		const token = digest(bearerOf(options));
		if (token && state.dead.includes(token)) {
			attempt.held = token;
			throw new Error('The request was not sent: its access token has expired and is being renewed');
		}
		try {
			return await httpRequest.call(this, options);
		} catch (error) {
			if (token && failureOf(error).status === 401) {
				if (!state.dead.includes(token)) state.dead = [...state.dead, token].slice(-DEAD_KEPT);
				if (!state.renewal) {
					renewal = new Promise<void>((resolve) => {
						const timer = setTimeout(resolve, RENEWAL_MS);
						close = () => {
							clearTimeout(timer);
							resolve();
						};
					});
					state.renewal = renewal;
				}
			}
			throw error;
		}
	};
	try {
		return await send();
	} finally {
		if (own) Object.defineProperty(helpers, 'httpRequest', own);
		else delete (helpers as { httpRequest?: unknown }).httpRequest;
		if (renewal && state.renewal === renewal) state.renewal = undefined;
		close();
	}
}

/**
 * The stored access token (digest) once it differs from `before` (another request saved a new
 * pair); '' when it does not within the wait. Requests waiting on the same token share one reader.
 */
async function savedAfter(context: Context, type: string, key: string, before: string): Promise<string> {
	const waitKey = JSON.stringify([key, before]);
	let recovery = recovering.get(waitKey);
	if (!recovery) {
		const started = waitForSave(context, type, before);
		recovery = started;
		recovering.set(waitKey, started);
		const done = () => recovering.get(waitKey) === started && recovering.delete(waitKey);
		void started.then(done, done);
	}
	const stored = await recovery.catch(() => '');
	return stored === before ? '' : stored;
}

async function waitForSave(context: Context, type: string, before: string): Promise<string> {
	for (let look = 0; ; look++) {
		const stored = digest(accessTokenOf((await context.getCredentials(type)) as ICredentialDataDecryptedObject));
		if (stored && stored !== before) return stored;
		if (look >= LOOKS) return '';
		await time.pause(LOOK_EVERY_MS);
	}
}
