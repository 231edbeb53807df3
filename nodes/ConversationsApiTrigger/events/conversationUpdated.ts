/**
 * Conversation Updated: the unread count, the star or the assignment of a conversation changed.
 *
 * The API has no "updated since" search (no `dateUpdated` sort or filter), so the trigger keeps a
 * snapshot of the N most recently active conversations (search by last message date, N = "Conversations
 * to Watch", one request per 100) and reports what differs from the previous poll. Known limits:
 * - a change to a conversation outside those N is not seen (e.g. a star set on an old conversation);
 * - a change undone before the next poll is not seen, and several changes between two polls are
 *   one event (with the value before and after);
 * - a conversation seen for the first time (or again after it was dropped from the snapshot) is
 *   recorded without an event.
 * The snapshot keeps up to 2 × N conversations, the most recently active first.
 */
import type { IDataObject } from 'n8n-workflow';
import { sortValue, timeOf, type Row, type TriggerApi } from '../api';
import { conversationItem } from '../../ConversationsApi/shared/items';
import type { Snapshot, TriggerState } from '../state';
import { BY_LAST_MESSAGE, chronological, newState, type EventHandler, type TriggerConfig, type WatchedField } from './types';

const FIELDS: Record<WatchedField, number> = { unreadCount: 0, starred: 1, assignedTo: 2 };

function snapshotOf(row: Row): Snapshot {
	const value = sortValue(row);
	return [
		Number(row.unreadCount ?? 0) || 0,
		row.starred === true ? 1 : 0,
		String(row.assignedTo ?? ''),
		Number.isFinite(value) ? value : 0,
	];
}

function valueOf(field: WatchedField, snapshot: Snapshot): unknown {
	if (field === 'starred') return snapshot[1] === 1;
	if (field === 'assignedTo') return snapshot[2] || null;
	return snapshot[0];
}

async function watched(api: TriggerApi, config: TriggerConfig): Promise<Row[]> {
	return await api.scanSearch(BY_LAST_MESSAGE, { maxRows: config.watchCount });
}

/** The snapshot with the rows' current values, cut to the `limit` most recently active. */
function nextSnapshot(previous: Record<string, Snapshot>, rows: Row[], limit: number): Record<string, Snapshot> {
	const merged = new Map(Object.entries(previous));
	for (const row of rows) merged.set(String(row.id), snapshotOf(row));
	const kept = [...merged.entries()].sort((a, b) => b[1][3] - a[1][3] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
	return Object.fromEntries(kept);
}

function finish(
	key: string,
	previous: TriggerState | undefined,
	rows: Row[],
	config: TriggerConfig,
	snapshot: Record<string, Snapshot>,
): TriggerState {
	const newest = rows.reduce((max, row) => Math.max(max, Number.isFinite(sortValue(row)) ? sortValue(row) : 0), previous?.cursor ?? 0);
	return { ...newState(key, Number.isFinite(newest) ? newest : 0, 0), snapshot: nextSnapshot(snapshot, rows, 2 * config.watchCount) };
}

export const conversationUpdated: EventHandler = {
	async init(api, config, key) {
		const rows = await watched(api, config);
		return { state: finish(key, undefined, rows, config, {}), items: [] };
	},

	async pass(api, config, state) {
		const rows = await watched(api, config);
		const snapshot = state.snapshot ?? {};
		const changed: Array<{ id: string; time: number; item: IDataObject }> = [];
		for (const row of rows) {
			const before = snapshot[String(row.id)];
			if (!before) continue;
			const now = snapshotOf(row);
			const changes = config.watchFor.filter((field) => before[FIELDS[field]] !== now[FIELDS[field]]);
			if (!changes.length) continue;
			const previous = Object.fromEntries(changes.map((field) => [field, valueOf(field, before)]));
			const updated = timeOf(row.dateUpdated);
			changed.push({
				id: String(row.id),
				time: Number.isFinite(updated) ? updated : sortValue(row),
				item: { ...conversationItem(row), changes, previous },
			});
		}
		changed.sort(chronological);
		return { state: finish(state.key, state, rows, config, snapshot), items: changed.map((change) => change.item) };
	},

	async sample(api) {
		const [row] = await api.search(BY_LAST_MESSAGE);
		// No past change can be read back: the most recently active conversation shows the item's shape.
		return row ? [{ ...conversationItem(row), changes: [], previous: {} }] : [];
	},
};
