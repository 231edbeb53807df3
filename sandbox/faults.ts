/**
 * Injected server errors, for testing clients against a flaky API: GET requests of the API (not the
 * sandbox's own routes) answer 500 or 503 with the API's error body, at random (seeded) and/or for
 * the next N requests.
 */
import { Random } from './random';

export interface FaultOptions {
	/** Probability (0..1) that a GET request of the API fails. */
	rate: number;
	/** Seed of the random draws (reproducible runs); default 1. */
	seed?: number;
	/** Statuses to answer with, picked at random; default [500, 503]. */
	statuses?: number[];
}

const MESSAGES: Record<number, string> = {
	500: 'Internal server error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

export class FaultInjector {
	private rate: number;
	private statuses: number[];
	private random: Random;
	private queued: number[] = [];
	/** How many answers were turned into errors so far. */
	injected = 0;

	constructor(options?: FaultOptions) {
		this.rate = Math.min(1, Math.max(0, options?.rate ?? 0));
		this.statuses = options?.statuses?.length ? options.statuses : [500, 503];
		this.random = new Random(options?.seed ?? 1, 7);
	}

	/** Changes the random failure rate (0 turns it off). */
	setRate(rate: number): void {
		this.rate = Math.min(1, Math.max(0, rate));
	}

	/** The next `count` GET requests of the API fail with `status`. */
	failNext(count: number, status = 503): void {
		for (let i = 0; i < count; i++) this.queued.push(status);
	}

	/** Called per GET request: the status to fail it with, or undefined to answer it normally. */
	draw(): number | undefined {
		const status = this.queued.length
			? this.queued.shift()
			: this.rate > 0 && this.random.chance(this.rate)
				? this.random.pick(this.statuses)
				: undefined;
		if (status !== undefined) this.injected++;
		return status;
	}

	static body(status: number): { statusCode: number; message: string } {
		return { statusCode: status, message: MESSAGES[status] ?? 'Server error' };
	}
}
