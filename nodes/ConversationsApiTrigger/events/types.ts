import type { IDataObject } from 'n8n-workflow';
import type { TriggerApi } from '../api';
import type { TriggerState } from '../state';

export type EventName = 'newMessage' | 'newConversation' | 'conversationUpdated';
export type Direction = 'inbound' | 'outbound' | 'both';
export type WatchedField = 'unreadCount' | 'starred' | 'assignedTo';

/** The node's parameters, read once per poll. */
export interface TriggerConfig {
	event: EventName;
	/** New Message: which messages. */
	direction: Direction;
	/** New Message: message types (empty: all). */
	channels: string[];
	/** New Message: search filters (blank: none). */
	conversationId: string;
	contactId: string;
	assignedTo: string;
	/** New Message, New Conversation: minutes before the first activation to include. */
	lookbackMinutes: number;
	/** Conversation Updated: which changes, and how many of the most recently active conversations. */
	watchFor: WatchedField[];
	watchCount: number;
}

export interface PassResult {
	state: TriggerState;
	/** The events, oldest first. */
	items: IDataObject[];
}

export interface EventHandler {
	/** First poll (no saved state): sets the starting point; emits only what the lookback includes. */
	init(api: TriggerApi, config: TriggerConfig, key: string): Promise<PassResult>;
	/** Every later poll: the events since the saved state. */
	pass(api: TriggerApi, config: TriggerConfig, state: TriggerState): Promise<PassResult>;
	/** Fetch Test Event: the most recent matching event, however old; no state. */
	sample(api: TriggerApi, config: TriggerConfig): Promise<IDataObject[]>;
}

/**
 * How far before the cursor each poll reads again (ms). Covers events that become visible in the
 * API a little after newer ones (and equal times); what it reads again is recognised by ID.
 */
export const OVERLAP_MS = 60_000;

/**
 * How far ahead of the trigger's own clock the cursor may go (ms): the API's clock and n8n's may
 * differ a little. Events dated further ahead are emitted when read, but the cursor stays here.
 */
const FUTURE_TOLERANCE_MS = 5_000;

/** A cursor value that does not pass the trigger's own clock (plus the tolerance). */
export function cursorAt(time: number, now = Date.now()): number {
	return Math.min(time, now + FUTURE_TOLERANCE_MS);
}

/** The search order every event reads: most recent last message first. */
export const BY_LAST_MESSAGE: IDataObject = { sortBy: 'last_message_date', sort: 'desc' };

export function newState(key: string, cursor: number, floor: number): TriggerState {
	return { v: 1, key, cursor, floor, seen: {} };
}

/** Oldest first; equal times by ID. */
export function chronological<T extends { time: number; id: string }>(a: T, b: T): number {
	return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
