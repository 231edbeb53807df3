import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';
import { CREDENTIAL_TYPE } from '../../../credentials/constants';

/** An ID a request names, for "was not found" messages. */
export interface NamedId {
	/** What the ID stands for, e.g. "Conversation". */
	noun: string;
	value: string;
}

/** Why a request was given up. */
export type GiveUpReason =
	/** Not a failure that retrying can help (4xx other than 429, or a network error that persists). */
	| 'final'
	/** A non-idempotent request (POST) failed after it may have reached the API: it is not sent again. */
	| 'ambiguous'
	/** Every attempt failed. */
	| 'exhausted'
	/** The API asked for a longer wait than the policy's longest. */
	| 'waitTooLong'
	/** The day's requests are used up. */
	| 'dailyLimit'
	/** The execution was cancelled while waiting. */
	| 'cancelled';

/** What a failed request was about: turns the API's status into a message that says what to do. */
export interface ErrorContext {
	/** The credential in use: OAuth2 (Marketplace app) or Private Integration Token. */
	oAuth2: boolean;
	/** The scope the operation needs. */
	scope: string;
	/** False when HighLevel's scope table names no scope for the endpoint (`scope` is then the matching one). */
	scopeListed: boolean;
	locationId?: string;
	/** The ID in the request's path (the thing a 404 is about). */
	subject?: NamedId;
	/** Other IDs the request sends, named by a 404 when the path has none. */
	ids?: NamedId[];
	itemIndex?: number;
	/** Sends of the request, retries included. */
	attempts?: number;
	/** Why the retries stopped, when they did. */
	gaveUp?: GiveUpReason;
	/** The wait the API asked for, when it was longer than the node accepts. */
	waitMs?: number;
	/** The longest single wait the node accepts. */
	maxWaitMs?: number;
	/** The request, for messages about what may have happened: method and path (no query). */
	request?: { method: string; path: string };
	/** The request sends a message (its failure may mean a message went out). */
	sendsMessage?: boolean;
	/** The day's request limit, when the API said it. */
	dailyLimit?: number;
}

/** n8n marks an error whose credential must be reconnected (a refused OAuth2 refresh) this way. */
function isCredentialInvalid(error: unknown): boolean {
	const failure = (error as { failure?: { cause?: unknown } } | undefined)?.failure;
	return failure?.cause === 'credential-invalid';
}

/** Errors this module made: passed on unchanged when they meet the mapping again. */
const mapped = new WeakSet<object>();

/** Bearer tokens and OAuth2 secrets, should an answer or a library message ever echo one. */
export function redact(text: string): string {
	return text
		.replace(/(bearer\s+)[^\s"',;]+/gi, '$1[redacted]')
		.replace(/((?:access_token|refresh_token|client_secret|privateIntegrationToken)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, '$1[redacted]');
}

interface Failure {
	status?: number;
	/** The API's own messages (`message`, string or array; else `error`). */
	apiMessages: string[];
	/** The answer's JSON (or text), without anything of the request. */
	body?: JsonObject;
	/** For failures without an answer (network): n8n's message, description and error code. */
	message?: string;
	description?: string;
	code?: string;
}

function bodyOf(raw: unknown): JsonObject | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	let value: unknown = raw;
	if (
		typeof value !== 'string' &&
		typeof value === 'object' &&
		(Buffer.isBuffer(value) || ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
	) {
		const bytes =
			value instanceof ArrayBuffer
				? Buffer.from(value)
				: Buffer.from((value as Uint8Array).buffer, (value as Uint8Array).byteOffset, (value as Uint8Array).byteLength);
		value = bytes.toString('utf8');
	}
	if (typeof value === 'string') {
		const text = value.trim();
		if (!text) return undefined;
		try {
			value = JSON.parse(text) as unknown;
		} catch {
			return { message: text.slice(0, 1000) };
		}
	}
	if (value && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
	if (typeof value === 'string') return { message: value };
	return undefined;
}

function messagesOf(body: JsonObject | undefined): string[] {
	if (!body) return [];
	const pick = (value: unknown): string[] => {
		if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
		if (Array.isArray(value))
			return value.flatMap((entry) =>
				typeof entry === 'string' || typeof entry === 'number' ? [String(entry)] : pick((entry as IDataObject)?.message),
			);
		return [];
	};
	const messages = pick(body.message);
	if (messages.length) return messages.map(redact);
	const error = body.error;
	if (typeof error === 'string') return [redact(error)];
	if (error && typeof error === 'object') return pick((error as IDataObject).message).map(redact);
	return [];
}

/** What a thrown request error (n8n's, axios's) or an answer read in full says. */
export function failureOf(error: unknown): Failure {
	const source = (error ?? {}) as IDataObject & {
		httpCode?: string | null;
		statusCode?: number;
		cause?: { response?: { status?: number; data?: unknown }; status?: number; code?: string };
		response?: { status?: number; data?: unknown; body?: unknown };
		context?: IDataObject;
		code?: string;
		description?: string;
		message?: string;
	};
	const status = Number(
		source.httpCode ?? source.cause?.response?.status ?? source.response?.status ?? source.statusCode ?? source.cause?.status,
	);
	// n8n's OAuth2 client throws its own error for a refused refresh: `status` and `body` (the token endpoint's answer).
	const oauthClient = source.cause as { body?: unknown } | undefined;
	const raw = source.cause?.response?.data ?? source.response?.data ?? source.response?.body ?? source.context?.data ?? oauthClient?.body;
	const body = bodyOf(raw);
	const code = source.cause?.code ?? (typeof source.code === 'string' ? source.code : undefined);
	return {
		status: Number.isInteger(status) && status >= 100 ? status : undefined,
		apiMessages: messagesOf(body),
		body,
		message: typeof source.message === 'string' ? redact(source.message) : undefined,
		description: typeof source.description === 'string' ? redact(source.description) : undefined,
		code,
	};
}

const quoted = (id: NamedId) => `${id.noun} "${id.value}"`;

function scopeText(context: ErrorContext): string {
	return context.scopeListed
		? `the scope "${context.scope}"`
		: `the scope "${context.scope}" (HighLevel's scope list names none for this endpoint; this is the matching one)`;
}

/** Message and description for an HTTP status, in the words of what to do about it. */
function describeFailure(failure: Failure, context: ErrorContext): { message?: string; description?: string } {
	const said = failure.apiMessages.join('; ');
	const apiSays = said ? ` The API says: ${said}` : '';
	switch (failure.status) {
		case 401:
			return context.oAuth2
				? {
						message: 'The token was refused (401): reconnect the OAuth2 account',
						description: `n8n refreshes an expired access token by itself, so the connection itself is no longer valid (the app was uninstalled, its scopes changed, or the refresh token was revoked). Open the credential and click "Reconnect".${apiSays}`,
					}
				: {
						message: 'The token was refused (401): the Private Integration Token is wrong, revoked or expired',
						description: `Create a new token in the sub-account (Settings → Private Integrations) and paste it into the credential, complete and without spaces.${apiSays}`,
					};
		case 403: {
			const location = context.locationId ? `location "${context.locationId}"` : 'this location';
			return {
				message: `Access denied (403): this operation needs ${scopeText(context)}, or the token has no access to ${location}`,
				description: `Add "${context.scope}" to the ${context.oAuth2 ? "Marketplace app's scopes and the credential's Scope field, then reconnect the credential" : "Private Integration's scopes"}; or use a token issued for ${location}, or correct the Location ID.${apiSays}`,
			};
		}
		case 404: {
			if (context.subject) {
				return {
					message: `${quoted(context.subject)} was not found (404)`,
					description: `Check the ID${context.locationId ? ` and that it belongs to location "${context.locationId}"` : ''}.${apiSays}`,
				};
			}
			const ids = (context.ids ?? []).map(quoted);
			return {
				message: ids.length ? `Not found (404): check ${ids.join(', ')}` : 'Not found (404)',
				description: `An ID this request names does not exist${context.locationId ? ` in location "${context.locationId}"` : ''}.${apiSays}`,
			};
		}
		case 400:
		case 422:
			return {
				message: said ? `The API refused the request (${failure.status}): ${said}` : `The API refused the request (${failure.status})`,
				description: said || undefined,
			};
		case 429:
			return rateLimitText(context, apiSays);
		default:
			if (failure.status !== undefined && failure.status >= 500 && (context.attempts ?? 1) > 1) {
				return {
					message: `The API failed (${failure.status}) on all ${context.attempts} attempts`,
					description: `Each attempt waited longer than the one before. HighLevel may be having trouble: try again later, or raise "Max Attempts" under "Rate Limit and Retries".${apiSays}`,
				};
			}
			// Other statuses keep n8n's own wording; the API's message becomes the description.
			return { description: said || undefined };
	}
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function rateLimitText(context: ErrorContext, apiSays: string): { message: string; description: string } {
	if (context.gaveUp === 'dailyLimit') {
		const limit = context.dailyLimit ? ` of ${context.dailyLimit.toLocaleString('en-US')} requests` : '';
		return {
			message: `The daily request limit${limit} of this app and sub-account is used up (429)`,
			description: `The API did not carry out the request. HighLevel counts requests per app and sub-account per day; run this again once the limit has reset.${apiSays}`,
		};
	}
	if (context.gaveUp === 'waitTooLong' && context.waitMs !== undefined) {
		return {
			message: `Rate limit reached (429): the API asks to wait ${seconds(context.waitMs)}, longer than "Max Wait" (${seconds(context.maxWaitMs ?? 0)})`,
			description: `The request was not processed. Raise "Max Wait" under "Rate Limit and Retries", or run this later.${apiSays}`,
		};
	}
	return {
		message: `Rate limit reached (429) on all ${context.attempts ?? 1} attempts`,
		description: `The request was not processed. The node waited as the API asked before each attempt; other workflows or apps using this sub-account share its limit. Raise "Max Attempts" under "Rate Limit and Retries", or run fewer items at once.${apiSays}`,
	};
}

/**
 * A request that must not be sent twice (POST) failed after it may have reached the API: say so,
 * name the item, and what to check.
 */
function ambiguousText(failure: Failure, context: ErrorContext): { message: string; description: string } {
	const what = context.sendsMessage ? 'The message may or may not have been sent' : 'The request may or may not have been carried out';
	const item = context.itemIndex !== undefined ? ` (item index ${context.itemIndex})` : '';
	const why =
		failure.status !== undefined
			? `the API answered ${failure.status}`
			: `the connection failed after the request was sent${failure.code ? ` (${failure.code})` : ''}`;
	const request = context.request ? `${context.request.method} ${context.request.path}` : 'The request';
	const said = failure.apiMessages.join('; ');
	return {
		message: `${what}${item}: ${why}`,
		description: `${request} was not sent again, so that nothing happens twice. Check ${context.sendsMessage ? 'the conversation' : 'the result'} before running this item again.${said ? ` The API says: ${said}` : ''}`,
	};
}

/**
 * HighLevel's two refusals of a token, which it answers with `{statusCode: 400, message}` and not
 * OAuth's `error: "invalid_grant"` (so n8n does not recognise them): "Invalid grant" (the refresh
 * token is used, expired or unknown: the credential must be reconnected) and "Location is not
 * active" (the sub-account is paused or unpaid: the same refresh token works again later).
 */
export type TokenRefusal = 'invalidGrant' | 'locationNotActive' | 'refreshRefused';

/** The refusals behind the errors tokenRefusalError made (they are passed on unchanged). */
const refusals = new WeakMap<object, TokenRefusal>();

export function tokenRefusalOf(error: unknown): TokenRefusal | undefined {
	if (!error || typeof error !== 'object') return undefined;
	const known = refusals.get(error);
	if (known) return known;
	const said = failureOf(error).apiMessages.join(' ');
	if (/\binvalid grant\b/i.test(said)) return 'invalidGrant';
	if (/\blocation is not active\b/i.test(said)) return 'locationNotActive';
	// n8n 1.x drops the token endpoint's answer: its OAuth2 client's "HTTP status 400" is all that is left.
	const failure = failureOf(error);
	if (failure.status === 400 && !said && /^HTTP status 400$/.test(failure.description ?? '')) return 'refreshRefused';
	return undefined;
}

/** The credential as n8n's own "needs to be reconnected" error names it. */
function credentialLabel(node: INode): string {
	const name = node.credentials?.[CREDENTIAL_TYPE.marketplaceApp]?.name;
	return name ? `"${name}"` : `of type "${CREDENTIAL_TYPE.marketplaceApp}"`;
}

/**
 * The error of a token refusal, saying what to do: reconnect the named credential (n8n's words),
 * or wait for the sub-account to be active again with the connection kept. Final: never retried.
 */
export function tokenRefusalError(node: INode, refusal: TokenRefusal, context: { locationId?: string; itemIndex?: number }): NodeApiError {
	const reconnect = refusal === 'invalidGrant';
	const location = context.locationId ? ` "${context.locationId}"` : '';
	const texts: Record<TokenRefusal, { said: string; message: string; description: string }> = {
		invalidGrant: {
			said: 'Invalid grant: refresh token is invalid',
			message: `The credential ${credentialLabel(node)} needs to be reconnected: HighLevel refused to refresh its token (Invalid grant)`,
			description: `The refresh token is invalid, expired or was already used (HighLevel's refresh tokens work once: another n8n instance or app using the same connection may have used it). Open the credential and click "Reconnect". The API says: Invalid grant: refresh token is invalid`,
		},
		locationNotActive: {
			said: 'Location is not active',
			message: `The sub-account${location} is not active (paused or unpaid): HighLevel gives no token for it until it is active again`,
			description: `The connection is kept: do not reconnect it. Once the sub-account is active again (unpaused, or its billing settled in the agency), the same credential works again: run this again then. The API says: Location is not active`,
		},
		refreshRefused: {
			said: 'HTTP status 400',
			message: `HighLevel refused to refresh the token of the credential ${credentialLabel(node)} (400)`,
			description: `This n8n version does not show HighLevel's reason. If the sub-account${location} is paused or unpaid ("Location is not active"), the connection is kept: run this again once it is active. Otherwise ("Invalid grant": the refresh token was used or revoked) open the credential and click "Reconnect".`,
		},
	};
	const { said, message, description } = texts[refusal];
	const result = new NodeApiError(
		node,
		{ statusCode: 400, message: said },
		{
			message,
			description,
			httpCode: '400',
			itemIndex: context.itemIndex,
			...(reconnect ? { failure: { cause: 'credential-invalid' as const } } : {}),
		},
	);
	mapped.add(result);
	refusals.set(result, refusal);
	return result;
}

/**
 * The n8n error for a failed request: a NodeApiError built only from the status and the API's
 * answer, so that no request option (headers, token) travels with it. Errors of the node itself
 * (NodeOperationError) and errors already mapped pass through unchanged.
 */
export function apiErrorFor(node: INode, error: unknown, context: ErrorContext): Error {
	if (isMappedError(error)) return error as Error;
	const refusal = tokenRefusalOf(error);
	if (refusal) return tokenRefusalError(node, refusal, context);
	// n8n's own "reconnect" error: the OAuth2 refresh after a 401 was refused (e.g. invalid_grant).
	const reconnect = isCredentialInvalid(error);
	if (error instanceof NodeOperationError && !reconnect) return error;
	const failure: Failure = reconnect
		? { status: 401, apiMessages: [] }
		: context.gaveUp === 'dailyLimit' && error === undefined
			? { status: 429, apiMessages: [] }
			: failureOf(error);
	let result: NodeApiError;
	if (context.gaveUp === 'ambiguous') {
		const { message, description } = ambiguousText(failure, context);
		// No `code` here: NodeApiError would replace the message with its own for connection errors.
		const response: JsonObject =
			failure.status !== undefined ? { statusCode: failure.status, ...(failure.body ? { body: failure.body } : {}) } : { message };
		result = new NodeApiError(node, response, {
			message,
			description,
			...(failure.status !== undefined ? { httpCode: String(failure.status) } : {}),
			itemIndex: context.itemIndex,
		});
		// NodeApiError swaps a message naming a connection error code (ECONNRESET) for its own.
		result.message = message;
	} else if (failure.status === undefined) {
		// No answer (network, timeout): n8n's message, without the request it carried.
		const attempts = (context.attempts ?? 1) > 1 ? ` (${context.attempts} attempts)` : '';
		result = new NodeApiError(
			node,
			{ message: failure.message ?? 'The request failed', ...(failure.code ? { code: failure.code } : {}) },
			{ message: `${failure.message ?? 'The request failed'}${attempts}`, description: failure.description, itemIndex: context.itemIndex },
		);
	} else {
		const { message, description } = describeFailure(failure, context);
		const response: JsonObject = { statusCode: failure.status, ...(failure.body ? { body: failure.body } : {}) };
		if (failure.apiMessages.length) response.message = failure.apiMessages.join('; ');
		result = new NodeApiError(node, response, {
			message,
			description,
			httpCode: String(failure.status),
			itemIndex: context.itemIndex,
			...(failure.status === 401 ? { failure: { cause: 'credential-invalid' as const } } : {}),
		});
	}
	mapped.add(result);
	return result;
}

/** Whether an error was made by this module (and is passed on unchanged). */
export function isMappedError(error: unknown): boolean {
	return !!error && typeof error === 'object' && mapped.has(error);
}

/** A failure of the node itself for the current item (bad input): names the field, keeps the item index. */
export function itemError(this: IExecuteSingleFunctions, message: string, description?: string): NodeOperationError {
	return new NodeOperationError(this.getNode(), message, {
		itemIndex: this.getItemIndex(),
		description,
	});
}

/**
 * Removes `secrets` from every string a failed request's error holds (its answer, its request
 * options), should the API echo a token: the error is read later to build the node's error.
 */
export function scrubSecrets(value: unknown, secrets: string[], seen = new WeakSet<object>(), depth = 0): unknown {
	if (typeof value === 'string') return secrets.reduce((text, secret) => (secret ? text.split(secret).join('[redacted]') : text), value);
	if (!value || typeof value !== 'object' || seen.has(value) || depth > 8 || Buffer.isBuffer(value)) return value;
	seen.add(value);
	for (const key of Object.getOwnPropertyNames(value)) {
		const descriptor = Object.getOwnPropertyDescriptor(value, key);
		if (!descriptor || !('value' in descriptor) || !descriptor.writable) continue;
		const cleaned = scrubSecrets(descriptor.value, secrets, seen, depth + 1);
		if (cleaned !== descriptor.value) (value as Record<string, unknown>)[key] = cleaned;
	}
	return value;
}
