/**
 * Which events a trigger has already accepted, by `webhookId`, so that HighLevel's retries and
 * replayed requests start no second execution.
 *
 * Two places hold the record, because neither is enough alone:
 * - **Process memory** (this module): one store per workflow and trigger node, shared by every
 *   request the process handles. n8n builds a fresh copy of the workflow, static data included,
 *   for each webhook request, so concurrent deliveries of one event cannot see each other through
 *   static data; here the check and the insert happen in one synchronous step, so 20 concurrent
 *   deliveries give one execution.
 * - **The node's static data** (saved by n8n to its database after each webhook call that changed
 *   it): the most recent IDs, read back by every request, so the record survives a restart of n8n
 *   and reaches other webhook processes of a queue-mode setup (for retries, which come minutes
 *   apart; not for two processes receiving the same event in the same instant).
 */
import type { IDataObject } from 'n8n-workflow';

/**
 * How long an event is remembered, and how old a `timestamp` may be. HighLevel retries a failed
 * delivery up to 12 times with exponential backoff (its earlier, 429-only policy: 6 retries 10
 * minutes apart, about 70 minutes); a day covers that with a wide margin.
 */
export const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A `timestamp` this far ahead of n8n's clock is still accepted (clock skew). */
export const FUTURE_SKEW_MS = 5 * 60 * 1000;

/** Events remembered in memory per trigger node: a day of 70 events a minute. */
export const MAX_REMEMBERED = 100_000;

/** Events written to static data: the most recent ones (about 35 bytes each). */
export const MAX_PERSISTED = 2_000;

/** The static data key; its value is a JSON string, `[[id, seenAtMs], ...]`, oldest first. */
const STATIC_KEY = 'replay';

type Entry = [id: string, seenAt: number];

/** The trigger's clock (tests move it to pass a day in an instant). */
export const replayClock = { now: (): number => Date.now() };

export class ReplayStore {
	private readonly seen = new Map<string, number>();
	/** The most recent entries, oldest first (a buffer that is cut back now and then). */
	private recent: Entry[] = [];
	/** The static data text read last, so that an unchanged record is not parsed again, and its entries. */
	private lastLoaded = '';
	private loaded: Entry[] = [];

	get size(): number {
		return this.seen.size;
	}

	/** Takes in what the static data remembers (written by this or another process). */
	load(staticData: IDataObject, now: number): void {
		const text = staticData[STATIC_KEY];
		if (typeof text !== 'string' || text === this.lastLoaded) return;
		this.lastLoaded = text;
		this.loaded = [];
		let entries: unknown;
		try {
			entries = JSON.parse(text);
		} catch {
			return; // A damaged record is rewritten from memory at the next accepted event.
		}
		if (!Array.isArray(entries)) return;
		for (const entry of entries) {
			if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') continue;
			if (entry[1] < now - REPLAY_WINDOW_MS) continue;
			this.loaded.push([entry[0], entry[1]]);
			if (!this.seen.has(entry[0])) this.seen.set(entry[0], entry[1]);
		}
		this.prune(now);
	}

	/**
	 * True when the ID is new (and remembers it), false when it was seen within the window. One
	 * synchronous step: no other request can run between the check and the insert.
	 */
	remember(id: string, now: number): boolean {
		const seenAt = this.seen.get(id);
		if (seenAt !== undefined && seenAt >= now - REPLAY_WINDOW_MS) return false;
		this.seen.delete(id);
		this.seen.set(id, now);
		this.recent.push([id, now]);
		if (this.recent.length >= 2 * MAX_PERSISTED) this.recent = this.recent.slice(-MAX_PERSISTED);
		this.prune(now);
		return true;
	}

	/** Writes the most recent IDs (this process's and those read from static data) back. */
	save(staticData: IDataObject, now: number): void {
		const merged = new Map<string, number>(this.loaded);
		for (const [id, seenAt] of this.recent.slice(-MAX_PERSISTED)) merged.set(id, seenAt);
		const entries = [...merged]
			.filter(([, seenAt]) => seenAt >= now - REPLAY_WINDOW_MS)
			.sort((a, b) => a[1] - b[1])
			.slice(-MAX_PERSISTED);
		const text = JSON.stringify(entries);
		staticData[STATIC_KEY] = text;
		this.lastLoaded = text;
		this.loaded = entries;
	}

	/** Forgets what is older than the window, then the oldest beyond the bound. */
	private prune(now: number): void {
		const oldest = now - REPLAY_WINDOW_MS;
		for (const [id, seenAt] of this.seen) {
			if (seenAt >= oldest && this.seen.size <= MAX_REMEMBERED) break;
			this.seen.delete(id);
		}
	}
}

const stores = new Map<string, ReplayStore>();

/** The store of one trigger node of one workflow, in this process. */
export function replayStoreFor(workflowId: string, nodeId: string): ReplayStore {
	const key = `${workflowId}\u0000${nodeId}`;
	let store = stores.get(key);
	if (!store) {
		store = new ReplayStore();
		stores.set(key, store);
	}
	return store;
}

/** Forgets every store, as a restart of the process does (tests and benchmarks). */
export function resetReplayStores(): void {
	stores.clear();
}

/**
 * An event's `timestamp` as milliseconds: an ISO date, or epoch seconds or milliseconds (as a
 * number or numeric text). Undefined when absent or unreadable.
 */
export function timestampOf(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const numeric = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(String(value)) ? Number(value) : undefined;
	if (numeric !== undefined) return Number.isFinite(numeric) ? (numeric < 1e12 ? numeric * 1000 : numeric) : undefined;
	if (typeof value !== 'string') return undefined;
	const parsed = Date.parse(value);
	return Number.isNaN(parsed) ? undefined : parsed;
}

/** Whether a timestamp lies outside what is accepted: older than the window, or in the future. */
export function isStale(timestamp: number | undefined, now: number): boolean {
	if (timestamp === undefined) return false;
	return timestamp < now - REPLAY_WINDOW_MS || timestamp > now + FUTURE_SKEW_MS;
}
