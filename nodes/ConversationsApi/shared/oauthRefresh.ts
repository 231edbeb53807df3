import {
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteSingleFunctions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';
import { CREDENTIAL_TYPE } from '../../../credentials/constants';
import * as time from './time';
import { tokenRefusalOf } from './errors';

/**
 * OAuth2 refreshes racing on one connection, where n8n does not serialize them (1.x).
 *
 * HighLevel's refresh tokens are single-use. n8n refreshes an OAuth2 credential when a request
 * answers 401, and n8n 1.x does so in every request that meets the expired token: with several
 * executions (or workers) at once, one refresh wins and saves the new tokens, the others are
 * refused ("Invalid grant") and their items fail, although the connection is fine. n8n 2.x
 * serializes refreshes per credential and re-reads the stored token first, so no refresh is
 * refused there and nothing below runs.
 *
 * A node cannot write credential data, but `getCredentials` reads the stored data again. So when a
 * request fails with a refused refresh, it waits until the stored access token differs from the
 * one the request started with (the winner saved the new pair), then sends the request again once
 * (n8n signs it with the stored token; the first attempt was answered 401, so nothing was carried
 * out). Requests of this process refused meanwhile on the same credential share that wait (one
 * recovery in flight per credential and process), and it is bounded (5 s, 3 sends a request). When
 * the stored token does not change, the connection itself is gone: the refusal is passed on (the
 * caller's error says to reconnect). The node never refreshes a token itself.
 */

type Context = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/** How often a refused request looks for the winning refresh's saved token, and how many times (5 s). */
const LOOK_EVERY_MS = 100;
const LOOKS = 50;

/** Sends of one request in all: after a refused refresh, again while the stored token keeps changing. */
const MAX_SENDS = 3;

/** Recoveries in flight, by credential and the token refused: requests refused meanwhile share the wait (one reader). */
const recovering = new Map<string, Promise<string>>();

function accessTokenOf(credentials: ICredentialDataDecryptedObject | undefined): string {
	return String(((credentials?.oauthTokenData ?? {}) as IDataObject).access_token ?? '');
}

/**
 * Runs `send` (one request through n8n's OAuth2 signing) so that a refresh another request won
 * does not fail it: see above. `credentials` is what the caller read before (the token the request
 * starts from; no extra read). Credentials other than the OAuth2 one are sent as they are.
 */
export async function withStoredToken<T>(
	context: Context,
	type: string,
	credentials: ICredentialDataDecryptedObject,
	send: () => Promise<T>,
): Promise<T> {
	if (type !== CREDENTIAL_TYPE.marketplaceApp) return await send();
	const credential = context.getNode().credentials?.[type];
	const key = String(credential?.id ?? credential?.name ?? '');
	let before = accessTokenOf(credentials);
	for (let sends = 1; ; sends++) {
		// While a refused refresh of this credential waits for the winner's token, new requests wait
		// too instead of meeting the dead token (and spending a refresh) themselves.
		const ofCredential = JSON.stringify([key]).slice(0, -1);
		const waits = [...recovering].filter(([waitKey]) => waitKey.startsWith(ofCredential)).map(([, wait]) => wait);
		if (waits.length) await Promise.all(waits.map(async (wait) => await wait.catch(() => '')));
		// The failure is passed on as it is: the caller maps it (transport's requestError).
		const outcome = await send().then(
			(value) => ({ value, failed: false as const }),
			(error: unknown) => ({ error, failed: true as const }),
		);
		if (!outcome.failed) return outcome.value;
		const error = outcome.error;
		{
			// "Invalid grant", or on n8n 1.x a refusal whose reason n8n dropped (a race looks like that there).
			const refusal = tokenRefusalOf(error);
			if (refusal !== 'invalidGrant' && refusal !== 'refreshRefused') throw error;
			// Requests refused with the same token share one wait.
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
			if (!stored || stored === before || sends >= MAX_SENDS) throw error;
			before = stored;
		}
	}
}

/** The stored access token once it differs from `before` (another refresh saved it); '' when it does not within the wait. */
async function waitForSave(context: Context, type: string, before: string): Promise<string> {
	for (let look = 0; ; look++) {
		const stored = accessTokenOf((await context.getCredentials(type)) as ICredentialDataDecryptedObject);
		if (stored && stored !== before) return stored;
		if (look >= LOOKS) return '';
		await time.pause(LOOK_EVERY_MS);
	}
}
