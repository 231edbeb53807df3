/**
 * New Message: messages added to any conversation since the last poll.
 *
 * One search, newest last message first, finds the conversations whose last message is at or
 * after the window's start (cursor - overlap); each of them whose search row changed since it was
 * last read gets its messages listed, newest first, down to the window's start. Messages already
 * emitted are recognised by ID. An idle poll is the one search page.
 */
import type { IDataObject } from 'n8n-workflow';
import { sortValue, timeOf, type Row, type TriggerApi } from '../api';
import { messageItem } from '../items';
import { fingerprint, prune } from '../state';
import {
	BY_LAST_MESSAGE,
	chronological,
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

/**
 * Reads the window: every conversation whose last message is at or after `lowerBound` and whose
 * row changed since it was read, then its messages at or after `lowerBound`. Adds what it reads to
 * `seen`; returns the accepted messages not seen before, and the newest sort value read.
 */
async function readWindow(
	api: TriggerApi,
	qs: IDataObject,
	lowerBound: number,
	seen: Map<string, number>,
	accept: (message: IDataObject) => boolean,
	firstPage?: Row[],
): Promise<{ found: Found[]; newest: number }> {
	const rows = await api.scanSearch(qs, { lowerBound, recheck: true, firstPage });
	const found: Found[] = [];
	let newest = -Infinity;
	for (const row of rows) {
		const value = sortValue(row);
		newest = Math.max(newest, value);
		const version = rowVersion(row);
		if (seen.has(version)) continue;
		const messages = (await api.listMessages(String(row.id), lowerBound)) ?? [];
		for (const message of messages) {
			const id = String(message.id ?? '');
			const time = timeOf(message.dateAdded);
			// A scheduled message is not sent yet: it shows up (with its send time) once it is.
			if (!id || !(time >= lowerBound) || message.status === 'scheduled' || seen.has(id) || !accept(message)) continue;
			seen.set(id, time);
			found.push({ id, time, message, row });
		}
		seen.set(version, value);
	}
	return { found, newest };
}

export const newMessage: EventHandler = {
	async init(api, config, key) {
		const top = await api.search(BY_LAST_MESSAGE);
		// An empty location has no history: everything that comes is new.
		if (!top.length) return { state: newState(key, 0, 0), items: [] };
		const latest = sortValue(top[0]);
		const lookbackMs = config.lookbackMinutes * 60_000;
		if (lookbackMs > 0) {
			const from = Math.max(latest, Date.now()) - lookbackMs;
			return await newMessage.pass(api, config, newState(key, from, from));
		}
		// Everything up to the location's latest message is history. Messages of that very
		// millisecond are recorded as seen, so that one arriving later in it is still told apart.
		const seen = new Map<string, number>();
		await readWindow(api, BY_LAST_MESSAGE, latest, seen, () => true, top);
		return { state: { ...newState(key, latest, latest), seen: prune(seen, latest) }, items: [] };
	},

	async pass(api, config, state) {
		const lowerBound = Math.max(state.floor, state.cursor - OVERLAP_MS);
		const seen = new Map(Object.entries(state.seen));
		const { found, newest } = await readWindow(api, searchQuery(config), lowerBound, seen, (message) => matches(message, config));
		const cursor = Math.max(state.cursor, newest);
		found.sort(chronological);
		return {
			state: { ...state, cursor, seen: prune(seen, Math.max(state.floor, cursor - OVERLAP_MS)) },
			items: found.map((event) => messageItem(event.message, event.row)),
		};
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
