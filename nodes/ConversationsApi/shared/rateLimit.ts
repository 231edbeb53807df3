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
	/** The send whose answer opened the window (by our estimate). */
	opened: number;
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
/**
 * A process alone, while more waits than its window has left, spreads the window's last ALONE_TAIL
 * of the limit up to SPREAD_UNTIL of the window instead of sending it at once: under a fixed window
 * where a window's requests go does not change when the next one opens, and a newcomer refused
 * meanwhile (a process alone cannot see it) finds room when it comes back. In its first interval
 * only up to ALONE_FIRST_UNTIL: the window may be sliding, and then that window's pattern repeats
 * (a worker alone ends that much later).
 */
const ALONE_TAIL = 0.25;
const ALONE_FIRST_UNTIL = 0.1;
/** Others' requests in the last interval below which this process counts itself alone (noise of reordered answers). */
const OTHERS_NOISE = 2;
/** How many of this process's latest sends its share of the rest is judged by. */
const LATEST_OWN = 10;
/**
 * Under a sliding window, the pace at which every process alike takes free places (not its own,
 * which it takes again at once): with `spare` places free (by its estimate), the next request goes one interval / SLIDING_PACE, or SLIDING_PACE_TRIPS round trips
 * if longer, over `spare` after the last one, times the square root of how many seem to send (see
 * `slidingWaitMs`). The round trips: with slow answers, what the others sent shows later, so every
 * process goes slower rather than overfill the window together.
 */
const SLIDING_PACE = 20;
const SLIDING_PACE_TRIPS = 8;
/** Under a sliding window, with nothing of anybody's known to age out: ask again after this part of an interval. */
const SLIDING_ASK = 0.1;
/**
 * Under a sliding window, the part of its own places that age out a process leaves free instead of
 * taking them again at once (one in four), so that the others, a newcomer too, can take them.
 */
const SLIDING_LEAVE = 0.25;
/** How long a process does not take back a place it left free itself: sharing, and alone (ms). */
const SLIDING_KEEP_MS = 600;
const SLIDING_KEEP_ALONE_MS = 100;
/** An own place that aged out is taken again at once within this many round trips (at least SLIDING_REUSE_MS), or left free. */
const SLIDING_REUSE_TRIPS = 2;
const SLIDING_REUSE_MS = 100;
/** Places of the others that aged out since shortly before our word (this many round trips, plus SLIDING_TURNOVER_MS) are probably being taken again by their owners: this part of them is not counted free. */
const SLIDING_TURNOVER_TRIPS = 3;
const SLIDING_TURNOVER_MS = 50;
const SLIDING_TURNOVER_PART = 0.5;
/**
 * Once this process knows the API counts refused requests too (see `refusedCount`), while it sees
 * others: a place it left free is its own again only when a word of the API from at least
 * SLIDING_EVIDENCE_MS (or SLIDING_EVIDENCE_TRIPS round trips) after it left it shows it (the count
 * then says whether somebody took it); free places are paced by SLIDING_TAKE_TRIPS round trips
 * alone; the others' places that aged out since just before the word count as taken again whole.
 */
const SLIDING_EVIDENCE_MS = 600;
const SLIDING_EVIDENCE_TRIPS = 4;
const SLIDING_TAKE_TRIPS = 8;
/**
 * A process holding fewer places than this (and under half of the count) asks, with nothing free, at
 * the pace's floor, and takes free places at the pace's floor over `spare` (not slowed by how many seem to send).
 */
const SLIDING_FEW = 8;
/**
 * A process never let in yet (every request refused so far) comes back after a 429 at the soonest
 * moment its `Retry-After` allows (whole seconds: up to a second early) plus NEWCOMER_AIM_MS; if that
 * is refused too with a place freeing within the second, it asks NEWCOMER_ASKS more times, every
 * NEWCOMER_ASK_MS. A worker alone that holds the window takes each place again as it frees (its places
 * free in bursts) and leaves one in four free for a moment: coming back only when `Retry-After` says,
 * the newcomer lands between the bursts, every time.
 */
const NEWCOMER_AIM_MS = 200;
const NEWCOMER_ASK_MS = 400;
const NEWCOMER_ASKS = 3;

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
 * - one interval after its first answer, unless the count fell below its own requests that a
 *   sliding window would still count (a fixed window that reopened), a process takes the window for
 *   sliding: then each process takes its own places again as they age out (one interval after their
 *   answers), but leaves one in four free, and every process takes free places alike at a pace by
 *   what is free as all of them can estimate it from the headers (see `slidingWaitMs`).
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
	/**
	 * The API counts refused requests too (a sliding window): a second 429 in a row, of a request sent
	 * after the first one came back and after a place of ours aged out meanwhile (under a window of
	 * accepted requests that place was free; a refused request holding a place an interval keeps it full).
	 */
	private refusedCount = false;
	/** When the place of ours that a first 429's pause waited for aged out (under a sliding window). */
	private refusedFreeAt = Infinity;
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
	/** Answer times of this process's accepted requests over the last interval, oldest first. */
	private readonly held: number[] = [];
	/** When each of `held` was sent. */
	private readonly heldSent: number[] = [];
	/** Answer times of this process's accepted requests over the last two intervals, oldest first. */
	private readonly accepted: number[] = [];
	/** The round trip of our requests (a moving average). */
	private roundTrip = 0;
	/** The latest-sent answered request's `X-RateLimit-Remaining` and when it came. */
	private report?: { reported: number; seq: number; at: number };
	/** Own places that aged out of the window since `report`. */
	private freedSinceReport = 0;
	/** The count fell below our own requests a sliding window would still count: the API counts a fixed window. */
	private fixedSeen = false;
	/** When the first accepted answer came. */
	private firstAccepted?: number;
	/** Under a sliding window: the others' use between two of our words (the count's fall beyond our own sends, less our places that aged out), over the last interval. */
	private readonly othersUse: Array<{ at: number; used: number }> = [];
	/** When the count last showed places of others (under a sliding window). */
	private othersSeenAt = -Infinity;
	/** How long a process with nothing to go by waits between asks (doubles while refused). */
	private askGap = 0;
	/** Under a sliding window: when each of our places that aged out while we had work aged out; taken again at once. */
	private readonly reuse: number[] = [];
	/** Under a sliding window: the part of a place owed to the others; at 1, a place of ours that ages out is left free. */
	private leaveDebt = 0;
	/** When we left places of our own free (over the last SLIDING_KEEP_MS). */
	private readonly leftFree: number[] = [];
	/** Requests waiting when the budget was last asked for a slot, this one included (whether our places that age out are wanted again; whether a newcomer may ask early). */
	private demand = 0;
	/** When this process took the window for sliding. */
	private slidingSince = Infinity;
	/** Never let in yet: asks made since the aimed one (see NEWCOMER_ASKS), and whether the last 429's wait was aimed. */
	private newcomerAsks = 0;
	private newcomerAimed = false;
	/** Refused before its first accepted answer: it joined a window others held. */
	private joinedFull = false;

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
		this.demand = demand;
		let wait = this.pausedUntil - now;
		if (this.unlimited) return wait;
		const backstop = this.backstopMs();
		while (this.sent.length && this.sent[0] <= now - backstop) this.sent.shift();
		const window = this.current(now);
		// Alone under a window known to be fixed, our sends in it are bounded by its count and by the limit
		// (below) rather than over the last interval, where a window's spread tail would hold back the next.
		const byWindow = this.fixedSeen && !this.sliding && window !== undefined && !this.shared(now);
		if (!byWindow && this.sent.length >= this.max) wait = Math.max(wait, this.sent[this.sent.length - this.max] + backstop - now);
		if (wait > 0) return wait;
		if (this.probe) return 'answer';
		if (this.sliding && this.report) return this.slidingWaitMs(now);
		if (!window) return 0;
		// A process that joined a full window: one request asks when it may take the window for sliding,
		// whatever the fixed rules say, and its answer is waited for; no wait of the fixed rules goes past then.
		const switchAt = this.switchAt();
		if (now >= switchAt && this.lastSent < switchAt) return 0;
		if (now >= switchAt && this.inFlight) return 'answer';
		const upTo = (ms: number) => (now < switchAt ? Math.min(ms, Math.max(1, switchAt - now)) : ms);
		const end = window.start + this.intervalMs;
		let left = this.remaining(window);
		if (byWindow) {
			// Ours in this window: from the request that opened it, and those sent before still on their way.
			let late = 0;
			for (const seq of this.sentAt.keys()) if (seq < window.opened) late++;
			left = Math.min(left, this.max - (this.sequence - window.opened + 1) - late);
		}
		if (left <= 0) return upTo(end - now);
		if (!this.shared(now)) {
			// Alone: as fast as the answers come, the number in flight doubling with each of them.
			if (this.inFlight > this.answeredInWindow) return 'answer';
			// But while more waits than is left, the window's tail is spread (a newcomer refused meanwhile finds
			// room); a run's last window goes at once.
			const first = this.firstAccepted === undefined || window.start < this.firstAccepted + this.intervalMs;
			const aloneEnd = window.start + this.intervalMs * (first ? ALONE_FIRST_UNTIL : SPREAD_UNTIL);
			if (demand <= left || left > this.max * ALONE_TAIL || now >= aloneEnd) return 0;
			const from = Math.max(this.lastSent, window.start);
			return upTo(Math.max(0, Math.ceil(from + (aloneEnd - from) / (left + 1) - now)));
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
		return upTo(Math.max(0, from + (until - from) / (left + 1) - now));
	}

	/**
	 * A process that joined a full window (refused before its first accepted answer) may take the window
	 * for sliding one interval after its first accepted answer (see `followSliding`); under a sliding
	 * window its first places age out then. That moment, while no fixed window has shown; Infinity otherwise.
	 */
	private switchAt(): number {
		return this.joinedFull && !this.fixedSeen && this.firstAccepted !== undefined ? this.firstAccepted + this.intervalMs : Infinity;
	}

	/** Drops own requests that aged out of the window (how many). */
	private age(now: number): number {
		let aged = 0;
		while (this.held.length && this.held[0] <= now - this.intervalMs) {
			aged++;
			const agedAt = this.held.shift()! + this.intervalMs;
			const sentAt = this.heldSent.shift()!;
			// Under a sliding window, wanted again: ours to take again at once (never more than the limit:
			// a place our requests took again before we took the window for sliding is not ours twice),
			// but one in four is left free for the others.
			if (this.sliding && this.demand > 0 && this.held.length + this.inFlight + this.reuse.length < this.max) {
				this.leaveDebt += SLIDING_LEAVE;
				if (this.leaveDebt >= 1) {
					this.leaveDebt -= 1;
					this.leftFree.push(now);
				} else this.reuse.push(agedAt);
			}
			// Still counted in the latest word only if it reached the API less than an interval before
			// that answer's request did: sure when it was sent less than an interval before that answer.
			if (this.report && sentAt + this.intervalMs > this.report.at) this.freedSinceReport++;
		}
		return aged;
	}

	/**
	 * Under a sliding window. Our own places that age out (one interval after their answers, so surely
	 * out of the API's count) while we have work are taken again at once, but one in four is left free
	 * (`age`); the places we left are not ours to take back for SLIDING_KEEP_MS (SLIDING_KEEP_ALONE_MS
	 * alone). What is free now, as all can estimate it from the headers: the API's last word, less our
	 * sends since (and those sent before it still on their way), plus our places that aged out since,
	 * less the places we keep for the others and half of the others' places that aged out since just
	 * before that word (their owners are probably taking them again). With `spare` free, the next
	 * request goes max(interval / SLIDING_PACE, SLIDING_PACE_TRIPS round trips) / spare after our last
	 * one, times the square root of how many seem to send (1 + the others' recent use per own send).
	 * Alone (no place of anybody else in the count for an interval), every free place at once. With
	 * nothing free, a process that holds only a few places asks at that pace's floor (a newcomer
	 * learns of the places others leave only from its own answers); otherwise it waits for an answer,
	 * for the next place to age out (ours or, as the count showed, the others'), or, with nothing known
	 * to age out, asks after a tenth of an interval.
	 */
	private slidingWaitMs(now: number): number | 'answer' {
		this.age(now);
		const report = this.report!;
		// No word for an interval: what we counted since says nothing of the others; one request asks.
		if (now - report.at >= this.intervalMs) return this.inFlight ? 'answer' : 0;
		// Our own places that just aged out: taken again at once (the API counted each when it arrived,
		// before its answer, so it is free; the others count it free only once their words show it).
		const reuseMs = Math.max(SLIDING_REUSE_MS, SLIDING_REUSE_TRIPS * this.roundTrip);
		while (this.reuse.length && this.reuse[0] < now - reuseMs) this.reuse.shift();
		if (this.reuse.length) return 0;
		const sent = this.sequence - report.seq;
		// Our requests sent before the answered one and still on their way may arrive after it: not counted there yet.
		let late = 0;
		for (const seq of this.sentAt.keys()) if (seq < report.seq) late++;
		const holding = this.held.length + this.inFlight;
		// Never more than our own places leave (the API's last word may predate answers of ours).
		const left = Math.min(report.reported - sent - late + this.freedSinceReport, this.max - holding);
		const alone = now - this.othersSeenAt >= this.intervalMs;
		// Places we left free ourselves are the others' for a while.
		const keepMs = alone ? SLIDING_KEEP_ALONE_MS : SLIDING_KEEP_MS;
		// Refused requests counting: sharing, a place we left is the others' until a word from long enough after shows it.
		const evidence = this.refusedCount && !alone;
		const evidenceMs = Math.max(SLIDING_EVIDENCE_MS, SLIDING_EVIDENCE_TRIPS * this.roundTrip);
		const keptFor = this.refusedCount ? this.intervalMs : Math.max(SLIDING_KEEP_MS, SLIDING_KEEP_ALONE_MS);
		while (this.leftFree.length && this.leftFree[0] <= now - keptFor) this.leftFree.shift();
		let kept = 0;
		let keptUntil = Infinity;
		for (const at of this.leftFree)
			if (evidence ? at > report.at - evidenceMs : at > now - keepMs) {
				kept++;
				keptUntil = Math.min(keptUntil, at + keepMs);
			}
		// The others' places that aged out since just before our word: their owners are probably taking
		// them again (as we do ours), so only half of them count free (none once refused requests count).
		const turnoverMs = SLIDING_TURNOVER_TRIPS * this.roundTrip + SLIDING_TURNOVER_MS;
		let turnover = 0;
		let theirs = 0;
		for (const entry of this.othersUse) {
			if (entry.used > 0 && entry.at + this.intervalMs > report.at - turnoverMs && entry.at + this.intervalMs <= now)
				turnover += entry.used;
			if (entry.at > now - this.intervalMs) theirs += Math.max(0, entry.used);
		}
		const spare = left - kept - (this.refusedCount ? 1 : SLIDING_TURNOVER_PART) * turnover;
		// Alone (nobody else's place in the count, no 429 while we held less than the limit, for an interval).
		if (spare >= 1 && alone) return 0;
		const floorMs = Math.max(this.intervalMs / SLIDING_PACE, SLIDING_PACE_TRIPS * this.roundTrip);
		if (spare >= 1) {
			let ours = 0;
			for (const at of this.sent) if (at > now - this.intervalMs) ours++;
			// A process with few places is not slowed by the others' use (it would never catch up).
			const crowd = holding < SLIDING_FEW ? 1 : Math.sqrt(1 + theirs / Math.max(1, ours));
			const takeMs = this.refusedCount ? SLIDING_TAKE_TRIPS * this.roundTrip : floorMs;
			const wait = Math.ceil(this.lastSent + (takeMs * crowd) / spare - now);
			if (wait <= 0) return 0;
			// Awake again when our next place ages out: what is free changes then.
			return this.held.length ? Math.max(1, Math.min(wait, Math.ceil(this.held[0] + this.intervalMs - now))) : wait;
		}
		// Nothing free, and we hold only a few places: ask at the pace's floor (a newcomer learns of the
		// places the others leave free only from its own answers).
		if (holding < SLIDING_FEW && holding < (this.max - report.reported) / 2) {
			const wait = Math.ceil(Math.max(report.at, this.lastSent) + floorMs - now);
			if (wait <= 0) return 0;
			if (!this.inFlight) return wait;
		}
		// Alone, the places we left free are ours again soon: wake up then.
		const keptMs = alone && keptUntil < Infinity ? Math.max(1, keptUntil - now) : Infinity;
		if (this.inFlight) return keptMs < Infinity ? keptMs : 'answer';
		let aging = Math.min(keptMs, this.held.length ? this.held[0] + this.intervalMs - now : Infinity);
		for (const entry of this.othersUse)
			if (entry.used > 0 && entry.at + this.intervalMs > now) {
				aging = Math.min(aging, entry.at + this.intervalMs - now);
				break;
			}
		// Nothing known to age out (a process that holds nothing and saw nobody's use): ask now and then.
		const ask = aging === Infinity ? report.at + Math.max(this.intervalMs * SLIDING_ASK, this.askGap) - now : Infinity;
		return Math.max(0, Math.min(aging, ask));
	}

	/**
	 * Takes a slot at `now` if the pacing allows it: the send's number (counted as sent), or how
	 * long to wait first ('answer': until the next answer). `demand`: requests waiting for a slot.
	 * `pace` false: only a 429's pause holds the request back.
	 */
	claim(now: number, pace = true, demand = this.waiting): Claim {
		const wait = pace ? this.waitMs(now, demand) : this.pausedUntil - now;
		if (wait === 'answer' || wait > 0) return { waitMs: wait };
		const sequence = this.record(now);
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
		if (this.sliding) this.reuse.shift();
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
		if (headers.remaining !== undefined) this.follow(headers.remaining, sequence, sentAt, now, refused);
		if (headers.dailyLimit !== undefined) this.dailyLimit = headers.dailyLimit;
		if (headers.dailyRemaining !== undefined) this.daily = { remaining: headers.dailyRemaining, at: now };
	}

	/** Follows the API's window through one answer's `X-RateLimit-Remaining`. */
	private follow(reported: number, sequence: number, sentAt: number, now: number, refused: boolean): void {
		this.followSliding(reported, sequence, sentAt, now, refused);
		const window = this.window;
		// Requests already on their way when a 429 came back do not show that the API keeps refusing.
		if (!refused) this.refusedInARow = 0;
		else if (sentAt >= this.lastRefusedAt) {
			this.refusedInARow++;
			this.lastRefusedAt = now;
			if (this.sliding && this.refusedInARow >= 2 && sentAt >= this.refusedFreeAt && sentAt >= this.slidingSince + this.intervalMs)
				this.refusedCount = true;
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
				this.window = { start: now, reported: 0, seq: sequence, opened: sequence };
				return;
			}
			this.window = { start: now, reported, seq: sequence, opened: sequence };
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
	 * interval, the latest word, the others' use between two words, and whether a fixed window showed.
	 */
	private followSliding(reported: number, sequence: number, sentAt: number, now: number, refused: boolean): void {
		// Ours that aged out just now may still have been counted when this request arrived.
		const aged = this.age(now);
		if (refused) {
			if ((this.sliding && now - this.othersSeenAt >= this.intervalMs) || this.firstAccepted === undefined) {
				// Alone (or never let in yet, asking for a place): the backstop by send times (`sent`) leaves
				// it out, or a place of ours freed while it was refused would wait a whole interval (the
				// newcomer's asks, one window short for ever); whether the API counted it (a window that
				// counts refused requests too) shows in its count, which this budget follows.
				const index = this.sent.lastIndexOf(sentAt);
				if (index >= 0) this.sent.splice(index, 1);
			}
			// Refused while we hold less than the limit: others hold the rest.
			// (Not a request paced as for a fixed window before we took the window for sliding.)
			if (this.held.length + this.inFlight < this.max && sentAt >= this.slidingSince) this.othersSeenAt = now;
			this.askGap = Math.min(this.intervalMs, Math.max(this.intervalMs * SLIDING_ASK, this.askGap * 2));
			if (this.report && sequence > this.report.seq) {
				this.report = { reported: 0, seq: sequence, at: now };
				this.freedSinceReport = 0;
			}
			return;
		}
		this.held.push(now);
		this.heldSent.push(sentAt);
		this.accepted.push(now);
		while (this.accepted[0] <= now - 2 * this.intervalMs) this.accepted.shift();
		if (this.report && sequence < this.report.seq) return; // an earlier send answered late
		// The API counted fewer than our own requests that a sliding window surely still counted when this
		// one arrived (sent less than an interval ago, answered before this one was sent): a fixed window
		// that reopened.
		const counted = this.held.filter((at, index) => at <= sentAt && this.heldSent[index] > now - this.intervalMs).length;
		if (this.max - reported < counted - 1) {
			this.sliding = false;
			this.fixedSeen = true;
		}
		this.firstAccepted ??= now;
		if (!this.fixedSeen && !this.sliding && now >= this.firstAccepted + this.intervalMs) {
			this.sliding = true;
			this.slidingSince = now;
		}
		this.askGap = 0;
		// What the others used between our last word and this one: the fall of the count beyond our own
		// sends, less our places that aged out meanwhile.
		if (this.report) {
			const used = this.report.reported - (sequence - this.report.seq) + this.freedSinceReport - reported;
			this.othersUse.push({ at: now, used });
		}
		while (this.othersUse.length && this.othersUse[0].at <= now - this.intervalMs) this.othersUse.shift();
		// Others' places: the count less ours (answered, aged out just now, on their way: they may have arrived before this one).
		// Ours the count may hold: this request arrived after it was sent, so any of ours answered less than
		// an interval before that (varying round trips make answer times a poor guide to arrival times).
		let mayHold = 0;
		for (let index = this.accepted.length - 1; index >= 0 && this.accepted[index] > sentAt - this.intervalMs; index--) mayHold++;
		if (this.max - reported - Math.max(mayHold, this.held.length + aged) - this.inFlight >= 1) this.othersSeenAt = now;
		this.report = { reported, seq: sequence, at: now };
		this.freedSinceReport = 0;
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
			this.refusedFreeAt = Infinity;
			if (this.refusedInARow <= 1 && this.held.length && this.held[0] + this.intervalMs < until) {
				until = Math.max(now, this.held[0] + this.intervalMs);
				this.refusedFreeAt = until;
			}
		} else if (window) {
			window.reported = this.sequence - window.seq;
			// The API's window reopens within its Retry-After, if that is sooner than our estimate.
			window.start = Math.min(window.start, now + waitMs - this.intervalMs);
			if (this.refusedInARow <= 1) until = Math.min(until, window.start + this.intervalMs);
		}
		// A process that joined a full window asks when it may take the window for sliding, at the latest.
		const switchAt = this.sliding ? Infinity : this.switchAt();
		if (now < switchAt && until > switchAt) until = switchAt;
		if (this.firstAccepted === undefined) this.joinedFull = true;
		// Never let in yet, with more requests waiting than the asks take (each ask is an attempt of one of
		// them, which take their turns: none spends its attempts in one go): be there when a place may free
		// (see NEWCOMER_AIM_MS), a few times.
		if (this.firstAccepted === undefined && this.demand > NEWCOMER_ASKS + 1) {
			const soonest = waitMs - 1000 + NEWCOMER_AIM_MS;
			let ask: number | undefined;
			if (soonest > NEWCOMER_ASK_MS) {
				this.newcomerAsks = 0;
				this.newcomerAimed = true;
				ask = soonest;
			} else if (this.newcomerAsks < NEWCOMER_ASKS && (this.newcomerAsks > 0 || this.newcomerAimed)) {
				this.newcomerAimed = false;
				this.newcomerAsks++;
				ask = NEWCOMER_ASK_MS;
			}
			if (ask !== undefined) {
				until = now + ask;
				if (window) window.start = Math.min(window.start, until - this.intervalMs);
			}
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
