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
import { fingerprint, prune, type ScheduledEntry } from '../state';
import { isBlank } from '../../ConversationsApi/shared/preSend';
import { BY_LAST_MESSAGE, chronological, cursorAt, newState, OVERLAP_MS, type EventHandler, type TriggerConfig } from './types';

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
function rowVersion(row: IDataObject): string {
	const parts = [sortValue(row), row.lastMessageId, row.lastMessageBody, row.lastMessageType, row.lastMessageDirection, row.unreadCount];
	return `${String(row.id)}@${fingerprint(parts.map((part) => (part === undefined || part === null ? '' : String(part))).join('|'))}`;
}

/** Scheduled messages waiting to be sent are remembered this long at most, this many at most. */
const SCHEDULED_KEEP_MS = 90 * 86_400_000;
const SCHEDULED_MAX = 500;
/** A scheduled message past its send time is looked up again for this long, this many conversations a poll. */
const OVERDUE_RECHECK_MS = 86_400_000;
const OVERDUE_PER_POLL = 10;
/** A row's last message date and a message's date this close are the same event (two clocks write them). */
const SAME_EVENT_MS = 2_000;

/** A scheduled message seen, not sent yet: when first seen; when it was dated ahead, its conversation and date (its send time). */
interface Waiting {
	since: number;
	conversationId?: string;
	date?: number;
}

function toWaiting(value: ScheduledEntry): Waiting {
	if (typeof value === 'number') return { since: value };
	const [since, conversationId, date] = value;
	return { since, conversationId, date };
}

/** Not (or no longer) on its way: emitted neither now nor later. */
function notSent(message: IDataObject): boolean {
	const status = String(message.status ?? '');
	return status === 'scheduled' || /cancel/i.test(status);
}

/** The row's newest arrival, as far as the row tells it (its ID when given, else its text). */
function isRowsLast(message: IDataObject, row: Row): boolean {
	if (!isBlank(row.lastMessageId)) return String(row.lastMessageId) === String(message.id);
	return !isBlank(row.lastMessageBody) && String(row.lastMessageBody) === String(message.body ?? '');
}

interface Window {
	found: Found[];
	newest: number;
	/** The conversations whose messages were listed. */
	listed: Set<string>;
	/** The search rows read, by conversation ID. */
	rows: Map<string, Row>;
}

/**
 * Reads the window: every conversation whose last message is at or after `lowerBound` and whose
 * row changed since it was read, then its messages at or after `lowerBound`, and those it saw
 * scheduled before that are sent now, whatever date they carry. Adds what it reads to `seen` (and
 * scheduled messages to `scheduled`); returns the accepted messages not seen before, and the
 * newest sort value read.
 *
 * A scheduled message the trigger never saw (its row did not show it) keeps its creation date when
 * it is sent, below the window; the row then moves to the send time. A row that moved to a time no
 * message of the window carries took an older message as its newest arrival: the sent one the row
 * names (by ID, else by text) is emitted, once.
 */
async function readWindow(
	api: TriggerApi,
	qs: IDataObject,
	lowerBound: number,
	seen: Map<string, number>,
	scheduled: Map<string, Waiting>,
	accept: (message: IDataObject) => boolean,
	firstPage?: Row[],
): Promise<Window> {
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
	const listed = new Set<string>();
	let newest = -Infinity;
	for (const row of rows) {
		const value = sortValue(row);
		if (!Number.isFinite(value)) throw missingField(api.context, 'lastMessageDate', 'sort');
		newest = Math.max(newest, value);
		const version = rowVersion(row);
		if (seen.has(version)) continue;
		const messages = (await api.listMessages(String(row.id), lowerBound)) ?? [];
		listed.add(String(row.id));
		let explained = false;
		for (const message of messages) {
			const id = String(message.id ?? '');
			if (!id) continue;
			const time = timeOf(message.dateAdded);
			if (Math.abs(time - value) <= SAME_EVENT_MS) explained = true;
			if (seen.has(id)) continue;
			// A scheduled message is not sent yet: it is remembered and emitted once it is sent.
			if (message.status === 'scheduled') {
				// Dated ahead, its date is its send time: it is looked up again then (see `overdue`).
				const since = Date.now();
				if (!scheduled.has(id)) scheduled.set(id, time > since ? { since, conversationId: String(row.id), date: time } : { since });
				continue;
			}
			const wasScheduled = scheduled.delete(id);
			if (!(time >= lowerBound) && !wasScheduled) continue;
			if (notSent(message) || !accept(message)) continue;
			// Sent scheduled messages may carry an old date: they stay in `seen` while their row is in the window.
			seen.set(id, wasScheduled ? Math.max(time, value, lowerBound + OVERLAP_MS) : time);
			found.push({ id, time, message, row });
		}
		if (!explained && value >= lowerBound) {
			const last = messages.find((message) => isRowsLast(message, row));
			const id = String(last?.id ?? '');
			if (last && id && !seen.has(id) && timeOf(last.dateAdded) < lowerBound && !notSent(last)) {
				scheduled.delete(id);
				seen.set(id, value);
				if (accept(last)) found.push({ id, time: value, message: last, row });
			}
		}
		seen.set(version, value);
	}
	return { found, newest, listed, rows: new Map(rows.map((row) => [String(row.id), row])) };
}

/**
 * Scheduled messages dated at their send time whose row does not change when they are sent (only
 * their status does): once that time has passed, their conversations are listed again (those the
 * window did not list), a few a poll, for a day at most. Returns the sent ones; forgets those gone.
 */
async function overdue(
	api: TriggerApi,
	scheduled: Map<string, Waiting>,
	seen: Map<string, number>,
	window: Window,
	lowerBound: number,
	accept: (message: IDataObject) => boolean,
): Promise<Found[]> {
	const now = Date.now();
	const due = new Map<string, number>();
	for (const waiting of [...scheduled.values()].sort((a, b) => (a.date ?? 0) - (b.date ?? 0))) {
		const { conversationId, date } = waiting;
		if (!conversationId || date === undefined || window.listed.has(conversationId)) continue;
		if (!(date <= now) || date < now - OVERDUE_RECHECK_MS) continue;
		if (!due.has(conversationId) && due.size >= OVERDUE_PER_POLL) continue;
		due.set(conversationId, Math.min(due.get(conversationId) ?? Infinity, date));
	}
	const found: Found[] = [];
	for (const [conversationId, from] of due) {
		const messages = await api.listMessages(conversationId, Math.min(from, lowerBound));
		// Listed down to its date: a message not in the list is gone.
		const byId = new Map((messages ?? []).map((message) => [String(message.id ?? ''), message]));
		for (const [id, waiting] of [...scheduled]) {
			if (waiting.conversationId !== conversationId) continue;
			const message = byId.get(id);
			if (!message) {
				// Cancelled (gone), or its conversation deleted: nothing will be sent.
				scheduled.delete(id);
				continue;
			}
			if (message.status === 'scheduled') continue;
			scheduled.delete(id);
			if (seen.has(id) || notSent(message) || !accept(message)) continue;
			const time = timeOf(message.dateAdded);
			seen.set(id, Math.max(time, lowerBound + OVERLAP_MS));
			// Its row, for the item: read in the window's search, else looked up.
			const row = window.rows.get(conversationId) ??
				(await api.search({ ...BY_LAST_MESSAGE, id: conversationId }))[0] ?? { id: conversationId };
			found.push({ id, time, message, row });
		}
	}
	return found;
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
function keepScheduled(scheduled: Map<string, Waiting>, now: number): Record<string, ScheduledEntry> | undefined {
	const kept = [...scheduled.entries()]
		.filter(([, waiting]) => waiting.since >= now - SCHEDULED_KEEP_MS)
		.sort((a, b) => b[1].since - a[1].since)
		.slice(0, SCHEDULED_MAX)
		.map(([id, { since, conversationId, date }]): [string, ScheduledEntry] => [
			id,
			conversationId && date !== undefined && Number.isFinite(date) ? [since, conversationId, date] : since,
		]);
	return kept.length ? Object.fromEntries(kept) : undefined;
}

function readScheduled(saved: Record<string, ScheduledEntry> | undefined): Map<string, Waiting> {
	return new Map(Object.entries(saved ?? {}).map(([id, value]) => [id, toWaiting(value)]));
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
		const scheduled = new Map<string, Waiting>();
		await readWindow(api, BY_LAST_MESSAGE, latest, seen, scheduled, () => true, top);
		const state = { ...newState(key, latest, latest), seen: prune(seen, latest), scheduled: keepScheduled(scheduled, Date.now()) };
		if (!state.scheduled) delete state.scheduled;
		return { state, items: [] };
	},

	async pass(api, config, state) {
		const lowerBound = Math.max(state.floor, state.cursor - OVERLAP_MS);
		const seen = new Map(Object.entries(state.seen));
		const scheduled = readScheduled(state.scheduled);
		const accept = (message: IDataObject) => matches(message, config);
		const window = await readWindow(api, searchQuery(config), lowerBound, seen, scheduled, accept);
		const { found, newest } = window;
		found.push(...(await overdue(api, scheduled, seen, window, lowerBound, accept)));
		// The cursor never passes the trigger's own clock: an event dated ahead is emitted (it is in
		// the window) but does not hide the events that come before its date.
		const cursor = cursorAt(Math.max(state.cursor, newest));
		found.sort(chronological);
		const next = {
			...state,
			cursor,
			seen: prune(seen, Math.max(state.floor, cursor - OVERLAP_MS)),
			scheduled: keepScheduled(scheduled, Date.now()),
		};
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
