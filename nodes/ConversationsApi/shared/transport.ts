import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IDataObject,
	type IPollFunctions,
} from 'n8n-workflow';
import { API_HEADERS, CREDENTIAL_TYPE, DEFAULT_BASE_URL } from './constants';

type Context = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/** Labels of the fields that fill a `{placeholder}` in a path, for error messages. */
const PATH_FIELD_LABELS: Record<string, string> = {
	conversationId: 'Conversation',
	messageId: 'Message ID',
	emailMessageId: 'Email Message ID',
	customSubtypeId: 'Custom Subtype ID',
	locationId: 'Location ID',
};

export function credentialType(this: Context): string {
	const authentication = this.getNodeParameter('authentication', 'privateIntegrationToken') as string;
	return authentication === 'oAuth2' ? CREDENTIAL_TYPE.marketplaceApp : CREDENTIAL_TYPE.privateIntegrationToken;
}

export function itemError(
	this: IExecuteSingleFunctions,
	message: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), message, {
		itemIndex: this.getItemIndex(),
		description,
	});
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

/** The node's Location ID field when set, else the credential's. */
export async function getLocationId(this: IExecuteSingleFunctions): Promise<string> {
	const override = String(this.getNodeParameter('locationId', '') ?? '').trim();
	if (override) return override;
	const credentials = await this.getCredentials(credentialType.call(this));
	const fromCredential = credentialLocationId(credentials);
	if (fromCredential) return fromCredential;
	throw itemError.call(
		this,
		'No Location ID: this operation needs the sub-account (location) to act on',
		'Enter it in the node\'s "Location ID" field, or in the credential\'s "Location ID" field.',
	);
}

/** Encodes an ID as one path segment, so that no ID can change the route. */
export function encodePathSegment(value: string): string {
	return encodeURIComponent(value);
}

function readPathValue(this: IExecuteSingleFunctions, name: string): string {
	const raw = this.getNodeParameter(name, '', { extractValue: true }) as unknown;
	return raw === undefined || raw === null ? '' : String(raw).trim();
}

/**
 * preSend: fills the `{placeholders}` of the operation's path template with the node's fields,
 * each encoded as a single segment. An empty or dot-only ID is an error that names the field.
 */
export async function resolvePath(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const template = requestOptions.url;
	const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
	let url = template;
	for (const name of names) {
		const value =
			name === 'locationId' ? await getLocationId.call(this) : readPathValue.call(this, name);
		const label = PATH_FIELD_LABELS[name] ?? name;
		if (!value) {
			throw itemError.call(this, `The "${label}" field is empty`, `Enter the ID to use for "${label}".`);
		}
		if (value === '.' || value === '..') {
			throw itemError.call(this, `The "${label}" field is not a valid ID: "${value}"`);
		}
		url = url.replace(`{${name}}`, encodePathSegment(value));
	}
	requestOptions.url = url;
	requestOptions.baseURL = checkBaseUrl.call(this, requestOptions.baseURL);
	return requestOptions;
}

/** The credential's base URL must be http(s); a trailing slash is dropped. */
function checkBaseUrl(this: IExecuteSingleFunctions, baseUrl: string | undefined): string {
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

/** The credential's base URL without a trailing slash (the API's when empty). */
/** A base URL without surrounding spaces or trailing slashes; empty means production. */
function normalizeBaseUrl(baseUrl: unknown): string {
	return String(baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
}

export function credentialBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	return normalizeBaseUrl(credentials.baseUrl);
}

/**
 * Request helper for code paths outside the declarative routing: list searches (load options)
 * and the polling trigger.
 */
export async function apiRequest(
	this: ILoadOptionsFunctions | IPollFunctions,
	method: 'GET' | 'POST',
	path: string,
	qs: IDataObject = {},
): Promise<IDataObject> {
	const type = credentialType.call(this);
	const credentials = await this.getCredentials(type);
	const baseURL = credentialBaseUrl(credentials);
	return (await this.helpers.httpRequestWithAuthentication.call(this, type, {
		method,
		baseURL,
		url: path,
		qs,
		headers: { ...API_HEADERS },
		json: true,
	})) as IDataObject;
}
