/**
 * New Conversation: conversations created since the last poll.
 *
 * The search's `startDate` filter (creation date, ms) at the window's start (cursor - overlap)
 * returns the conversations created since; those already emitted are recognised by ID. An idle
 * poll is one search page (the few conversations created within the overlap).
 */
import type { IDataObject } from 'n8n-workflow';
import { missingField, sortValue, timeOf, type Row, type TriggerApi } from '../api';
import { conversationItem } from '../../ConversationsApi/shared/items';
import { prune } from '../state';
import { BY_LAST_MESSAGE, chronological, cursorAt, newState, OVERLAP_MS, type EventHandler } from './types';

interface Found {
	id: string;
	time: number;
	row: Row;
}

/** A row's creation date; an error naming the field when the API leaves it out. */
function createdAt(api: TriggerApi, row: Row): number {
	const time = timeOf(row.dateAdded);
	if (!Number.isFinite(time)) throw missingField(api.context, 'dateAdded');
	return time;
}

export const newConversation: EventHandler = {
	async init(api, config, key) {
		const top = await api.search(BY_LAST_MESSAGE);
		if (!top.length) return { state: newState(key, 0, 0), items: [] };
		// No conversation was created after the newest of the location's last message and creation dates.
		const latest = cursorAt(Math.max(...top.map((row) => createdAt(api, row)), ...top.map(sortValue).filter(Number.isFinite)));
		const lookbackMs = config.lookbackMinutes * 60_000;
		if (lookbackMs > 0) {
			const from = Math.max(latest, Date.now()) - lookbackMs;
			return await newConversation.pass(api, config, newState(key, from, from));
		}
		// Conversations of that very millisecond are recorded as seen (history).
		const seen = new Map<string, number>();
		for (const row of await api.scanSearch({ ...BY_LAST_MESSAGE, startDate: latest })) {
			const added = createdAt(api, row);
			if (added >= latest) seen.set(String(row.id), added);
		}
		return { state: { ...newState(key, latest, latest), seen: prune(seen, latest) }, items: [] };
	},

	async pass(api, _config, state) {
		const lowerBound = Math.max(state.floor, state.cursor - OVERLAP_MS);
		const seen = new Map(Object.entries(state.seen));
		const known = [...seen.values()].filter((time) => time >= lowerBound).length;
		const rows = await api.scanSearch(
			{ ...BY_LAST_MESSAGE, startDate: lowerBound },
			{
				recheck: true,
				// The search counts the conversations created since `lowerBound`: when they are all
				// known and the page shows nothing new, nothing is new (an idle poll is one request).
				enough: (batch, total) => total !== undefined && total <= known && batch.every((row) => seen.has(String(row.id))),
			},
		);
		let cursor = state.cursor;
		const found: Found[] = [];
		for (const row of rows) {
			const id = String(row.id);
			const time = createdAt(api, row);
			if (!(time >= lowerBound)) continue;
			cursor = Math.max(cursor, cursorAt(time));
			if (seen.has(id)) continue;
			seen.set(id, time);
			found.push({ id, time, row });
		}
		found.sort(chronological);
		return {
			state: { ...state, cursor, seen: prune(seen, Math.max(state.floor, cursor - OVERLAP_MS)) },
			items: found.map((event) => conversationItem(event.row)),
		};
	},

	async sample(api) {
		const rows = await api.search(BY_LAST_MESSAGE);
		let best: Found | undefined;
		for (const row of rows) {
			const candidate = { id: String(row.id), time: timeOf(row.dateAdded), row };
			if (Number.isFinite(candidate.time) && (!best || chronological(candidate, best) > 0)) best = candidate;
		}
		return best ? [conversationItem(best.row) as IDataObject] : [];
	},
};
