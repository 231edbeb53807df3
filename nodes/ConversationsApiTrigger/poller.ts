/**
 * One poll: read the saved state, read the API from there, and save the new state only at the
 * very end. A poll that fails (after the request retries) throws before the save, so the next
 * poll reads the same window again; what it emits then is told apart from what was emitted
 * before by the IDs in the state, so nothing is emitted twice.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { TriggerApi } from './api';
import { conversationUpdated } from './events/conversationUpdated';
import { newConversation } from './events/newConversation';
import { newMessage } from './events/newMessage';
import type { Direction, EventHandler, EventName, TriggerConfig, WatchedField } from './events/types';
import { endPoll, startPoll } from './guard';
import { MAX_LOOKBACK_MINUTES, MAX_WATCH_COUNT, pollBudgetMs } from './limits';
import { readState, STATE_FIELD, writeState } from './state';
import { tieWarningText } from '../ConversationsApi/shared/searchScan';
import { simplifyConversation, simplifyMessage } from '../ConversationsApi/shared/simplify';

const HANDLERS: Record<EventName, EventHandler> = { newMessage, newConversation, conversationUpdated };
const WATCHED: WatchedField[] = ['unreadCount', 'starred', 'assignedTo'];
const DIRECTIONS: Direction[] = ['inbound', 'outbound', 'both'];

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

function clamp(value: unknown, min: number, max: number, fallback: number): number {
	const number = Math.floor(Number(value));
	return Number.isFinite(number) ? Math.min(max, Math.max(min, number)) : fallback;
}

function readConfig(context: IPollFunctions): TriggerConfig {
	const event = context.getNodeParameter('event', 'newMessage') as EventName;
	const filters = (context.getNodeParameter('filters', {}) ?? {}) as IDataObject;
	const options = (context.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const channels = context.getNodeParameter('channels', []) as unknown;
	const watchFor = context.getNodeParameter('watchFor', WATCHED) as unknown;
	const direction = text(context.getNodeParameter('direction', 'inbound'));
	return {
		event: HANDLERS[event] ? event : 'newMessage',
		direction: DIRECTIONS.includes(direction as Direction) ? (direction as Direction) : 'inbound',
		channels: Array.isArray(channels) ? channels.map(String).filter(Boolean) : [],
		conversationId: text(filters.conversationId),
		contactId: text(filters.contactId),
		// Picked users (an array), or comma-separated IDs (saved workflows, expressions).
		assignedTo: (Array.isArray(filters.assignedTo) ? filters.assignedTo.map(text).join(',') : text(filters.assignedTo))
			.split(',')
			.map((id) => id.trim())
			.filter(Boolean)
			.join(','),
		lookbackMinutes: clamp(options.lookbackMinutes, 0, MAX_LOOKBACK_MINUTES, 0),
		watchFor: Array.isArray(watchFor) && watchFor.length ? WATCHED.filter((field) => watchFor.includes(field)) : WATCHED,
		watchCount: clamp(options.watchCount, 1, MAX_WATCH_COUNT, 100),
	};
}

/** The items as emitted: simplified when the Simplify option is on (shared/simplify.ts). */
function output(context: IPollFunctions, event: EventName, items: IDataObject[]): INodeExecutionData[][] {
	const options = (context.getNodeParameter('options', {}) ?? {}) as IDataObject;
	if (options.simplify !== true) return [context.helpers.returnJsonArray(items)];
	const simplify = event === 'newMessage' ? simplifyMessage : simplifyConversation;
	const timeZone = context.getTimezone();
	return [context.helpers.returnJsonArray(items.map((item) => simplify(item, timeZone)))];
}

/**
 * The sub-accounts an agency connection watches (the "Sub-Accounts (Agency)" field), or none: the
 * credential's location.
 */
function agencyLocations(context: IPollFunctions): string[] {
	if (context.getNodeParameter('authentication', 'privateIntegrationToken') !== 'oAuth2') return [];
	const ids = text(context.getNodeParameter('locationIds', ''))
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	return [...new Set(ids)];
}

/**
 * Polls each watched sub-account in turn (an agency connection may name several), each with its
 * own state (under its location in the static data) and its own token and rate budget; one
 * sub-account's failure fails the whole poll (nothing emitted, every state as before it).
 */
export async function poll(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const locations = agencyLocations(context);
	if (locations.length <= 1) return await pollLocation(context, context.getWorkflowStaticData('node'), locations[0]);
	const staticData = context.getWorkflowStaticData('node');
	const perLocation = (staticData.locations ??= {}) as IDataObject;
	const emitted: INodeExecutionData[] = [];
	const before = new Map<string, string>();
	const written = new Map<string, string>();
	let failure: unknown;
	for (const locationId of locations) {
		const slot = (perLocation[locationId] ??= {}) as IDataObject;
		before.set(locationId, JSON.stringify(slot));
		try {
			const result = await pollLocation(context, slot, locationId);
			if (result) emitted.push(...result[0]);
		} catch (error) {
			failure ??= error;
		}
		written.set(locationId, JSON.stringify(perLocation[locationId]));
	}
	if (failure) {
		// Nothing of this poll is emitted, but n8n keeps the static data in memory between polls: put
		// back each sub-account's state this poll moved on (unless another poll saved since), so the
		// next poll reads those events again instead of losing them.
		for (const [locationId, state] of before) {
			if (JSON.stringify(perLocation[locationId]) === written.get(locationId)) perLocation[locationId] = JSON.parse(state) as IDataObject;
		}
		throw failure;
	}
	return emitted.length ? [emitted] : null;
}

async function pollLocation(context: IPollFunctions, staticData: IDataObject, location?: string): Promise<INodeExecutionData[][] | null> {
	const config = readConfig(context);
	const handler = HANDLERS[config.event];
	const api = await TriggerApi.create(context, location);
	if (context.getMode() === 'manual') {
		// Fetch Test Event: the most recent matching event, however old; the state is not touched.
		const items = await handler.sample(api, config);
		return items.length ? output(context, config.event, items) : null;
	}
	const key = `${config.event}:${api.locationId}`;
	const guardKey = JSON.stringify([context.getWorkflow().id ?? '', context.getNode().id ?? context.getNode().name, key]);
	const budgetMs = pollBudgetMs(context);
	const startedAt = Date.now();
	if (!startPoll(guardKey, startedAt, budgetMs)) {
		context.logger.debug(`Conversations API Trigger: a poll of ${config.event} is still running; this one is skipped`);
		return null;
	}
	try {
		// The state is read only now, after the guard: a poll that ran before has saved it.
		const before = JSON.stringify(staticData[STATE_FIELD] ?? null);
		const saved = readState(staticData, key);
		const { state, items } = saved ? await handler.pass(api, config, saved) : await handler.init(api, config, key);
		if (JSON.stringify(staticData[STATE_FIELD] ?? null) !== before) {
			// Another poll saved meanwhile (this one outlived n8n's poll budget): it emitted this window.
			return null;
		}
		writeState(staticData, state);
		context.logger.debug(
			`Conversations API Trigger: ${saved ? 'poll' : 'first poll'} of ${config.event}, ${items.length} event(s), ${api.requests} request(s)`,
		);
		if (!items.length) return null;
		// What the API could not page through is shown where the user looks: on the poll's items.
		const warning = api.warnings.map(tieWarningText).join(' ');
		return output(context, config.event, warning ? items.map((item) => ({ ...item, warning })) : items);
	} finally {
		endPoll(guardKey, startedAt);
	}
}
