import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type IPollFunctions,
} from 'n8n-workflow';
import { credentialBaseUrl } from './credentials';
import { failureOf, redact, scrubSecrets, tokenRefusalError, tokenRefusalOf } from './errors';
import * as time from './time';
import { ACCOUNT_TYPE, CREDENTIAL_TYPE, API_VERSION_CONTACTS_USERS_OAUTH } from '../../../credentials/constants';

/**
 * Agency (company) connections: the sub-account token each request is sent with.
 *
 * An agency admin who connects an agency-level Marketplace app gets a token that names a company
 * (`userType: "Company"`, `companyId`), not a sub-account. The Conversations API does not take it;
 * `POST /oauth/locationToken` exchanges it for a token of one sub-account (location) where the app
 * is installed. This module answers the questions about that exchange; transport.ts sends it:
 * - which request exchanges the token (`exchangeRequest`); transport sends it through n8n's OAuth2
 *   helper with the OAuth2 credential, so n8n signs it with the company token and, when that one
 *   has expired (401), refreshes it with the refresh token and saves it, as for any OAuth2 request;
 * - whether a location's token is known (`knownLocationToken`: fresh in memory, or an exchange in
 *   flight that every caller shares) or an exchange is needed;
 * - remembering an exchange's result (`rememberExchange`): location tokens are kept in this
 *   process's memory only (never in the credential, the workflow's static data, outputs, errors or
 *   logs), per credential, company and location, until shortly before `expires_in`; a refused
 *   exchange becomes an error that says what to do;
 * - a request the API refuses with 401 gets one new location token (`knownLocationToken` with the
 *   refused one) and is sent once more.
 * The request to the API itself then carries the location token as Bearer *instead of* n8n's
 * OAuth2 authentication (`asSubAccount` and `signedBy` in transport.ts); everything else about it
 * (pacing per location, retries, error mapping) stays in transport.ts. This module calls nothing
 * that sends.
 */

type Context = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/** What a request needs to act on one sub-account with an agency connection. */
export interface AgencyAccess {
	/** The cache key: base URL, credential, company and location. */
	key: string;
	baseUrl: string;
	companyId: string;
	locationId: string;
	/** The company token, only to keep it out of error messages should the API echo it. */
	companyToken: string;
}

/** A location token is renewed this long before it expires (at most a tenth of its life). */
const RENEW_BEFORE_MS = 5 * 60_000;
/** When the answer gives no expires_in, the token is kept this long. */
const UNKNOWN_LIFETIME_MS = 10 * 60_000;

interface Entry {
	promise: Promise<string>;
	/** Until when the token may be used (Infinity while the exchange is in flight). */
	expiresAt: number;
	token?: string;
}

/** Location tokens of this process, by credential and location (`AgencyAccess.key`). */
const tokens = new Map<string, Entry>();

/** Whether the credential holds an agency (company) token: by the token itself, else by "Connect As". */
export function isAgencyConnection(type: string, credentials: ICredentialDataDecryptedObject): boolean {
	if (type !== CREDENTIAL_TYPE.marketplaceApp) return false;
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	if (String(tokenData.userType ?? '') === 'Company') return true;
	if (String(tokenData.locationId ?? '').trim()) return false;
	return credentials.accountType === ACCOUNT_TYPE.agency;
}

/** The company an agency token names. */
export function companyIdOf(credentials: ICredentialDataDecryptedObject): string {
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	return String(tokenData.companyId ?? '').trim();
}

/**
 * The access of an agency connection to one location, or undefined for any other credential.
 * Throws when the location is missing or the token names no company.
 */
export function agencyAccess(
	context: Context,
	type: string,
	credentials: ICredentialDataDecryptedObject,
	locationId: string,
	itemIndex?: number,
): AgencyAccess | undefined {
	if (!isAgencyConnection(type, credentials)) return undefined;
	const node = context.getNode();
	if (!locationId) {
		throw new NodeOperationError(node, 'No Location ID: with an agency connection every operation needs the sub-account to act on', {
			itemIndex,
			description:
				'Choose the sub-account in the node\'s "Location ID" field (from the list of sub-accounts where the app is installed, or by ID or expression).',
		});
	}
	const companyId = companyIdOf(credentials);
	if (!companyId) {
		throw new NodeOperationError(node, 'The agency token names no company (companyId)', {
			itemIndex,
			description: 'Reconnect the credential with "Connect As: Agency" and sign in as an agency admin.',
		});
	}
	const baseUrl = credentialBaseUrl(credentials);
	const credential = node.credentials?.[type];
	const key = JSON.stringify([baseUrl, credential?.id ?? credential?.name ?? '', companyId, locationId]);
	const companyToken = String(((credentials.oauthTokenData ?? {}) as IDataObject).access_token ?? '');
	return { key, baseUrl, companyId, locationId, companyToken };
}

/** Exchanges refused with 401 after n8n's refresh of the company token (see isCompanyTokenRefused). */
const companyTokenRefusals = new WeakSet<object>();

/**
 * Whether the error is an exchange the API refused with 401 although n8n refreshed the company
 * token: in queue mode another worker may have replaced that token meanwhile, so the caller may
 * send again once the stored token has changed (oauthRefresh.ts).
 */
export function isCompanyTokenRefused(error: unknown): boolean {
	return typeof error === 'object' && error !== null && companyTokenRefusals.has(error);
}

/** The error of a refused exchange, saying what to do; never carries the request (tokens). */
function exchangeError(node: INode, error: unknown, access: AgencyAccess, companyToken: string, itemIndex?: number): Error {
	// HighLevel's "Invalid grant" (the company token's refresh) and "Location is not active" (a paused sub-account).
	const refusal = tokenRefusalOf(scrubSecrets(error, [companyToken]));
	if (refusal) return tokenRefusalError(node, refusal, { locationId: access.locationId, itemIndex });
	const failure = failureOf(scrubSecrets(error, [companyToken]));
	const credentialInvalid = (error as { failure?: { cause?: unknown } } | undefined)?.failure?.cause === 'credential-invalid';
	const says = failure.apiMessages.length ? ` HighLevel says: "${redact(failure.apiMessages.join('; '))}".` : '';
	const location = `sub-account ${access.locationId}`;
	let message: string;
	let description: string;
	if (failure.status === 401 || credentialInvalid) {
		message = `The agency token was refused (401) while getting the token of ${location}`;
		description = `n8n tried to refresh the agency token and the API still refused it: reconnect the credential as an agency admin.${says}`;
	} else if (failure.status === 403 && /scope|not authori[sz]ed/i.test(failure.apiMessages.join(' '))) {
		message = `The agency token may not get sub-account tokens (403): it lacks the oauth.write scope`;
		description = `Add "oauth.write" to the Marketplace app's scopes and the credential's Scope field, then reconnect the credential.${says}`;
	} else if (failure.status !== undefined && failure.status >= 400 && failure.status < 500) {
		message = `The app is not installed on ${location} (HighLevel refused a token for it: ${failure.status})`;
		description = `Install the Marketplace app on that sub-account (agency view: App Marketplace → the app → Install, choose the sub-account), or choose a sub-account from the "Location ID" list, which shows where it is installed.${says}`;
	} else {
		// The answer's body is left out: an error body could hold a token field.
		message = `Getting the token of ${location} failed (${failure.status ?? failure.code ?? 'no answer'})`;
		description = `HighLevel's token service did not answer as expected: try again (the node asks again on the next item or run).${says}`;
	}
	// A node error: final (never retried or reported as the API request's own failure), and built
	// from the status and the API's message only, so no request option (token) travels with it.
	const mapped = new NodeOperationError(node, message, { itemIndex, description });
	if (failure.status === 401 || credentialInvalid) companyTokenRefusals.add(mapped);
	return mapped;
}

/** The exchange request: the company token (n8n's OAuth2 helper signs it) for the location's token. */
export function exchangeRequest(access: AgencyAccess): IHttpRequestOptions {
	return {
		method: 'POST',
		url: `${access.baseUrl}/oauth/locationToken`,
		headers: {
			Accept: 'application/json',
			Version: API_VERSION_CONTACTS_USERS_OAUTH,
			'Content-Type': 'application/x-www-form-urlencoded',
		},
		body: `companyId=${encodeURIComponent(access.companyId)}&locationId=${encodeURIComponent(access.locationId)}`,
		json: true,
	};
}

/** The token of an exchange's answer and until when to use it; an error when the answer has none. */
function tokenOfAnswer(node: INode, answer: IDataObject, access: AgencyAccess, itemIndex?: number): { token: string; expiresAt: number } {
	const token = typeof answer?.access_token === 'string' ? answer.access_token : '';
	if (!token) {
		throw new NodeOperationError(node, `HighLevel answered the token request for sub-account ${access.locationId} without a token`, {
			itemIndex,
			description: 'Try again; if it persists, reconnect the credential.',
		});
	}
	const lifetimeMs = Number(answer.expires_in) > 0 ? Number(answer.expires_in) * 1000 : UNKNOWN_LIFETIME_MS;
	return { token, expiresAt: time.now() + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 10) };
}

/**
 * The location's token when no exchange is needed: fresh in memory, or an exchange already in
 * flight (every caller shares it). `refused`: the API refused that token (401, e.g. revoked or
 * expired early); it is dropped only if it is still the one in memory, so that concurrent 401s
 * cause one exchange. Undefined: an exchange is needed (`rememberExchange`).
 */
export function knownLocationToken(access: AgencyAccess, refused?: string): Promise<string> | undefined {
	const entry = tokens.get(access.key);
	if (!entry) return undefined;
	if (refused !== undefined && entry.token === refused) {
		tokens.delete(access.key);
		return undefined;
	}
	return time.now() < entry.expiresAt ? entry.promise : undefined;
}

/**
 * Remembers an exchange the caller sent (`answer`: the API's answer to `exchangeRequest`): while in
 * flight, for every caller of the location; then its token until shortly before it expires. A
 * failed exchange is not remembered (the next item asks again) and becomes an error that says
 * what to do. Resolves to the token.
 */
export async function rememberExchange(
	node: INode,
	access: AgencyAccess,
	answer: Promise<IDataObject>,
	itemIndex?: number,
): Promise<string> {
	const entry: Entry = { expiresAt: Infinity, promise: Promise.resolve('') };
	entry.promise = answer.then(
		(body) => {
			const { token, expiresAt } = tokenOfAnswer(node, body, access, itemIndex);
			entry.token = token;
			entry.expiresAt = expiresAt;
			return token;
		},
		(error: unknown) => {
			throw exchangeError(node, error, access, access.companyToken, itemIndex);
		},
	);
	entry.promise.catch(() => {
		if (tokens.get(access.key) === entry) tokens.delete(access.key);
	});
	tokens.set(access.key, entry);
	return await entry.promise;
}
