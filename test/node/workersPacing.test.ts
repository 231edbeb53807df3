/**
 * Many workers, one limit: each worker (an n8n queue-mode worker) has its own rate budget and sees
 * only the X-RateLimit-* headers of its own answers. Simulated in virtual time against the
 * sandbox's limiter counting a fixed window, a sliding window of accepted requests, or a sliding
 * window of all requests (test/support/rateSim.ts), with the budget's own decisions (`claim`,
 * `observe`, `pause`). The bounds are on counts per window: fair (while others are busy, no
 * worker below a third of its share for two windows in a row), full (after a worker stopped, the
 * others use the windows), safe (every item accepted once, few 429s, none on its last attempt).
 * Wall times are measured by `./dev bench:workers`, not here.
 */
import { seededRandom, simulate, type SimResult, type SimWorker, type WindowKind } from '../support/rateSim';

const MAX = 100;
const INTERVAL = 10_000;
const TOTAL = 1000;

function even(workers: number): SimWorker[] {
	return Array.from({ length: workers }, (_, worker) => ({ items: Math.floor(TOTAL / workers) + (worker < TOTAL % workers ? 1 : 0) }));
}

/** Worker 1 starts one interval after the others. */
function late(workers: number): SimWorker[] {
	return even(workers).map((worker, index) => (index === 0 ? { ...worker, startMs: INTERVAL } : worker));
}

/** Worker 1 has half the items of each other worker. */
function half(workers: number): SimWorker[] {
	const full = Math.round((2 * TOTAL) / (2 * workers - 1));
	return [{ items: TOTAL - full * (workers - 1) }, ...Array.from({ length: workers - 1 }, () => ({ items: full }))];
}

function run(kind: WindowKind, workers: SimWorker[]): SimResult {
	jest.spyOn(Math, 'random').mockImplementation(seededRandom(22));
	try {
		return simulate({ kind, workers, max: MAX, intervalMs: INTERVAL, roundTripMs: 20 });
	} finally {
		jest.restoreAllMocks();
	}
}

/**
 * Windows in which a worker got less than a third of its share (the limit over the workers busy
 * for the whole window), twice in a row: [window, worker, accepted, share].
 */
function starved(result: SimResult): Array<[number, number, number, number]> {
	const found: Array<[number, number, number, number]> = [];
	const below = (window: number, worker: number) => {
		const busy = result.finishedMs.filter((finished) => finished >= (window + 1) * INTERVAL).length;
		const share = MAX / busy;
		return result.finishedMs[worker] >= (window + 1) * INTERVAL && result.perWindow[window][worker] < share / 3 ? share : 0;
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
function unused(result: SimResult): Array<[number, number]> {
	const firstStop = Math.min(...result.finishedMs);
	const last = Math.floor(Math.max(...result.finishedMs) / INTERVAL);
	const found: Array<[number, number]> = [];
	for (let window = Math.floor(firstStop / INTERVAL) + 2; window < last; window++) {
		const accepted = result.perWindow[window].reduce((sum, count) => sum + count, 0);
		if (accepted < MAX * 0.9) found.push([window, accepted]);
	}
	return found;
}

function safe(result: SimResult, workers: SimWorker[]) {
	const items = workers.reduce((sum, worker) => sum + worker.items, 0);
	expect(result.accepted).toBe(items);
	expect(result.lastAttempt).toBe(0);
}

describe('Workers sharing one limit (simulated, virtual time)', () => {
	describe('fixed window', () => {
		it.each([2, 3, 5])(
			'%i workers, even runs: each about its share in every window, every item once, 429s at most 5%% of the sends',
			(workers) => {
				const spec = even(workers);
				const result = run('fixed', spec);

				safe(result, spec);
				expect(result.tooMany).toBeLessThanOrEqual(TOTAL * 0.05);
				expect(starved(result)).toEqual([]);
			},
		);

		it.each([2, 3, 5])(
			'%i workers, one with half the items: fair while it runs, the others take its part within a window when it stops',
			(workers) => {
				const spec = half(workers);
				const result = run('fixed', spec);

				safe(result, spec);
				expect(result.tooMany).toBeLessThanOrEqual(TOTAL * 0.05);
				expect(starved(result)).toEqual([]);
				expect(unused(result)).toEqual([]);
			},
		);

		it.each([2, 3, 5])('%i workers, one starting a window late: it gets its share from its first window on', (workers) => {
			const spec = late(workers);
			const result = run('fixed', spec);

			safe(result, spec);
			expect(result.tooMany).toBeLessThanOrEqual(TOTAL * 0.05);
			expect(starved(result)).toEqual([]);
			expect(result.perWindow[1][0]).toBeGreaterThanOrEqual(MAX / workers / 3);
		});
	});

	describe('sliding window counting accepted requests', () => {
		it.each([2, 3, 5])(
			'%i workers, even runs: every item once, 429s at most 5%% of the sends, never more than the limit in an interval',
			(workers) => {
				const spec = even(workers);
				const result = run('sliding', spec);

				safe(result, spec);
				expect(result.tooMany).toBeLessThanOrEqual(TOTAL * 0.05);
				expect(result.busiest).toBeLessThanOrEqual(MAX);
			},
		);

		// Issue 22, open: the worker that holds most of the window keeps it (it knows when its own
		// requests leave the window), the other gets one request per window for several windows.
		it.failing('2 workers, even runs: neither below a third of its share for two windows in a row', () => {
			const result = run('sliding', even(2));

			expect(starved(result)).toEqual([]);
		});
	});

	it.each([2, 3, 5])(
		'a sliding window counting refused requests too, %i workers: every item once, none on its last attempt, never more than the limit',
		(workers) => {
			const spec = even(workers);
			const result = run('sliding-all', spec);

			safe(result, spec);
			expect(result.busiest).toBeLessThanOrEqual(MAX);
		},
	);
});
