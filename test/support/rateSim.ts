/**
 * Several workers sharing one rate limit, simulated in virtual time: each worker has its own
 * RateBudget (as each n8n queue-mode worker has), takes its slots as `take` would (one waiter at a
 * time, sleeping in steps, waiting for answers), and sends to the sandbox's RateLimiter (fixed
 * window, sliding window counting accepted requests, or sliding window counting all of them)
 * with a round trip. A 429 pauses the worker's budget as the retry loop does, and the item is
 * sent again. Everything is deterministic: no timers, no network, one event queue.
 */
import { RateLimiter, type RateLimitOptions } from '../../sandbox';
import { RateBudget, readRateLimitHeaders } from '../../nodes/ConversationsApi/shared/rateLimit';
import { DEFAULT_RETRY_POLICY } from '../../nodes/ConversationsApi/shared/retry';

export type WindowKind = 'fixed' | 'sliding' | 'sliding-all';

export const WINDOW_KINDS: WindowKind[] = ['fixed', 'sliding', 'sliding-all'];

/** The sandbox's options for a window kind. */
export function windowOptions(kind: WindowKind): Pick<RateLimitOptions, 'sliding' | 'countRefused'> {
	return { sliding: kind !== 'fixed', countRefused: kind === 'sliding-all' };
}

export interface SimWorker {
	items: number;
	/** When it starts, from the beginning of the run (ms). */
	startMs?: number;
}

export interface SimOptions {
	kind: WindowKind;
	workers: SimWorker[];
	max?: number;
	intervalMs?: number;
	/** Round trip of each request (ms); the API counts it halfway. */
	roundTripMs?: number;
	/** Up to this much more on each way, at random (a busy process, a slow network). */
	jitterMs?: number;
	/** Called at each send, and at each answer as the worker sees it (after its budget observed it). */
	log?: (entry: SimLogEntry) => void;
}

export interface SimLogEntry {
	at: number;
	worker: number;
	what: 'sent' | 'accepted' | 'refused';
	sequence: number;
	/** The item's attempt (1 for its first). */
	attempt: number;
	/** When the request reached the API (answers only). */
	arrivedAt?: number;
	/** The API's count after it (answers only). */
	remaining?: number;
	budget: RateBudget;
}

export interface SimResult {
	/** When the last item was accepted (ms from the start). */
	wallMs: number;
	/** The floor: every window full from the first request on. */
	floorMs: number;
	tooMany: number;
	/** Items that needed the retry policy's last attempt. */
	lastAttempt: number;
	/** Most requests the API accepted in any interval. */
	busiest: number;
	/** Accepted requests per worker per window of the run ([window][worker]). */
	perWindow: number[][];
	/** When each worker's last item was accepted. */
	finishedMs: number[];
	accepted: number;
}

interface Event {
	at: number;
	order: number;
	run: () => void;
}

/** A seeded random number source (the budget's jitter), so that a run is the same every time. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

const STEP_MS = 1000;

export function simulate(options: SimOptions): SimResult {
	const max = options.max ?? 100;
	const intervalMs = options.intervalMs ?? 10_000;
	const roundTripMs = options.roundTripMs ?? 20;
	const jitterMs = options.jitterMs ?? 0;
	const way = () => roundTripMs / 2 + Math.round(Math.random() * jitterMs);
	let now = 0;
	let order = 0;
	const events: Event[] = [];
	const at = (time: number, run: () => void) => {
		const event = { at: time, order: order++, run };
		let index = events.length;
		while (index > 0 && (events[index - 1].at > time || (events[index - 1].at === time && events[index - 1].order > event.order))) index--;
		events.splice(index, 0, event);
	};
	const api = new RateLimiter({ max, intervalMs, ...windowOptions(options.kind) }, () => now);
	const acceptedAt: number[] = [];
	const perWindow: number[][] = [];
	const finishedMs: number[] = options.workers.map(() => 0);
	let tooMany = 0;
	let lastAttempt = 0;

	options.workers.forEach((spec, worker) => {
		const budget = new RateBudget(() => now);
		/** Items waiting for a slot: how many attempts each has had. */
		const waiting: number[] = [];
		let left = spec.items;
		let busy = false;
		let answerWaiters: Array<() => void> = [];

		const turn = () => {
			if (busy || !waiting.length) return;
			const claim = budget.claim(now, true, waiting.length);
			if ('sequence' in claim) {
				const attempts = waiting.shift()! + 1;
				options.log?.({ at: now, worker, what: 'sent', sequence: claim.sequence, attempt: attempts, budget });
				send(claim.sequence, attempts);
				at(now, turn);
				return;
			}
			busy = true;
			const resume = () => {
				busy = false;
				turn();
			};
			if (claim.waitMs === 'answer') answerWaiters.push(resume);
			else at(now + Math.min(claim.waitMs, STEP_MS), resume);
		};

		const send = (sequence: number, attempts: number) => {
			at(now + way(), () => {
				const verdict = api.hit('token');
				const arrivedAt = now;
				at(now + way(), () => {
					const headers = readRateLimitHeaders(
						{ ...verdict.headers, ...(verdict.retryAfter ? { 'retry-after': String(verdict.retryAfter) } : {}) },
						now,
					);
					budget.observe(headers, sequence, true, !verdict.allowed);
					options.log?.({
						at: now,
						worker,
						what: verdict.allowed ? 'accepted' : 'refused',
						sequence,
						attempt: attempts,
						arrivedAt,
						remaining: headers?.remaining,
						budget,
					});
					if (verdict.allowed) {
						acceptedAt.push(now);
						const window = Math.floor(now / intervalMs);
						while (perWindow.length <= window) perWindow.push(options.workers.map(() => 0));
						perWindow[window][worker]++;
						if (attempts >= DEFAULT_RETRY_POLICY.maxAttempts) lastAttempt++;
						if (--left === 0) finishedMs[worker] = now;
					} else {
						tooMany++;
						budget.pause(headers?.retryAfterMs ?? intervalMs);
						waiting.push(attempts);
					}
					const waiters = answerWaiters;
					answerWaiters = [];
					for (const wake of waiters) wake();
					turn();
				});
			});
		};

		at(spec.startMs ?? 0, () => {
			for (let item = 0; item < spec.items; item++) waiting.push(0);
			turn();
		});
	});

	for (let guard = 0; events.length; guard++) {
		if (guard > 5_000_000) throw new Error('simulation did not end');
		const event = events.shift()!;
		now = event.at;
		event.run();
	}

	const total = options.workers.reduce((sum, spec) => sum + spec.items, 0);
	const firstStart = Math.min(...options.workers.map((spec) => spec.startMs ?? 0));
	let busiest = 0;
	for (let i = 0, j = 0; j < acceptedAt.length; j++) {
		while (acceptedAt[j] - acceptedAt[i] >= intervalMs) i++;
		busiest = Math.max(busiest, j - i + 1);
	}
	return {
		wallMs: Math.max(...finishedMs) - firstStart,
		floorMs: (Math.ceil(total / max) - 1) * intervalMs,
		tooMany,
		lastAttempt,
		busiest,
		perWindow,
		finishedMs,
		accepted: acceptedAt.length,
	};
}

/** Runs in the uneven cases of the tests and of `bench:workers --sim`. */
export type Runs = 'even' | 'half' | 'late';

/** `total` items over `workers`: even shares, worker 1 with half of each other's, or worker 1 starting `lateMs` late (one interval). */
export function simWorkers(runs: Runs, workers: number, total: number, intervalMs: number, lateMs = intervalMs): SimWorker[] {
	const even = Array.from({ length: workers }, (_, worker) => ({
		items: Math.floor(total / workers) + (worker < total % workers ? 1 : 0),
	}));
	if (runs === 'late') return even.map((worker, index) => (index === 0 ? { ...worker, startMs: lateMs } : worker));
	if (runs === 'half' && workers > 1) {
		const full = Math.round((2 * total) / (2 * workers - 1));
		return [{ items: total - full * (workers - 1) }, ...Array.from({ length: workers - 1 }, () => ({ items: full }))];
	}
	return even;
}

/**
 * Windows in which a worker got less than a third of its share (the limit over the workers busy
 * for the whole window: started by its beginning (`workers`' `startMs`), and not finished before its end),
 * twice in a row: [window, worker, accepted, share].
 */
export function starvedWindows(
	result: SimResult,
	max: number,
	intervalMs: number,
	workers?: SimWorker[],
): Array<[number, number, number, number]> {
	const found: Array<[number, number, number, number]> = [];
	const startedMs = result.finishedMs.map((_, worker) => workers?.[worker]?.startMs ?? 0);
	const busyIn = (window: number, worker: number) =>
		startedMs[worker] <= window * intervalMs && result.finishedMs[worker] >= (window + 1) * intervalMs;
	const below = (window: number, worker: number) => {
		const busy = result.finishedMs.filter((_, other) => busyIn(window, other)).length;
		const share = max / busy;
		return busyIn(window, worker) && result.perWindow[window][worker] < share / 3 ? share : 0;
	};
	for (let window = 1; window < result.perWindow.length; window++) {
		for (let worker = 0; worker < result.finishedMs.length; worker++) {
			const share = below(window, worker);
			if (share && below(window - 1, worker)) found.push([window, worker, result.perWindow[window][worker], share]);
		}
	}
	return found;
}

/** Whole windows, after the first one after a worker stopped, with less than 90% of the limit used: [window, accepted]. */
export function unusedWindows(result: SimResult, max: number, intervalMs: number): Array<[number, number]> {
	const firstStop = Math.min(...result.finishedMs);
	const last = Math.floor(Math.max(...result.finishedMs) / intervalMs);
	const found: Array<[number, number]> = [];
	for (let window = Math.floor(firstStop / intervalMs) + 2; window < last; window++) {
		const accepted = result.perWindow[window].reduce((sum, count) => sum + count, 0);
		if (accepted < max * 0.9) found.push([window, accepted]);
	}
	return found;
}
