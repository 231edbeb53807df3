/* eslint-disable @n8n/community-nodes/no-restricted-globals --
   test support, never shipped: it yields to the event loop with Node's timers. */
/**
 * Virtual time for the node's pacing, retries and location-token lifetimes: setup.ts puts
 * `virtualTime` in place of the node's time module (shared/time.ts) with jest.mock, so
 * `sleep` returns at once and moves the virtual clock on instead; a 10-second rate-limit window
 * or a backoff costs nothing and the waits can be asserted exactly. Only waits (and `advance`)
 * move it: virtual time does not follow real time, and a wait ends only once no request of the
 * node is in flight (as if the network took no time), so a server on the same clock sees each
 * request at the moment the node sent it.
 */
import { freshProcess } from './process';

const start = Date.UTC(2026, 10, 24, 12, 0, 0);
let offset = 0;
const sleeps: number[] = [];
let hooks: Array<() => Promise<void> | void> = [];

export const virtualClock = {
	now: (): number => start + offset,
	/** Every wait asked for, in milliseconds, in order. */
	sleeps,
	/** Forgets the recorded waits. */
	clear(): void {
		sleeps.length = 0;
		hooks = [];
	},
	/** Runs `hook` when the next wait begins (e.g. to bring a server up while the node waits). */
	beforeNextSleep(hook: () => Promise<void> | void): void {
		hooks.push(hook);
	},
	/** Moves virtual time on by `ms`, as time passing between runs. */
	advance(ms: number): void {
		offset += ms;
	},
};

/** What the node's time module (shared/time.ts) is replaced with. */
export const virtualTime = {
	now: virtualClock.now,
	/** A wait inside a request in flight (shared/time.ts): only lets other work run. */
	async pause(): Promise<void> {
		await new Promise((resolve) => setImmediate(resolve));
	},
	async sleep(ms: number): Promise<void> {
		sleeps.push(ms);
		const target = offset + Math.max(0, ms);
		const hook = hooks.shift();
		if (hook) await hook();
		// Let other work run first, as a real wait would, and the requests on their way arrive.
		await new Promise((resolve) => setImmediate(resolve));
		while (freshProcess.requestsInFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 1));
		// Waits that overlap end at the latest of them, not at their sum.
		offset = Math.max(offset, target);
	},
};
