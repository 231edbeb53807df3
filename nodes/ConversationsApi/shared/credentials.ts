import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteSingleFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { itemError } from './errors';
import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from '../../../credentials/constants';

/** The credential, its location (sub-account) and its base URL, as every request needs them. */

type Context = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

export function credentialType(this: Context): string {
	const authentication = this.getNodeParameter('authentication', 'privateIntegrationToken') as string;
	return authentication === 'oAuth2' ? CREDENTIAL_TYPE.marketplaceApp : CREDENTIAL_TYPE.privateIntegrationToken;
}

/**
 * The location (sub-account) a credential names: for OAuth2 the one the token was issued for,
 * else (company-level tokens, Private Integration Tokens) the credential's Location ID field.
 */
export function credentialLocationId(credentials: ICredentialDataDecryptedObject): string {
	const tokenData = credentials.oauthTokenData as IDataObject | undefined;
	const fromToken = String(tokenData?.locationId ?? '').trim();
	if (fromToken) return fromToken;
	return String(credentials.locationId ?? '').trim();
}

/** The credentials read for the items of a node run, by its execute data, then type and item. */
const itemReads = new WeakMap<object, Map<string, Promise<ICredentialDataDecryptedObject>>>();

const itemKey = (context: IExecuteSingleFunctions, type: string) => `${type}#${context.getItemIndex()}`;

/**
 * The item's credential as the node's own code reads it (preSends, routingRequest, apiRequest,
 * error context): once per item, not once per helper, since n8n loads a credential from its
 * database and decrypts it on every read. Per item, not per run: n8n resolves expressions in a
 * credential against the item. routingRequest forgets it when the item's request is done.
 */
export async function itemCredentials(this: IExecuteSingleFunctions, type: string): Promise<ICredentialDataDecryptedObject> {
	const run = this.getExecuteData?.();
	if (!run) return await this.getCredentials(type);
	const reads = itemReads.get(run) ?? new Map<string, Promise<ICredentialDataDecryptedObject>>();
	itemReads.set(run, reads);
	const key = itemKey(this, type);
	let read = reads.get(key);
	if (!read) {
		read = this.getCredentials(type);
		reads.set(key, read);
		// A failed read is not kept: the next reader tries again.
		read.catch(() => reads.delete(key));
	}
	return await read;
}

/** Drops the item's credential read (its request is done; a next page reads it again). */
export function forgetItemCredentials(this: IExecuteSingleFunctions, type: string): void {
	const run = this.getExecuteData?.();
	if (run) itemReads.get(run)?.delete(itemKey(this, type));
}

/** The item's location: the node's Location ID field when set, else the credential's; blank when neither. */
export async function locationIdOf(this: IExecuteSingleFunctions): Promise<string> {
	// Not every operation has the field (then its default '' comes back).
	// A resource locator ({ __rl, mode, value }); saved workflows may hold a plain string. Read
	// as it is: extractValue fails on operations where the field is not shown.
	const raw = this.getNodeParameter('locationId', '') as unknown;
	const value = raw !== null && typeof raw === 'object' ? (raw as IDataObject).value : raw;
	const override = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	return override || credentialLocationId(await itemCredentials.call(this, credentialType.call(this)));
}

/** The node's Location ID field when set, else the credential's; an error when neither has one. */
export async function getLocationId(this: IExecuteSingleFunctions): Promise<string> {
	const locationId = await locationIdOf.call(this);
	if (locationId) return locationId;
	throw itemError.call(
		this,
		'No Location ID: this operation needs the sub-account (location) to act on',
		'Enter it in the node\'s "Location ID" field, or in the credential\'s "Location ID" field.',
	);
}

/** A base URL without surrounding spaces or trailing slashes; empty means production. */
export function normalizeBaseUrl(baseUrl: unknown): string {
	return String(baseUrl || DEFAULT_BASE_URL)
		.trim()
		.replace(/\/+$/, '');
}

export function credentialBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	return normalizeBaseUrl(credentials.baseUrl);
}

/** The credential's base URL must be http(s); a trailing slash is dropped. */
export function checkBaseUrl(this: IExecuteSingleFunctions, baseUrl: string | undefined): string {
	const value = normalizeBaseUrl(baseUrl);
	if (!/^https?:\/\/[^/\s]+/i.test(value)) {
		throw itemError.call(
			this,
			`The credential's Base URL is not an http(s) URL: "${value}"`,
			`Use ${DEFAULT_BASE_URL}, or the http(s) address of a sandbox or proxy.`,
		);
	}
	return value;
}
