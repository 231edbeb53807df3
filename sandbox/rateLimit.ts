/**
 * HighLevel's rate limits: per token, a burst limit over a fixed window that starts with the
 * window's first request, and a daily limit. Every answer carries the X-RateLimit-* headers.
 * Two harsher variants for adversarial tests and benchmarks: a sliding window (any `max`
 * requests within `intervalMs`), and an API that counts refused requests against the limit too.
 */

export interface RateLimitOptions {
	max: number;
	intervalMs: number;
	daily?: number;
	/** A sliding window: a request is allowed when fewer than `max` counted ones arrived in the last `intervalMs`. */
	sliding?: boolean;
	/** Refused requests (429) count against the burst limit too, as accepted ones do. */
	countRefused?: boolean;
}

export const DEFAULT_RATE_LIMIT: Required<Pick<RateLimitOptions, 'max' | 'intervalMs' | 'daily'>> = {
	max: 100,
	intervalMs: 10_000,
	daily: 200_000,
};

const DAY_MS = 24 * 60 * 60 * 1000;

interface Bucket {
	windowStart: number;
	count: number;
	/** Sliding window: arrival times of the counted requests of the last interval, oldest first. */
	log: number[];
	dayStart: number;
	dayCount: number;
}

export interface RateLimitResult {
	allowed: boolean;
	headers: Record<string, string>;
	/** Seconds until a refused request may be retried. */
	retryAfter?: number;
}

export class RateLimiter {
	private readonly buckets = new Map<string, Bucket>();
	readonly max: number;
	readonly intervalMs: number;
	readonly daily: number;
	readonly sliding: boolean;
	readonly countRefused: boolean;

	constructor(
		options: RateLimitOptions,
		private readonly now: () => number,
	) {
		this.max = options.max;
		this.intervalMs = options.intervalMs;
		this.daily = options.daily ?? DEFAULT_RATE_LIMIT.daily;
		this.sliding = options.sliding ?? false;
		this.countRefused = options.countRefused ?? false;
	}

	/** Counts one request of `key` (the token) and says whether it may be answered. */
	hit(key: string): RateLimitResult {
		const now = this.now();
		let bucket = this.buckets.get(key);
		if (!bucket) {
			bucket = { windowStart: now, count: 0, log: [], dayStart: now, dayCount: 0 };
			this.buckets.set(key, bucket);
		}
		if (this.sliding) {
			while (bucket.log.length && (bucket.log[0] <= now - this.intervalMs || bucket.log[0] > now)) bucket.log.shift();
			bucket.count = bucket.log.length;
			bucket.windowStart = bucket.log[0] ?? now;
		} else if (now >= bucket.windowStart + this.intervalMs || now < bucket.windowStart) {
			bucket.windowStart = now;
			bucket.count = 0;
		}
		if (now >= bucket.dayStart + DAY_MS || now < bucket.dayStart) {
			bucket.dayStart = now;
			bucket.dayCount = 0;
		}
		const burstExceeded = bucket.count >= this.max;
		const dailyExceeded = bucket.dayCount >= this.daily;
		if ((!burstExceeded && !dailyExceeded) || this.countRefused) {
			bucket.count++;
			bucket.dayCount++;
			if (this.sliding) bucket.log.push(now);
		}
		const headers = {
			'x-ratelimit-max': String(this.max),
			'x-ratelimit-remaining': String(Math.max(0, this.max - bucket.count)),
			'x-ratelimit-interval-milliseconds': String(this.intervalMs),
			'x-ratelimit-limit-daily': String(this.daily),
			'x-ratelimit-daily-remaining': String(Math.max(0, this.daily - bucket.dayCount)),
		};
		if (!burstExceeded && !dailyExceeded) return { allowed: true, headers };
		const until = dailyExceeded ? bucket.dayStart + DAY_MS : bucket.windowStart + this.intervalMs;
		return { allowed: false, headers, retryAfter: Math.max(1, Math.ceil((until - now) / 1000)) };
	}

	reset(): void {
		this.buckets.clear();
	}
}
