import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteSingleFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from './constants';
import { itemError } from './errors';

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

/** The item's location: the node's Location ID field when set, else the credential's; blank when neither. */
export async function locationIdOf(this: IExecuteSingleFunctions): Promise<string> {
	// Not every operation has the field (then its default '' comes back).
	const override = String(this.getNodeParameter('locationId', '') ?? '').trim();
	return override || credentialLocationId(await this.getCredentials(credentialType.call(this)));
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
	return String(baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
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

