import { sleep } from 'n8n-workflow';
import { RATE_LIMIT } from './constants';

/**
 * Time as pacing and retries see it. Tests swap in a virtual clock so that waits of seconds take
 * none; nothing else changes it.
 */
export const clock = {
	now: (): number => Date.now(),
	sleep: async (ms: number): Promise<void> => await sleep(ms),
};

/** What the API's rate-limit headers (and Retry-After) say about one answer. */
export interface RateLimitHeaders {
	max?: number;
	remaining?: number;
	intervalMs?: number;
	dailyLimit?: number;
	dailyRemaining?: number;
	/** Retry-After, in milliseconds. */
	retryAfterMs?: number;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	const first = Array.isArray(value) ? (value[0] as unknown) : value;
	return first === undefined || first === null ? undefined : String(first).trim();
}

function count(headers: Record<string, unknown>, name: string): number | undefined {
	const text = headerValue(headers, name);
	if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) return undefined;
	return Number(text);
}

/** Retry-After as seconds (digits, fractions tolerated) or an HTTP date, in milliseconds from `now`. */
function retryAfterMs(headers: Record<string, unknown>, now: number): number | undefined {
	const text = headerValue(headers, 'retry-after');
	if (!text) return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** The rate-limit facts of an answer's headers; undefined when it carries none of them. */
export function readRateLimitHeaders(headers: unknown, now = clock.now()): RateLimitHeaders | undefined {
	if (!headers || typeof headers !== 'object') return undefined;
	const source = headers as Record<string, unknown>;
	const facts: RateLimitHeaders = {
		max: count(source, 'x-ratelimit-max'),
		remaining: count(source, 'x-ratelimit-remaining'),
		intervalMs: count(source, 'x-ratelimit-interval-milliseconds'),
		dailyLimit: count(source, 'x-ratelimit-limit-daily'),
		dailyRemaining: count(source, 'x-ratelimit-daily-remaining'),
		retryAfterMs: retryAfterMs(source, now),
	};
	return Object.values(facts).some((value) => value !== undefined) ? facts : undefined;
}

/** Long waits are slept in steps, so that a cancelled execution stops waiting soon. */
const WAIT_STEP_MS = 1000;
/** After the API said the day's requests are used up, how long before asking again. */
const DAILY_RECHECK_MS = 5 * 60 * 1000;

/** Waits `ms`, in steps; false when `signal` aborted meanwhile (the wait then ends early). */
export async function waitFor(ms: number, signal?: AbortSignal): Promise<boolean> {
	const until = clock.now() + ms;
	for (let left = ms; left > 0; left = until - clock.now()) {
		if (signal?.aborted) return false;
		await clock.sleep(Math.min(left, WAIT_STEP_MS));
	}
	return !signal?.aborted;
}

/** Why `take` gave no slot: the day's requests are used up, or the execution was cancelled. */
export type NoSlot = 'dailyLimit' | 'cancelled';

/**
 * The request budget of one token and sub-account, shared by every item, page and run of this
 * n8n process that uses it. Two bounds, the stricter wins:
 * - our own sends over the last interval (a sliding window, a little wider than the API's, since
 *   a request arrives after it is sent), at most the API's `max`;
 * - what the API's `X-RateLimit-Remaining` said, less what was sent after the answered request:
 *   the API counts every process that uses the token (n8n queue-mode workers too), so when it says
 *   less than we think, it is right.
 * A 429 pauses every request of the budget for as long as the API asks.
 */
export class RateBudget {
	max: number = RATE_LIMIT.max;
	intervalMs: number = RATE_LIMIT.intervalMs;
	/** The API answered without rate-limit headers: it enforces no limit this process can see. */
	unlimited = false;
	dailyLimit?: number;
	/** The API's last word on the day's requests left, and when it said it. */
	private daily?: { remaining: number; at: number };
	/** Send times within the last window, oldest first. */
	private readonly sent: number[] = [];
	/** Sends so far; each send gets the next number. */
	private sequence = 0;
	private server?: { remaining: number; until: number };
	private pausedUntil = 0;
	private probe?: { answered: Promise<void>; release: () => void };
	/** Waiters are served one at a time, first come first served. */
	private queue: Promise<unknown> = Promise.resolve();
	lastUsed = 0;
	/** Requests sent and not answered yet. */
	inFlight = 0;

	private windowMs(): number {
		// Arrival jitter: a request sent just after our window ends may reach the API just before its own does.
		return this.intervalMs + Math.max(20, Math.round(this.intervalMs * 0.02));
	}

	/** How long the next send must wait; 0 when it may go now. */
	waitMs(now: number): number {
		let wait = this.pausedUntil - now;
		if (this.unlimited) return wait;
		const window = this.windowMs();
		while (this.sent.length && this.sent[0] <= now - window) this.sent.shift();
		if (this.sent.length >= this.max) wait = Math.max(wait, this.sent[this.sent.length - this.max] + window - now);
		if (this.server) {
			if (now >= this.server.until) this.server = undefined;
			else if (this.server.remaining <= 0) wait = Math.max(wait, this.server.until - now);
		}
		return wait;
	}

	/**
	 * Waits until a request may be sent and counts it as sent. Resolves to the send's number, which
	 * `observe` needs, or to why no request may go (the API said the day's requests are used up, or
	 * `signal` aborted).
	 */
	async take(pace = true, signal?: AbortSignal): Promise<number | NoSlot> {
		const turn = this.queue.then(async (): Promise<number | NoSlot> => {
			for (;;) {
				if (signal?.aborted) return 'cancelled';
				const now = clock.now();
				if (this.dailyLimitReached(now)) return 'dailyLimit';
				if (pace && this.probe) {
					// The API's answer to the probe tells what is left: wait for it rather than guess.
					await this.probe.answered;
					continue;
				}
				const wait = pace ? this.waitMs(now) : this.pausedUntil - now;
				if (wait <= 0) {
					const sequence = this.record(now);
					if (pace && !this.unlimited && !this.server) this.startProbe();
					return sequence;
				}
				await clock.sleep(Math.min(wait, WAIT_STEP_MS));
			}
		});
		this.queue = turn;
		return await turn;
	}

	private record(now: number): number {
		this.lastUsed = now;
		this.inFlight++;
		this.sent.push(now);
		if (this.sent.length > this.max * 2) this.sent.splice(0, this.sent.length - this.max * 2);
		if (this.server) this.server.remaining--;
		return ++this.sequence;
	}

	/** What the answer to send number `sequence` said. `answered` is false for errors without an answer. */
	observe(headers: RateLimitHeaders | undefined, sequence: number, answered = true): void {
		const now = clock.now();
		this.inFlight = Math.max(0, this.inFlight - 1);
		this.endProbe();
		if (!headers) {
			// Only a successful answer without headers shows there is no limit to see; a gateway's 5xx says nothing.
			if (answered) this.unlimited = true;
			return;
		}
		this.unlimited = false;
		if (headers.max !== undefined && headers.max > 0) this.max = headers.max;
		if (headers.intervalMs !== undefined && headers.intervalMs > 0) this.intervalMs = headers.intervalMs;
		// Sends made after this request may not have been counted yet when the API answered it.
		const later = Math.max(0, this.sequence - sequence);
		if (headers.remaining !== undefined) {
			this.server = { remaining: headers.remaining - later, until: now + this.intervalMs };
		}
		if (headers.dailyLimit !== undefined) this.dailyLimit = headers.dailyLimit;
		if (headers.dailyRemaining !== undefined) this.daily = { remaining: headers.dailyRemaining, at: now };
	}

	/**
	 * With no current word from the API (the first request, or the last answer's window is over),
	 * other processes may have used the budget: the request just sent goes alone, and the others
	 * wait for its answer (any answer, or its failure, ends the wait).
	 */
	private startProbe(): void {
		let release = () => {};
		const answered = new Promise<void>((resolve) => (release = resolve));
		this.probe = { answered, release };
	}

	private endProbe(): void {
		this.probe?.release();
		this.probe = undefined;
	}

	/**
	 * A 429: no request of this budget goes out for `waitMs`, plus a little jitter (up to 10%, at
	 * most 1 s), so that processes stopped by the same window do not all come back at once.
	 */
	pause(waitMs: number): void {
		const now = clock.now();
		const jitter = Math.round(Math.random() * Math.min(1000, waitMs * 0.1));
		this.pausedUntil = Math.max(this.pausedUntil, now + waitMs + jitter);
		this.server = { remaining: 0, until: this.pausedUntil };
	}

	/**
	 * True when the API last said the day's requests are used up. The API names no reset time, so
	 * after a while one request goes out again to ask.
	 */
	private dailyLimitReached(now: number): boolean {
		return this.daily !== undefined && this.daily.remaining <= 0 && now - this.daily.at < DAILY_RECHECK_MS;
	}
}

const budgets = new Map<string, RateBudget>();
/** Budgets unused this long are dropped (their windows are long over). */
const IDLE_MS = 60 * 60 * 1000;

/** The budget of a token and sub-account (`key`), created on first use. */
export function rateBudget(key: string): RateBudget {
	let budget = budgets.get(key);
	if (!budget) {
		const now = clock.now();
		for (const [other, entry] of budgets) if (now - entry.lastUsed > IDLE_MS) budgets.delete(other);
		budget = new RateBudget();
		budget.lastUsed = now;
		budgets.set(key, budget);
	}
	return budget;
}

/** Requests of every budget sent and not answered yet (tests hold virtual time still meanwhile). */
export function requestsInFlight(): number {
	let count = 0;
	for (const budget of budgets.values()) count += budget.inFlight;
	return count;
}

/** Forgets every budget (a fresh process, for tests). */
export function resetRateBudgets(): void {
	budgets.clear();
}
