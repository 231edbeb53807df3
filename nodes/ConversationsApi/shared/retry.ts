import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';
import { rateLimitAndRetriesField } from './descriptions';
import { failureOf, isMappedError, type GiveUpReason } from './errors';
import type { RateLimitHeaders } from './rateLimit';

/** How requests are paced and retried (the action node's "Rate Limit and Retries" options). */
export interface RetryPolicy {
	/** Wait for the rate-limit budget before each request. */
	pace: boolean;
	/** Sends of one request at most, the first included. */
	maxAttempts: number;
	/** First backoff after a server or network error; it doubles with each attempt. */
	retryWaitMs: number;
	/** The longest single wait (Retry-After or backoff) the node accepts before giving up. */
	maxWaitMs: number;
}

/** The default of one of the "Rate Limit and Retries" options (the field is where they are written). */
function optionDefault(name: string): number | boolean {
	const option = rateLimitAndRetriesField.options?.find((candidate) => candidate.name === name) as INodeProperties | undefined;
	return option?.default as number | boolean;
}

/** The policy of the "Rate Limit and Retries" options as they are by default. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	pace: optionDefault('paceRequests') as boolean,
	maxAttempts: optionDefault('maxAttempts') as number,
	retryWaitMs: optionDefault('retryWaitMs') as number,
	maxWaitMs: (optionDefault('maxWaitSeconds') as number) * 1000,
};

/** The policy of an item's "Rate Limit and Retries" options: each one set overrides its default. */
export function retryPolicyOf(options: IDataObject): RetryPolicy {
	const number = (value: unknown, fallback: number, min: number) => {
		const parsed = Number(value);
		return value === undefined || value === null || value === '' || !Number.isFinite(parsed) ? fallback : Math.max(min, parsed);
	};
	return {
		pace: options.paceRequests !== false,
		maxAttempts: Math.floor(number(options.maxAttempts, DEFAULT_RETRY_POLICY.maxAttempts, 1)),
		retryWaitMs: number(options.retryWaitMs, DEFAULT_RETRY_POLICY.retryWaitMs, 0),
		maxWaitMs: number(options.maxWaitSeconds, DEFAULT_RETRY_POLICY.maxWaitMs / 1000, 0) * 1000,
	};
}

/** Methods that may be sent twice with the effect of once. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** Network failures worth another attempt. */
const TRANSIENT_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);
/** Failures before a connection existed: the request cannot have reached the API. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND']);

/** A request given up: the last failure (`cause`), why, and after how many sends. */
export class GaveUp extends Error {
	constructor(
		readonly cause: unknown,
		readonly reason: GiveUpReason,
		readonly attempts: number,
		readonly waitMs?: number,
	) {
		super(`request given up (${reason})`);
	}
}

/** The headers of a failed answer, when the error carries them. */
export function failureHeaders(error: unknown): unknown {
	const source = error as { cause?: { response?: { headers?: unknown } }; response?: { headers?: unknown } } | undefined;
	return source?.cause?.response?.headers ?? source?.response?.headers;
}

/** Backoff before attempt `attempt + 1`: doubling from `retryWaitMs`, with "equal jitter" (half fixed, half random). */
function backoffMs(policy: RetryPolicy, attempt: number): number {
	const ceiling = Math.min(policy.maxWaitMs, policy.retryWaitMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** What one failed send was: the request's method and attempt, and what the answer said. */
export interface FailedSend {
	method: string;
	/** Sends of this request so far, this one included. */
	attempt: number;
	policy: RetryPolicy;
	/** The answer's rate-limit headers, if any. */
	headers?: RateLimitHeaders;
	/** The rate budget's interval: a 429 without Retry-After waits that long. */
	intervalMs?: number;
	signal?: AbortSignal;
}

/** What to do after a failed send: give up (why), or send again after `waitMs`. */
export type RetryStep =
	| { retry: false; reason: GiveUpReason; waitMs?: number }
	| {
			retry: true;
			waitMs: number;
			/** A 429: every request of the budget waits, not only this one. */
			pauseBudget: boolean;
			status?: number;
			code?: string;
	  };

/**
 * Whether a failed request is sent again, and after how long:
 * - 429, for every method (the API did not process it): after Retry-After, else the interval,
 *   and the whole budget waits (the other items' requests would only meet 429 too);
 * - 5xx and network errors, for GET, PUT and DELETE: exponential backoff with jitter;
 * - a POST that may have reached the API (5xx, a connection lost after sending) is never sent
 *   again; only failures before a connection existed are retried for it;
 * - the node's own errors (bad input, a refused OAuth2 refresh) and errors already mapped are final.
 */
export function retryStep(failed: unknown, send: FailedSend): RetryStep {
	if (failed instanceof NodeOperationError || isMappedError(failed)) return { retry: false, reason: 'final' };
	const { policy, headers, attempt } = send;
	const attempts = Math.max(1, Math.floor(policy.maxAttempts));
	const failure = failureOf(failed);
	const code = failure.code;

	if (failure.status === 429) {
		if (headers?.dailyRemaining === 0) return { retry: false, reason: 'dailyLimit' };
		const waitMs = headers?.retryAfterMs ?? headers?.intervalMs ?? send.intervalMs ?? DEFAULT_RETRY_POLICY.retryWaitMs;
		if (waitMs > policy.maxWaitMs) return { retry: false, reason: 'waitTooLong', waitMs };
		if (attempt >= attempts) return { retry: false, reason: 'exhausted' };
		return { retry: true, waitMs, pauseBudget: true, status: 429 };
	}

	const serverError = failure.status !== undefined && failure.status >= 500;
	const networkError = failure.status === undefined && code !== undefined && TRANSIENT_CODES.has(code);
	const notSent = failure.status === undefined && code !== undefined && NOT_SENT_CODES.has(code);
	if (!IDEMPOTENT_METHODS.has(send.method.toUpperCase()) && !notSent && (serverError || failure.status === undefined)) {
		if (code === 'ERR_CANCELED' || send.signal?.aborted) return { retry: false, reason: 'cancelled' };
		return { retry: false, reason: 'ambiguous' };
	}
	if (!serverError && !networkError) return { retry: false, reason: 'final' };
	if (attempt >= attempts) return { retry: false, reason: 'exhausted' };
	const waitMs = Math.max(backoffMs(policy, attempt), Math.min(headers?.retryAfterMs ?? 0, policy.maxWaitMs));
	return { retry: true, waitMs, pauseBudget: false, status: failure.status, code };
}
