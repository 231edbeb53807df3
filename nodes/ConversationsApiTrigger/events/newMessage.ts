/**
 * New Message: messages added to any conversation since the last poll.
 *
 * One search, newest last message first, finds the conversations whose last message is at or
 * after the window's start (cursor - overlap); each of them whose search row changed since it was
 * last read gets its messages listed, newest first, down to the window's start. Messages already
 * emitted are recognised by ID. An idle poll is the one search page.
 */
import type { IDataObject } from 'n8n-workflow';
import { missingField, sortValue, timeOf, type Row, type TriggerApi } from '../api';
import { messageItem } from '../../ConversationsApi/shared/items';
import { fingerprint, prune } from '../state';
import {
	BY_LAST_MESSAGE,
	chronological,
	cursorAt,
	newState,
	OVERLAP_MS,
	type EventHandler,
	type TriggerConfig,
} from './types';

/** Fetch Test Event reads at most this many conversations to find the newest matching message. */
const SAMPLE_CONVERSATIONS = 10;

interface Found {
	id: string;
	time: number;
	message: IDataObject;
	row: Row;
}

/** The search, with the conversation-level filters the API applies itself. */
function searchQuery(config: TriggerConfig): IDataObject {
	const qs: IDataObject = { ...BY_LAST_MESSAGE };
	if (config.conversationId) qs.id = config.conversationId;
	if (config.contactId) qs.contactId = config.contactId;
	if (config.assignedTo) qs.assignedTo = config.assignedTo;
	return qs;
}

/** The message-level filters (direction, channel), which the search cannot apply. */
function matches(message: IDataObject, config: TriggerConfig): boolean {
	if (config.direction !== 'both' && message.direction !== config.direction) return false;
	if (config.channels.length && !config.channels.includes(String(message.messageType ?? ''))) return false;
	return true;
}

/**
 * A search row's version: its ID and a fingerprint of what a new message changes (last message
 * date, ID when given, body, type, direction, unread count). A row whose version was read before
 * has no new message; a changed one is listed again.
 */
export function rowVersion(row: IDataObject): string {
	const parts = [sortValue(row), row.lastMessageId, row.lastMessageBody, row.lastMessageType, row.lastMessageDirection, row.unreadCount];
	return `${String(row.id)}@${fingerprint(parts.map((part) => (part === undefined || part === null ? '' : String(part))).join('|'))}`;
}

/** Scheduled messages waiting to be sent are remembered this long at most, this many at most. */
const SCHEDULED_KEEP_MS = 90 * 86_400_000;
const SCHEDULED_MAX = 500;

/**
 * Reads the window: every conversation whose last message is at or after `lowerBound` and whose
 * row changed since it was read, then its messages at or after `lowerBound`, and those it saw
 * scheduled before that are sent now, whatever date they carry. Adds what it reads to `seen` (and
 * scheduled messages to `scheduled`); returns the accepted messages not seen before, and the
 * newest sort value read.
 */
async function readWindow(
	api: TriggerApi,
	qs: IDataObject,
	lowerBound: number,
	seen: Map<string, number>,
	scheduled: Map<string, number>,
	accept: (message: IDataObject) => boolean,
	firstPage?: Row[],
): Promise<{ found: Found[]; newest: number }> {
	const rows = await api.scanSearch(qs, {
		lowerBound,
		recheck: true,
		firstPage,
		// A page of rows all read before ends the scan: an idle poll is one request, also after a
		// burst of more than a page within the overlap (rows below it are older and were read).
		enough: (batch) => batch.length > 0 && batch.every((row) => seen.has(rowVersion(row))),
	});
	rows.push(...(await beyondTies(api, qs, rows)));
	const found: Found[] = [];
	let newest = -Infinity;
	for (const row of rows) {
		const value = sortValue(row);
		if (!Number.isFinite(value)) throw missingField(api.context, 'lastMessageDate', 'sort');
		newest = Math.max(newest, value);
		const version = rowVersion(row);
		if (seen.has(version)) continue;
		const messages = (await api.listMessages(String(row.id), lowerBound)) ?? [];
		for (const message of messages) {
			const id = String(message.id ?? '');
			if (!id || seen.has(id)) continue;
			const time = timeOf(message.dateAdded);
			// A scheduled message is not sent yet: it is remembered and emitted once it is sent.
			if (message.status === 'scheduled') {
				if (!scheduled.has(id)) scheduled.set(id, Date.now());
				continue;
			}
			const wasScheduled = scheduled.delete(id);
			if (!(time >= lowerBound) && !wasScheduled) continue;
			if (!accept(message)) continue;
			// Sent scheduled messages may carry an old date: they stay in `seen` for the window.
			seen.set(id, wasScheduled ? Math.max(time, lowerBound + OVERLAP_MS) : time);
			found.push({ id, time, message, row });
		}
		seen.set(version, value);
	}
	return { found, newest };
}

/**
 * The conversations a tie hid from the search: more than a page of them share one last message
 * time and one creation time, which no search can page through. The message export lists the
 * messages of that time with a cursor; each conversation it names that the search did not show is
 * read by ID. Resolved ties leave the scan's warnings; a tie the export cannot resolve (it failed,
 * e.g. for a missing scope) stays a warning on the poll's items.
 */
async function beyondTies(api: TriggerApi, qs: IDataObject, rows: Row[]): Promise<Row[]> {
	const extra: Row[] = [];
	const known = new Set(rows.map((row) => String(row.id)));
	for (const warning of [...api.warnings]) {
		let ids: Set<string>;
		try {
			ids = await api.conversationsWithMessageAt(warning.sortValue);
		} catch {
			continue;
		}
		for (const id of ids) {
			if (known.has(id)) continue;
			known.add(id);
			// The poll's own filters (contact, assignment) still apply: a row they exclude is not found.
			const [row] = await api.search({ ...qs, id });
			if (row && String(row.id) === id) extra.push(row);
		}
		api.warnings.splice(api.warnings.indexOf(warning), 1);
	}
	return extra;
}

/** The scheduled messages still waiting, the most recently seen first, within the bounds. */
function keepScheduled(scheduled: Map<string, number>, now: number): Record<string, number> | undefined {
	const kept = [...scheduled.entries()]
		.filter(([, since]) => since >= now - SCHEDULED_KEEP_MS)
		.sort((a, b) => b[1] - a[1])
		.slice(0, SCHEDULED_MAX);
	return kept.length ? Object.fromEntries(kept) : undefined;
}

export const newMessage: EventHandler = {
	async init(api, config, key) {
		const top = await api.search(BY_LAST_MESSAGE);
		// An empty location has no history: everything that comes is new.
		if (!top.length) return { state: newState(key, 0, 0), items: [] };
		if (!Number.isFinite(sortValue(top[0]))) throw missingField(api.context, 'lastMessageDate', 'sort');
		// A date in the future (an inbound message dated ahead) does not move the start past now.
		const latest = cursorAt(sortValue(top[0]));
		const lookbackMs = config.lookbackMinutes * 60_000;
		if (lookbackMs > 0) {
			const from = Math.max(latest, Date.now()) - lookbackMs;
			return await newMessage.pass(api, config, newState(key, from, from));
		}
		// Everything up to the location's latest message is history. Messages of that very
		// millisecond are recorded as seen, so that one arriving later in it is still told apart.
		const seen = new Map<string, number>();
		const scheduled = new Map<string, number>();
		await readWindow(api, BY_LAST_MESSAGE, latest, seen, scheduled, () => true, top);
		const state = { ...newState(key, latest, latest), seen: prune(seen, latest), scheduled: keepScheduled(scheduled, Date.now()) };
		if (!state.scheduled) delete state.scheduled;
		return { state, items: [] };
	},

	async pass(api, config, state) {
		const lowerBound = Math.max(state.floor, state.cursor - OVERLAP_MS);
		const seen = new Map(Object.entries(state.seen));
		const scheduled = new Map(Object.entries(state.scheduled ?? {}));
		const { found, newest } = await readWindow(api, searchQuery(config), lowerBound, seen, scheduled, (message) => matches(message, config));
		// The cursor never passes the trigger's own clock: an event dated ahead is emitted (it is in
		// the window) but does not hide the events that come before its date.
		const cursor = cursorAt(Math.max(state.cursor, newest));
		found.sort(chronological);
		const next = { ...state, cursor, seen: prune(seen, Math.max(state.floor, cursor - OVERLAP_MS)), scheduled: keepScheduled(scheduled, Date.now()) };
		if (!next.scheduled) delete next.scheduled;
		return { state: next, items: found.map((event) => messageItem(event.message, event.row)) };
	},

	async sample(api, config) {
		const rows = await api.search(searchQuery(config));
		let best: Found | undefined;
		for (const [index, row] of rows.entries()) {
			// Rows come newest last message first: none further down can hold a newer message.
			if (index >= SAMPLE_CONVERSATIONS || (best && sortValue(row) < best.time)) break;
			const messages = (await api.listMessages(String(row.id), -Infinity, 1)) ?? [];
			for (const message of messages) {
				if (message.status === 'scheduled' || !matches(message, config)) continue;
				const candidate = { id: String(message.id ?? ''), time: timeOf(message.dateAdded), message, row };
				if (!best || chronological(candidate, best) > 0) best = candidate;
			}
		}
		return best ? [messageItem(best.message, best.row)] : [];
	},
};
