/**
 * Which events a trigger has already accepted, by `webhookId`, so that HighLevel's retries and
 * replayed requests start no second execution.
 *
 * Two places hold the record, because neither is enough alone:
 * - **Process memory** (`ReplayMemory`, owned by the node type, which n8n loads once per
 *   process): one store per workflow and trigger node, shared by every request the process handles. n8n builds a fresh copy of the workflow, static data included,
 *   for each webhook request, so concurrent deliveries of one event cannot see each other through
 *   static data; here the check and the insert happen in one synchronous step, so 20 concurrent
 *   deliveries give one execution.
 * - **The node's static data** (saved by n8n to its database after each webhook call that changed
 *   it): the most recent IDs, read back by every request, so the record survives a restart of n8n
 *   and reaches other webhook processes of a queue-mode setup (for retries, which come minutes
 *   apart; not for two processes receiving the same event in the same instant).
 */
import { createHash } from 'crypto';
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

/** Events written to static data: the most recent ones (about 24 bytes each: 24 KB). */
export const MAX_PERSISTED = 1_000;

/** Recent texts of its own a store recognises without merging (more than the requests n8n runs at once). */
const MAX_WRITTEN = 32;

/**
 * The static data key. Its value is text, `<key>.<seconds, base 36> ...`, oldest first: a string is
 * copied, not parsed, when nothing but this process wrote it, and n8n keeps it as it is.
 */
const STATIC_KEY = 'replay';

/** A webhookId as 16 characters (96 bits of SHA-256): the same size whatever the ID, and safe in the text. */
export function keyOf(webhookId: string): string {
	return createHash('sha256').update(webhookId).digest('base64url').slice(0, 16);
}

function entryOf(key: string, seenAt: number): string {
	return `${key}.${Math.floor(seenAt / 1000).toString(36)}`;
}

/** The entries of a static data text, skipping anything malformed. */
function parse(text: string): Array<[key: string, seenAt: number]> {
	const entries: Array<[string, number]> = [];
	for (const entry of text.split(' ')) {
		const [key, seconds] = entry.split('.');
		const seenAt = parseInt(seconds ?? '', 36) * 1000;
		if (key?.length === 16 && Number.isFinite(seenAt)) entries.push([key, seenAt]);
	}
	return entries;
}

/** One trigger node's record (a workflow's, in one process): `ReplayMemory.storeFor` gives it. */
class ReplayStore {
	private readonly seen = new Map<string, number>();
	/** What this process last wrote to (or merged from) static data, and how many entries it holds. */
	private text = '';
	private count = 0;
	/**
	 * The texts this process wrote lately, newest last. Concurrent requests each start from the
	 * static data n8n loaded when they arrived, so most see one of these, older than `text` but
	 * holding nothing `text` lacks: no merge needed.
	 */
	private readonly written = new Set<string>();

	get size(): number {
		return this.seen.size;
	}

	/**
	 * Takes in what the static data remembers. Written by this process (now or a few saves ago):
	 * nothing to do. Written elsewhere (before a restart, by another process): both are merged, so
	 * no ID is lost from the record.
	 */
	load(staticData: IDataObject, now: number): void {
		const stored = staticData[STATIC_KEY];
		if (typeof stored !== 'string' || stored === this.text || this.written.has(stored)) return;
		const merged = new Map<string, number>(parse(this.text));
		for (const [key, seenAt] of parse(stored)) {
			if (seenAt < now - REPLAY_WINDOW_MS) continue;
			if (!merged.has(key) || (merged.get(key) as number) > seenAt) merged.set(key, seenAt);
			if (!this.seen.has(key)) this.seen.set(key, seenAt);
		}
		const entries = [...merged].sort((a, b) => a[1] - b[1]).slice(-MAX_PERSISTED);
		this.text = entries.map(([key, seenAt]) => entryOf(key, seenAt)).join(' ');
		this.count = entries.length;
		this.prune(now);
	}

	/**
	 * True when the ID is new (and remembers it), false when it was seen within the window. One
	 * synchronous step: no other request can run between the check and the insert.
	 */
	remember(webhookId: string, now: number): boolean {
		const key = keyOf(webhookId);
		const seenAt = this.seen.get(key);
		if (seenAt !== undefined && seenAt >= now - REPLAY_WINDOW_MS) return false;
		this.seen.delete(key);
		this.seen.set(key, now);
		this.text = this.text ? `${this.text} ${entryOf(key, now)}` : entryOf(key, now);
		this.count++;
		// Cut the oldest entries now and then (not at every event: a cut copies the text).
		if (this.count > MAX_PERSISTED + MAX_PERSISTED / 10) {
			let at = -1;
			for (let i = 0; i < this.count - MAX_PERSISTED; i++) at = this.text.indexOf(' ', at + 1);
			this.text = this.text.slice(at + 1);
			this.count = MAX_PERSISTED;
		}
		// And the entries older than the window, from the head (the oldest first).
		for (;;) {
			const space = this.text.indexOf(' ');
			if (space < 0) break;
			const seconds = parseInt(this.text.slice(this.text.indexOf('.') + 1, space), 36);
			if (!(seconds * 1000 < now - REPLAY_WINDOW_MS)) break;
			this.text = this.text.slice(space + 1);
			this.count--;
		}
		this.prune(now);
		return true;
	}

	/** Writes the record (this process's recent IDs and those merged from static data) back. */
	save(staticData: IDataObject): void {
		staticData[STATIC_KEY] = this.text;
		this.written.add(this.text);
		if (this.written.size > MAX_WRITTEN) this.written.delete(this.written.values().next().value as string);
	}

	/** Forgets what is older than the window, then the oldest beyond the bound. */
	private prune(now: number): void {
		const oldest = now - REPLAY_WINDOW_MS;
		for (const [key, seenAt] of this.seen) {
			if (seenAt >= oldest && this.seen.size <= MAX_REMEMBERED) break;
			this.seen.delete(key);
		}
	}
}

/**
 * What one n8n process remembers: a store per workflow and trigger node. The node type owns one
 * (n8n loads each node type once per process), so a fresh one is what a restart leaves.
 */
export class ReplayMemory {
	private readonly stores = new Map<string, ReplayStore>();

	/** The store of one trigger node of one workflow. */
	storeFor(workflowId: string, nodeId: string): ReplayStore {
		const key = `${workflowId}\u0000${nodeId}`;
		let store = this.stores.get(key);
		if (!store) {
			store = new ReplayStore();
			this.stores.set(key, store);
		}
		return store;
	}
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
