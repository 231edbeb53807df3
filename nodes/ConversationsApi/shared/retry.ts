import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';
import { rateLimitAndRetriesField } from './descriptions';
import { failureOf, isMappedError, type GiveUpReason } from './errors';
import { readRateLimitHeaders, waitFor, type RateBudget } from './rateLimit';

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

function headersOf(error: unknown): unknown {
	const source = error as { cause?: { response?: { headers?: unknown } }; response?: { headers?: unknown } } | undefined;
	return source?.cause?.response?.headers ?? source?.response?.headers;
}

/** Backoff before attempt `attempt + 1`: doubling from `retryWaitMs`, with "equal jitter" (half fixed, half random). */
function backoffMs(policy: RetryPolicy, attempt: number): number {
	const ceiling = Math.min(policy.maxWaitMs, policy.retryWaitMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export interface RetryRequest<T> {
	method: string;
	/** The budget of the token and location; none, no pacing. */
	budget?: RateBudget;
	policy: RetryPolicy;
	signal?: AbortSignal;
	/** Sends the request once: its result and the answer's headers. */
	send: () => Promise<{ result: T; headers?: unknown }>;
	/** The headers of a failed answer when the error does not carry them. */
	failureHeaders?: () => unknown;
	/** Told of every retry: what failed and how long it waits. */
	onRetry?: (info: { attempt: number; status?: number; code?: string; waitMs: number }) => void;
}

/**
 * Sends a request under the rate-limit budget and retries it where that is safe:
 * - 429, for every method (the API did not process it): every request of the budget waits as
 *   the API says (Retry-After, else the interval), then this one is sent again;
 * - 5xx and network errors, for GET, PUT and DELETE: exponential backoff with jitter;
 * - a POST that may have reached the API (5xx, a connection lost after sending) is never sent
 *   again; only failures before a connection existed are retried for it.
 * Gives up with GaveUp, whose `cause` is the last failure.
 */
export async function sendWithRetries<T>(request: RetryRequest<T>): Promise<T> {
	const { budget, policy } = request;
	const method = request.method.toUpperCase();
	const attempts = Math.max(1, Math.floor(policy.maxAttempts));
	for (let attempt = 1; ; attempt++) {
		const slot = budget ? await budget.take(policy.pace, request.signal) : 0;
		if (typeof slot !== 'number') throw new GaveUp(undefined, slot, attempt - 1);
		const sequence = slot;
		let failed: unknown;
		try {
			const { result, headers } = await request.send();
			budget?.observe(readRateLimitHeaders(headers), sequence, true);
			return result;
		} catch (error) {
			failed = error;
		}

		// The node's own errors (bad input, a refused OAuth2 refresh) and errors already mapped are final.
		if (failed instanceof NodeOperationError || isMappedError(failed)) {
			budget?.observe(undefined, sequence, false);
			throw new GaveUp(failed, 'final', attempt);
		}
		const failure = failureOf(failed);
		const headers = readRateLimitHeaders(headersOf(failed) ?? request.failureHeaders?.());
		budget?.observe(headers, sequence, failure.status !== undefined, failure.status === 429);
		const code = failure.code;

		if (failure.status === 429) {
			if (headers?.dailyRemaining === 0) throw new GaveUp(failed, 'dailyLimit', attempt);
			const waitMs = headers?.retryAfterMs ?? headers?.intervalMs ?? budget?.intervalMs ?? DEFAULT_RETRY_POLICY.retryWaitMs;
			if (waitMs > policy.maxWaitMs) throw new GaveUp(failed, 'waitTooLong', attempt, waitMs);
			if (attempt >= attempts) throw new GaveUp(failed, 'exhausted', attempt);
			request.onRetry?.({ attempt, status: 429, waitMs });
			// The whole budget waits: the other items' requests would only meet 429 too.
			if (budget) budget.pause(waitMs);
			else if (!(await waitFor(waitMs, request.signal))) throw new GaveUp(failed, 'cancelled', attempt);
			continue;
		}

		const serverError = failure.status !== undefined && failure.status >= 500;
		const networkError = failure.status === undefined && code !== undefined && TRANSIENT_CODES.has(code);
		const notSent = failure.status === undefined && code !== undefined && NOT_SENT_CODES.has(code);
		if (!IDEMPOTENT_METHODS.has(method) && !notSent && (serverError || failure.status === undefined)) {
			if (code === 'ERR_CANCELED' || request.signal?.aborted) throw new GaveUp(failed, 'cancelled', attempt);
			throw new GaveUp(failed, 'ambiguous', attempt);
		}
		if (!serverError && !networkError) throw new GaveUp(failed, 'final', attempt);
		if (attempt >= attempts) throw new GaveUp(failed, 'exhausted', attempt);
		const waitMs = Math.max(backoffMs(policy, attempt), Math.min(headers?.retryAfterMs ?? 0, policy.maxWaitMs));
		request.onRetry?.({ attempt, status: failure.status, code, waitMs });
		if (!(await waitFor(waitMs, request.signal))) throw new GaveUp(failed, 'cancelled', attempt);
	}
}
