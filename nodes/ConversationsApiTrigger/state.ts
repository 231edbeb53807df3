import type { IDataObject } from 'n8n-workflow';

/**
 * What the trigger keeps between polls, in the node's static data (n8n saves it with the
 * workflow). It is replaced as a whole at the end of a successful poll only.
 */
export interface TriggerState {
	/** Format version. */
	v: 1;
	/** The event and location it belongs to: another event or location starts afresh. */
	key: string;
	/** The newest time (ms) the last completed poll read up to. */
	cursor: number;
	/** Times before this (ms) are history from before the first activation: never emitted. */
	floor: number;
	/**
	 * What was already handled in the overlap window, with its time (ms): message IDs,
	 * conversation IDs (new conversations), and `conversationId@fingerprint` versions of search rows.
	 * Pruned to times >= cursor - overlap.
	 */
	seen: Record<string, number>;
	/**
	 * New Message: scheduled messages seen, not sent yet: ID → when first seen (ms), or
	 * [when first seen, conversation ID, the message's date] (its send time when the API dates it so).
	 */
	scheduled?: Record<string, ScheduledEntry>;
	/** Conversation Updated: the last known [unreadCount, starred (0/1), assignedTo, sort value] by ID. */
	snapshot?: Record<string, Snapshot>;
}

export type Snapshot = [number, number, string, number];

export type ScheduledEntry = number | [number, string, number];

export const STATE_FIELD = 'conversationsApiTrigger';

/** The state saved for this key, or undefined (first activation, other event or location, unreadable). */
export function readState(staticData: IDataObject, key: string): TriggerState | undefined {
	const raw = staticData[STATE_FIELD] as IDataObject | undefined;
	if (!raw || typeof raw !== 'object' || raw.v !== 1 || raw.key !== key) return undefined;
	if (typeof raw.cursor !== 'number' || typeof raw.floor !== 'number' || !Number.isFinite(raw.cursor) || !Number.isFinite(raw.floor))
		return undefined;
	const seen = raw.seen && typeof raw.seen === 'object' ? (raw.seen as Record<string, number>) : {};
	const snapshot = raw.snapshot && typeof raw.snapshot === 'object' ? (raw.snapshot as Record<string, Snapshot>) : undefined;
	const scheduled = raw.scheduled && typeof raw.scheduled === 'object' ? (raw.scheduled as Record<string, ScheduledEntry>) : undefined;
	// A plain copy: the static data object n8n hands out may be an observable proxy.
	return JSON.parse(JSON.stringify({ v: 1, key, cursor: raw.cursor, floor: raw.floor, seen, snapshot, scheduled })) as TriggerState;
}

/** Saves the state; leaves the static data untouched (and n8n's save skipped) when nothing changed. */
export function writeState(staticData: IDataObject, state: TriggerState): boolean {
	// A cursor that is not a finite time would be saved as null and never read back.
	if (!Number.isFinite(state.cursor) || !Number.isFinite(state.floor)) throw new Error('The trigger state has no valid cursor');
	const next = JSON.parse(JSON.stringify(state)) as IDataObject;
	if (JSON.stringify(staticData[STATE_FIELD] ?? null) === JSON.stringify(next)) return false;
	staticData[STATE_FIELD] = next;
	return true;
}

/** Keeps the entries at or after `from`. */
export function prune(seen: Map<string, number>, from: number): Record<string, number> {
	const kept: Record<string, number> = {};
	const entries = [...seen.entries()].filter(([, time]) => time >= from).sort((a, b) => a[1] - b[1]);
	for (const [key, time] of entries) kept[key] = time;
	return kept;
}

/** FNV-1a (32 bit) of a text, base 36: a short fingerprint, not a security measure. */
export function fingerprint(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(36);
}
