import { RATE_LIMIT } from './constants';
import * as time from './time';

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
export function readRateLimitHeaders(headers: unknown, now = time.now()): RateLimitHeaders | undefined {
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
	const until = time.now() + ms;
	for (let left = ms; left > 0; left = until - time.now()) {
		if (signal?.aborted) return false;
		await time.sleep(Math.min(left, WAIT_STEP_MS));
	}
	return !signal?.aborted;
}

/** Why `take` gave no slot: the day's requests are used up, or the execution was cancelled. */
export type NoSlot = 'dailyLimit' | 'cancelled';

/** The API's current window as this process sees it through the headers of its own answers. */
interface ServerWindow {
	/**
	 * When the window began, at the latest: the time of the first answer this process got in it
	 * (a request counted in the window arrived after it began). When that answer opened the window
	 * (`X-RateLimit-Remaining` = max - 1), it is exact to within one round trip.
	 */
	start: number;
	/** The API's `X-RateLimit-Remaining` in the answer to send `seq`, the latest-sent one answered. */
	reported: number;
	seq: number;
}

/** A decision of the budget: send now (with this number), or wait so long ('answer': for the next answer). */
export type Claim = { sequence: number } | { waitMs: number | 'answer' };

/** What the headers showed between two of this process's answers: its own counted sends and everybody else's. */
interface Usage {
	at: number;
	own: number;
	others: number;
}

/**
 * Of a window's requests, the share after which a process sharing the limit with others spreads
 * the rest: they go no faster than the remaining ones spread up to this point of the window.
 */
const SPREAD_UNTIL = 0.3;
/** Others' requests in the last interval below which this process counts itself alone (noise of reordered answers). */
const OTHERS_NOISE = 2;
/** How many of this process's latest sends its share of the rest is judged by. */
const LATEST_OWN = 10;
/**
 * Under a sliding window, the part of the limit left free: a process that joins finds room (its
 * requests are accepted, so the others see it in the headers) instead of a window that is never free.
 */
const SLIDING_RESERVE = 0.05;
/**
 * Under a sliding window, while others share the limit, the part of its freed places a process
 * does not take again at once: they go to whoever asks first, one request at a time each, so the
 * shares even out over a few windows.
 */
const SLIDING_YIELD = 0.3;

/**
 * The request budget of one token and sub-account, shared by every item, page and run of this
 * n8n process that uses it. It follows the API's window, which counts every process using the
 * token (n8n queue-mode workers too), through the X-RateLimit-* headers:
 * - the window reopens one interval after it began; it began no later than this process's first
 *   answer counted in it (not its latest answer, which would reopen it late);
 * - what is left is the API's `X-RateLimit-Remaining`, less what this process sent after the
 *   answered request; when it is 0, requests wait for the window to reopen;
 * - with no current word (the first request, or a window later), one request goes first and the
 *   others wait for its headers;
 * - alone (the remaining count fell only by this process's own sends), requests go as fast as the
 *   answers come back, their number in flight doubling with each answer (so that a process that
 *   appears meanwhile shows in the headers before the window is spent);
 * - sharing the limit (it fell by more: other workers, which this process cannot talk to), what
 *   waits beyond this process's share of what is left (the part of the recent use that was its
 *   own) is spread: the next request goes after (the spreading point - now) / (left + 1), so that
 *   workers that all do so drain the window together, early and evenly, each seeing the others in
 *   its answers before it sends more, instead of bursting into each other;
 * - our own sends over the last interval never exceed `max` (a backstop when headers are thin);
 * - when the count rises more often than a fixed window can reopen, the API counts a sliding window:
 *   then a process keeps its own places as they age out (leaving a reserve free for a process that
 *   joins), gives part of them back while others share the limit, and takes free places beyond its
 *   own one request at a time, so that the shares even out (see `slidingWaitMs`).
 * A 429 pauses every request of the budget (see `pause`).
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
	/** When each request in flight was sent, by send number. */
	private readonly sentAt = new Map<number, number>();
	/** Sends so far; each send gets the next number. */
	private sequence = 0;
	private window?: ServerWindow;
	/** Own and others' counted requests seen over the last interval. */
	private readonly usage: Usage[] = [];
	/** Requests waiting in `take` (this process's demand). */
	private waiting = 0;
	/** Answers in the current window (the slow start's allowance grows with them). */
	private answeredInWindow = 0;
	private lastSent = -Infinity;
	/** 429s since the last counted answer, of requests sent after the previous 429 came back. */
	private refusedInARow = 0;
	private lastRefusedAt = -Infinity;
	private pausedUntil = 0;
	private probe?: { answered: Promise<void>; release: () => void };
	private answer?: { answered: Promise<void>; release: () => void };
	/** Waiters are served one at a time, first come first served. */
	private queue: Promise<unknown> = Promise.resolve();
	lastUsed = 0;
	/** Requests sent and not answered yet. */
	inFlight = 0;
	/** The API counts a sliding window: its count falls as requests age, not all at once. */
	sliding = false;
	/** When the count last rose beyond what our own requests explain (a window reopened, or requests aged out). */
	private lastRiseAt = -Infinity;
	/** Answer times of this process's accepted requests over the last interval, oldest first. */
	private readonly held: number[] = [];
	/** When each of `held` was sent. */
	private readonly heldSent: number[] = [];
	/** The latest-sent answered request's `X-RateLimit-Remaining`, when it came and what it showed of the others. */
	private report?: { reported: number; seq: number; at: number; others: number };
	/** The latest accepted answer's `X-RateLimit-Remaining` (a 429 says nothing of the count's rises). */
	private accepted?: { reported: number; seq: number; at: number };
	/** Own places that aged out of the window since `report`. */
	private freedSinceReport = 0;
	/** Under a sliding window: how many places this process keeps (it shrinks as it yields, grows as it takes free ones). */
	private quota: number = RATE_LIMIT.max;
	/** The request in flight that took a free place beyond the quota, if any (one at a time). */
	private taking?: number;

	/** `now`: the time (a simulation's; the node's clock otherwise). */
	constructor(private readonly now: () => number = () => time.now()) {}

	private backstopMs(): number {
		// Arrival jitter: without the API's window to go by, a request sent just after our window
		// ends may reach the API just before its own does. With it, the estimate has that margin.
		return this.window ? this.intervalMs : this.intervalMs + Math.max(20, Math.round(this.intervalMs * 0.02));
	}

	/** The current window, if it has not reopened yet (by our estimate). */
	private current(now: number): ServerWindow | undefined {
		return this.window && now < this.window.start + this.intervalMs ? this.window : undefined;
	}

	/** What is left of the current window: the API's last word less what was sent after the answered request. */
	private remaining(window: ServerWindow): number {
		return window.reported - (this.sequence - window.seq);
	}

	/** Own and others' counted requests over the last interval. */
	private recentUsage(now: number): { own: number; others: number } {
		while (this.usage.length && this.usage[0].at <= now - this.intervalMs) this.usage.shift();
		let own = 0;
		let others = 0;
		for (const entry of this.usage) {
			own += entry.own;
			others += entry.others;
		}
		return { own, others };
	}

	/** Own and others' counted requests over this process's latest sends (at least LATEST_OWN of them). */
	private latestUsage(): { own: number; others: number } {
		let own = 0;
		let others = 0;
		for (let index = this.usage.length - 1; index >= 0 && own < LATEST_OWN; index--) {
			own += this.usage[index].own;
			others += this.usage[index].others;
		}
		return { own: Math.max(1, own), others };
	}

	/** True when the headers showed other consumers of the limit over the last interval. */
	private shared(now: number): boolean {
		return this.recentUsage(now).others >= OTHERS_NOISE;
	}

	/**
	 * How long the next send must wait; 0 when it may go now; 'answer' when it must wait for an
	 * answer (a probe, or the slow start's allowance in flight).
	 */
	waitMs(now: number, demand = this.waiting): number | 'answer' {
		let wait = this.pausedUntil - now;
		if (this.unlimited) return wait;
		const backstop = this.backstopMs();
		while (this.sent.length && this.sent[0] <= now - backstop) this.sent.shift();
		if (this.sent.length >= this.max) wait = Math.max(wait, this.sent[this.sent.length - this.max] + backstop - now);
		if (wait > 0) return wait;
		if (this.probe) return 'answer';
		if (this.sliding && this.report) return this.slidingWaitMs(now);
		const window = this.current(now);
		if (!window) return 0;
		const end = window.start + this.intervalMs;
		const left = this.remaining(window);
		if (left <= 0) return end - now;
		if (!this.shared(now)) {
			// Alone: as fast as the answers come, the number in flight doubling with each of them.
			return this.inFlight > this.answeredInWindow ? 'answer' : 0;
		}
		// Sharing: what waits beyond this process's share of the rest is spread, the last one well
		// before the window ends. Its share: its part of the use over the last interval, or over its
		// latest sends if smaller (others that were quiet for a moment have not left).
		const recent = this.recentUsage(now);
		const latest = this.latestUsage();
		const part = Math.min(recent.own / (recent.own + recent.others), latest.own / (latest.own + latest.others));
		if (demand <= left * part) return 0;
		const spreadEnd = window.start + this.intervalMs * SPREAD_UNTIL;
		const until = now < spreadEnd ? spreadEnd : end;
		const from = Math.max(this.lastSent, window.start);
		return Math.max(0, from + (until - from) / (left + 1) - now);
	}

	/** Drops own requests that aged out of the window; a process sharing the limit yields part of those places. */
	private age(now: number): void {
		while (this.held.length && this.held[0] <= now - this.intervalMs) {
			this.held.shift();
			const sentAt = this.heldSent.shift()!;
			// Still counted in the latest word only if it reached the API less than an interval before
			// that answer's request did: sure when it was sent less than an interval before that answer.
			if (this.report && sentAt + this.intervalMs >= this.report.at) this.freedSinceReport++;
			if ((this.report?.others ?? 0) >= OTHERS_NOISE) this.quota = Math.max(1, this.quota - SLIDING_YIELD);
		}
	}

	/**
	 * Under a sliding window: what is left is the API's last word, less our sends since, plus our own
	 * places that aged out since (others' that did are unknown: it may be more). A process keeps its
	 * places (a place that ages out is taken again) up to its quota, leaving a reserve free; beyond
	 * its quota it takes a free place only one request at a time (every process at the same pace,
	 * whatever it holds), and only when the API's last word showed more than the reserve free.
	 */
	private slidingWaitMs(now: number): number | 'answer' {
		this.age(now);
		const report = this.report!;
		const sent = this.sequence - report.seq;
		const reserve = Math.max(1, Math.round(this.max * SLIDING_RESERVE));
		const left = report.reported - sent + this.freedSinceReport;
		const holding = this.held.length + this.inFlight;
		if (holding < reserve && left > 0) return 0;
		if (holding < this.quota && left > reserve) return 0;
		if (this.taking === undefined && report.reported - sent > reserve) return 0;
		const aging = this.held.length ? this.held[0] + this.intervalMs - now : Infinity;
		if (this.inFlight) return 'answer';
		if (Number.isFinite(aging)) return Math.max(1, aging);
		// Nothing of ours in the window and no word for a while: ask again.
		return Math.max(0, report.at + this.intervalMs / 10 - now);
	}

	/**
	 * Takes a slot at `now` if the pacing allows it: the send's number (counted as sent), or how
	 * long to wait first ('answer': until the next answer). `demand`: requests waiting for a slot.
	 * `pace` false: only a 429's pause holds the request back.
	 */
	claim(now: number, pace = true, demand = this.waiting): Claim {
		const wait = pace ? this.waitMs(now, demand) : this.pausedUntil - now;
		if (wait === 'answer' || wait > 0) return { waitMs: wait };
		const taking = pace && this.sliding && this.report && this.held.length + this.inFlight >= this.quota;
		const sequence = this.record(now);
		if (taking) this.taking = sequence;
		if (pace && !this.unlimited && !this.sliding && !this.current(now)) this.probe = this.signal();
		return { sequence };
	}

	/**
	 * Waits until a request may be sent and counts it as sent. Resolves to the send's number, which
	 * `observe` needs, or to why no request may go (the API said the day's requests are used up, or
	 * `signal` aborted).
	 */
	async take(pace = true, signal?: AbortSignal): Promise<number | NoSlot> {
		this.waiting++;
		const turn = this.queue.then(async (): Promise<number | NoSlot> => {
			for (;;) {
				if (signal?.aborted) return 'cancelled';
				const now = this.now();
				if (this.dailyLimitReached(now)) return 'dailyLimit';
				const claim = this.claim(now, pace);
				if ('sequence' in claim) return claim.sequence;
				if (claim.waitMs === 'answer') {
					// The API's next answer tells what is left: wait for it rather than guess.
					await (this.probe ?? this.nextAnswer()).answered;
					continue;
				}
				await time.sleep(Math.min(claim.waitMs, WAIT_STEP_MS));
			}
		});
		this.queue = turn;
		try {
			return await turn;
		} finally {
			this.waiting--;
		}
	}

	private record(now: number): number {
		this.lastUsed = now;
		this.lastSent = now;
		this.inFlight++;
		this.sent.push(now);
		if (this.sent.length > this.max * 2) this.sent.splice(0, this.sent.length - this.max * 2);
		this.sequence++;
		this.sentAt.set(this.sequence, now);
		return this.sequence;
	}

	/**
	 * What the answer to send number `sequence` said. `answered` is false for errors without an
	 * answer; `refused` for a 429 (the API did not count it).
	 */
	observe(headers: RateLimitHeaders | undefined, sequence: number, answered = true, refused = false): void {
		const now = this.now();
		const sentAt = this.sentAt.get(sequence) ?? now;
		this.sentAt.delete(sequence);
		this.inFlight = Math.max(0, this.inFlight - 1);
		const took = this.taking === sequence;
		if (took) this.taking = undefined;
		this.probe?.release();
		this.probe = undefined;
		this.answer?.release();
		this.answer = undefined;
		if (!headers) {
			// Only a successful answer without headers shows there is no limit to see; a gateway's 5xx says nothing.
			if (answered) this.unlimited = true;
			return;
		}
		this.unlimited = false;
		if (headers.max !== undefined && headers.max > 0) this.max = headers.max;
		if (headers.intervalMs !== undefined && headers.intervalMs > 0) this.intervalMs = headers.intervalMs;
		if (headers.remaining !== undefined) this.follow(headers.remaining, sequence, sentAt, now, refused, took);
		if (headers.dailyLimit !== undefined) this.dailyLimit = headers.dailyLimit;
		if (headers.dailyRemaining !== undefined) this.daily = { remaining: headers.dailyRemaining, at: now };
	}

	/** Follows the API's window through one answer's `X-RateLimit-Remaining`. */
	private follow(reported: number, sequence: number, sentAt: number, now: number, refused: boolean, took = false): void {
		this.followSliding(reported, sequence, sentAt, now, refused, took);
		const window = this.window;
		// Requests already on their way when a 429 came back do not show that the API keeps refusing.
		if (!refused) this.refusedInARow = 0;
		else if (sentAt >= this.lastRefusedAt) {
			this.refusedInARow++;
			this.lastRefusedAt = now;
		}
		// A request sent after the window reopened (by our estimate, which is never early) is
		// counted in a new one; so is one that finds more left than an earlier-sent one did, by
		// more than our own requests in flight could explain by arriving out of order.
		const reopened =
			!window ||
			sentAt >= window.start + this.intervalMs ||
			(!refused && sequence > window.seq && reported > window.reported + this.inFlight + 1);
		if (reopened) {
			if (refused) {
				// Refused in what we took for a new window: nothing known of it but that it is full.
				this.window = { start: now, reported: 0, seq: sequence };
				return;
			}
			this.window = { start: now, reported, seq: sequence };
			this.answeredInWindow = 1;
			// What the window counted before this request, beyond our own requests still on their
			// way, others used: joining a window others are spending is sharing it.
			this.usage.push({ at: now, own: 1, others: Math.max(0, this.max - 1 - reported - this.inFlight) });
			return;
		}
		this.answeredInWindow++;
		if (sequence < window.seq) return; // an earlier send answered late: it says nothing newer
		if (refused) {
			window.reported = 0;
			window.seq = sequence;
			return;
		}
		// Between the two answers the API counted (window.reported - reported) requests, of which
		// our own sends in between (this one included); the rest are other consumers'.
		const own = sequence - window.seq;
		const others = Math.max(0, window.reported - reported - own);
		this.usage.push({ at: now, own, others });
		window.reported = reported;
		window.seq = sequence;
	}

	/**
	 * Tracks the API's count as a sliding window would show it: own accepted requests over the last
	 * interval, the latest word, and whether the count rises more often than a fixed window can reopen.
	 */
	private followSliding(reported: number, sequence: number, sentAt: number, now: number, refused: boolean, took: boolean): void {
		this.age(now);
		if (refused) {
			if (this.report && sequence > this.report.seq) {
				this.report = { ...this.report, reported: 0, seq: sequence, at: now };
				this.freedSinceReport = 0;
			}
			this.accepted = undefined;
			return;
		}
		this.held.push(now);
		this.heldSent.push(sentAt);
		if (this.report && sequence < this.report.seq) return; // an earlier send answered late
		const last = this.accepted;
		this.accepted = { reported, seq: sequence, at: now };
		// Only a rise over a recent word counts (over an old one, it may be a fixed window's reopening).
		if (last && now - last.at < this.intervalMs / 20) {
			// What a fixed window would show (only a reopening raises it), beyond reordered answers.
			const expected = last.reported - (sequence - last.seq);
			if (reported > expected + this.inFlight + 1) {
				// Two rises within half an interval (but not within a round trip's reordering of each
				// other): not a fixed window reopening, requests aging out.
				const since = now - this.lastRiseAt;
				if (since >= this.intervalMs / 10 && since < this.intervalMs / 2) this.sliding = true;
				if (since >= this.intervalMs / 10) this.lastRiseAt = now;
			}
		}
		// The API counted fewer than our own requests of the last interval (those near its edge may
		// have aged out there already): a fixed window that reopened, not a sliding one.
		const edge = this.held.filter((at) => at < now - this.intervalMs * 0.95).length;
		if (this.max - reported < this.held.length - edge - this.inFlight - 2) {
			this.sliding = false;
			this.lastRiseAt = -Infinity;
		}
		const others = Math.max(0, this.max - reported - this.held.length);
		this.report = { reported, seq: sequence, at: now, others };
		this.freedSinceReport = 0;
		// Alone: every place. Sharing: the places it holds (a place it took counts from now on), never
		// more, so that what it takes beyond them is taken one request at a time.
		const holding = this.held.length + this.inFlight;
		if (others < OTHERS_NOISE) this.quota = this.max;
		else if (took) this.quota = Math.max(this.quota, holding);
		else if (this.quota > holding + 1) this.quota = holding;
	}

	private signal(): { answered: Promise<void>; release: () => void } {
		let release = () => {};
		const answered = new Promise<void>((resolve) => (release = resolve));
		return { answered, release };
	}

	private nextAnswer(): { answered: Promise<void>; release: () => void } {
		this.answer ??= this.signal();
		return this.answer;
	}

	/**
	 * A 429: no request of this budget goes out for `waitMs`, plus a little jitter (up to 10%, at
	 * most 1 s), so that processes stopped by the same window do not all come back at once. A
	 * first 429 in a window whose reopening this process knows (never early; the API's Retry-After
	 * counts whole seconds) waits only until then; when the API keeps refusing, it waits as asked.
	 */
	pause(waitMs: number): void {
		const now = this.now();
		const jitter = Math.round(Math.random() * Math.min(1000, waitMs * 0.1));
		let until = now + waitMs + jitter;
		const window = this.current(now);
		if (this.sliding) {
			// A first 429: until our oldest place in the window ages out, if that is sooner.
			this.age(now);
			if (this.refusedInARow <= 1 && this.held.length) until = Math.min(until, Math.max(now, this.held[0] + this.intervalMs));
		} else if (window) {
			window.reported = this.sequence - window.seq;
			// The API's window reopens within its Retry-After, if that is sooner than our estimate.
			window.start = Math.min(window.start, now + waitMs - this.intervalMs);
			if (this.refusedInARow <= 1) until = Math.min(until, window.start + this.intervalMs);
		}
		this.pausedUntil = Math.max(this.pausedUntil, until);
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
		const now = time.now();
		for (const [other, entry] of budgets) if (now - entry.lastUsed > IDLE_MS) budgets.delete(other);
		budget = new RateBudget();
		budget.lastUsed = now;
		budgets.set(key, budget);
	}
	return budget;
}
