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
 * Under a sliding window, while others share the limit: of its places that age out, the part a
 * process leaves to the others, times the square of its share (the larger shares shrink faster,
 * so the shares meet).
 */
const SLIDING_YIELD = 0.5;
/** Under a sliding window: how long (a part of an interval) a process takes no free place after it left one of its own to the others. */
const SLIDING_LEAVE = 0.1;
/**
 * Under a sliding window, while sharing: a free place is taken when the API showed it free already
 * this many round trips earlier (not a place whose holder takes it again as it ages out).
 */
const SLIDING_LASTING_TRIPS = 3;
/**
 * Under a sliding window: below this share of the count, a process takes any free place it sees,
 * and asks now and then (the places the others leave free show only in answers).
 */
const SLIDING_SMALL_SHARE = 0.15;

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
 * - when the count rises twice within half an interval, between requests a fixed window would count
 *   in the same window, the API counts a sliding window: then a process takes its own places again
 *   as they age out; alone, it takes every free place; sharing the limit, it leaves part of its
 *   places to the others (the larger its share, the more), takes free places one request at a time
 *   and only those nobody took again at once, and with a small share takes any free place it sees
 *   and asks now and then (see `slidingWaitMs`).
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
	private lastRise?: { at: number; seq: number };
	/** Answer times of this process's accepted requests over the last interval, oldest first. */
	private readonly held: number[] = [];
	/** The API's words (accepted answers) over the last interval, oldest first. */
	private readonly words: Array<{ reported: number; seq: number; at: number }> = [];
	/** When the API's count last showed others' requests (under a sliding window). */
	private othersSeenAt = -Infinity;
	/** The round trip of our requests (a moving average). */
	private roundTrip = 0;
	/** Answer times of this process's refused requests over the last interval. */
	private readonly refusedAt: number[] = [];
	/** When each of `held` was sent. */
	private readonly heldSent: number[] = [];
	/** The latest-sent answered request's `X-RateLimit-Remaining`, when it came and what it showed of the others. */
	private report?: { reported: number; seq: number; at: number; others: number };
	/** The latest accepted answer's `X-RateLimit-Remaining` (a 429 says nothing of the count's rises). */
	private accepted?: { reported: number; seq: number; at: number; sentAt: number };
	/** Own places that aged out of the window since `report`. */
	private freedSinceReport = 0;
	/** Under a sliding window: how many places this process takes again as they age out (it shrinks as it leaves places to others, grows as it takes free ones). */
	private quota: number = RATE_LIMIT.max;
	/** The request in flight that took a free place beyond the quota, if any (one at a time). */
	private taking?: number;
	/** When this process last left one of its places free (over its quota) when it aged out. */
	private yieldedAt = -Infinity;
	/** The part of a place this process owes the others (see `age`). */
	private owed = 0;
	/** Under a sliding window: how many requests may be in flight (back to 1 at a 429, one more with each accepted answer). */
	private allowance = 1;
	/** How long a process with a small share waits between asks for free places (doubles while refused). */
	private askGap = 0;

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

	/** Drops own requests that aged out of the window (how many); a process sharing a sliding window leaves part of those places to the others. */
	private age(now: number): number {
		let aged = 0;
		while (this.held.length && this.held[0] <= now - this.intervalMs) {
			aged++;
			this.held.shift();
			const sentAt = this.heldSent.shift()!;
			// Still counted in the latest word only if it reached the API less than an interval before
			// that answer's request did: sure when it was sent less than an interval before that answer.
			if (this.report && sentAt + this.intervalMs > this.report.at) this.freedSinceReport++;
			// Sharing: a part of the places that age out is left to the others, the more the larger our
			// share (its square): the larger shares shrink faster, so the shares meet.
			const others = this.report?.others ?? 0;
			if (this.sliding && this.sharing(now)) {
				const holding = this.held.length + this.inFlight;
				const share = (holding + 1) / (holding + 1 + others);
				this.owed += SLIDING_YIELD * share * share;
				if (this.owed >= 1) {
					this.owed -= 1;
					this.quota = Math.min(this.quota, holding);
					this.yieldedAt = now;
				}
			}
		}
		return aged;
	}

	/**
	 * Under a sliding window: what is left is the API's last word, less our sends since (and those
	 * sent before it still on their way), plus our own places that aged out since (others' that did
	 * are unknown: it may be more), never more than our own places leave. See the class comment.
	 */
	private slidingWaitMs(now: number): number | 'answer' {
		this.age(now);
		const report = this.report!;
		// No word for an interval: what we counted since says nothing of the others; one request asks.
		if (now - report.at >= this.intervalMs) return this.inFlight ? 'answer' : 0;
		const sent = this.sequence - report.seq;
		// Our requests sent before the answered one and still on their way may arrive after it: not counted there yet.
		let late = 0;
		for (const seq of this.sentAt.keys()) if (seq < report.seq) late++;
		const holding = this.held.length + this.inFlight;
		// Never more than our own places leave (the API's last word may predate answers of ours).
		const left = Math.min(report.reported - sent - late + this.freedSinceReport, this.max - holding);
		// A small share while others hold the rest.
		const sharing = this.sharing(now);
		const small = sharing && holding < (holding + report.others) * SLIDING_SMALL_SHARE;
		if (left > 0) {
			// Our own places that aged out (nobody else knows they are free), up to our quota; after a 429,
			// one at a time again (the number in flight grows by one with each accepted answer).
			if (this.freedSinceReport > sent && holding < this.quota && this.inFlight < this.allowance) return 0;
			// Free places the API showed: alone, all of them, the number in flight growing by one with each
			// accepted answer (so that a process we did not see yet shows before we fill the window).
			if (!sharing && this.inFlight < this.allowance) return 0;
			// Sharing, others see them too: one request at a time, not soon after we left places to the
			// others, and only places nobody took again at once (with a small share, any free place).
			if (
				this.taking === undefined &&
				now >= this.yieldedAt + this.intervalMs * SLIDING_LEAVE &&
				(small || this.lasting() - sent - late > 0)
			)
				return 0;
		}
		if (this.inFlight) return 'answer';
		const aging = this.held.length ? this.held[0] + this.intervalMs - now : Infinity;
		const leave = left > 0 && this.taking === undefined ? this.yieldedAt + this.intervalMs * SLIDING_LEAVE - now : Infinity;
		// A small share: the places the others leave free show only in answers, so ask.
		const ask = !this.held.length || small ? report.at + Math.max(this.intervalMs / 10, this.askGap) - now : Infinity;
		return Math.max(0, Math.min(aging, leave, ask));
	}

	/** Under a sliding window: others used the limit within the last interval. */
	private sharing(now: number): boolean {
		return now - this.othersSeenAt < this.intervalMs;
	}

	/**
	 * Free places the API showed in our latest answer that it showed free already a few round trips
	 * earlier: not places whose holder is about to take them again as they age out (it sends within
	 * a round trip), but places nobody takes.
	 */
	private lasting(): number {
		const report = this.report!;
		const since = report.at - SLIDING_LASTING_TRIPS * this.roundTrip;
		for (let index = this.words.length - 1; index >= 0; index--) {
			const word = this.words[index];
			if (word.at > since) continue;
			// An older word says nothing of the places free now.
			if (word.at < report.at - SLIDING_LASTING_TRIPS * 3 * this.roundTrip) return 0;
			return Math.min(report.reported, word.reported - (report.seq - word.seq));
		}
		return 0;
	}

	/**
	 * Takes a slot at `now` if the pacing allows it: the send's number (counted as sent), or how
	 * long to wait first ('answer': until the next answer). `demand`: requests waiting for a slot.
	 * `pace` false: only a 429's pause holds the request back.
	 */
	claim(now: number, pace = true, demand = this.waiting): Claim {
		const wait = pace ? this.waitMs(now, demand) : this.pausedUntil - now;
		if (wait === 'answer' || wait > 0) return { waitMs: wait };
		const taking = pace && this.sliding && this.report && this.freedSinceReport <= this.sequence - this.report.seq;
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
		// Ours that aged out just now may still have been counted when this request arrived.
		const aged = this.age(now);
		if (refused) {
			this.allowance = 1;
			this.refusedAt.push(now);
			this.askGap = Math.min(this.intervalMs, Math.max(this.intervalMs / 10, this.askGap * 2));
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
		this.accepted = { reported, seq: sequence, at: now, sentAt };
		// Our requests sent before this one and not answered yet: counted there, or still on their way.
		let before = 0;
		for (const seq of this.sentAt.keys()) if (seq < sequence) before++;
		// A rise of what is left, between two answers of which this request went after the other came
		// back (so it arrived after it), beyond what our own requests still on their way explain: a
		// fixed window reopened, or requests aged out of a sliding one. A fixed window does not reopen
		// twice within half an interval, nor after the request that saw the first rise.
		if (last && sentAt >= last.at && reported > last.reported - (sequence - last.seq) + before) {
			const rise = this.lastRise;
			if (rise && last.seq >= rise.seq && now - rise.at < this.intervalMs / 2) this.sliding = true;
			this.lastRise = { at: now, seq: sequence };
		}
		// The API counted fewer than our own requests that surely were in its window when this one
		// arrived (answered before it was sent, not near the window's edge): a fixed window that
		// reopened, not a sliding one.
		const counted = this.held.filter((at) => at <= sentAt && at >= now - this.intervalMs * 0.95).length;
		if (this.max - reported < counted - 1) {
			this.sliding = false;
			this.lastRise = undefined;
		}
		// Others' places: the API's count less ours (answered, aged out just now, on their way: they may
		// have arrived before this one; refused: an API may count them too).
		while (this.refusedAt.length && this.refusedAt[0] <= now - this.intervalMs) this.refusedAt.shift();
		const others = Math.max(0, this.max - reported - this.held.length - aged - this.inFlight - this.refusedAt.length);
		const holding = this.held.length + this.inFlight;
		this.askGap = 0;
		this.allowance = Math.min(this.max, this.allowance + 1);
		const wasSharing = this.sharing(now);
		if (others >= 1) this.othersSeenAt = now;
		if (!this.sharing(now)) this.quota = this.max;
		else if (!wasSharing) this.quota = holding;
		else if (took) this.quota = Math.max(this.quota, holding);
		this.report = { reported, seq: sequence, at: now, others };
		this.freedSinceReport = 0;
		this.words.push({ reported, seq: sequence, at: now });
		while (this.words.length && this.words[0].at <= now - this.intervalMs) this.words.shift();
		this.roundTrip = this.roundTrip ? this.roundTrip * 0.8 + (now - sentAt) * 0.2 : now - sentAt;
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
