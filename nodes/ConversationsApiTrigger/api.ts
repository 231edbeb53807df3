import { NodeApiError, NodeOperationError, type IDataObject, type IPollFunctions, type JsonObject } from 'n8n-workflow';
import { failureOf, type NamedId } from '../ConversationsApi/shared/errors';
import { scopeOf } from '../ConversationsApi/operations';
import { PAGE_SIZE } from '../ConversationsApi/shared/constants';
import { isBlank } from '../ConversationsApi/shared/preSend';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../ConversationsApi/shared/retry';
import { credentialLocationId, credentialType } from '../ConversationsApi/shared/credentials';
import { encodePathSegment } from '../ConversationsApi/shared/paths';
import { apiRequest } from '../ConversationsApi/shared/transport';
import { pollBudgetMs } from './limits';
import { timeOf } from '../ConversationsApi/shared/dates';
import { exportPage, messagePage } from '../ConversationsApi/shared/paging';
import {
	MissingSortValue,
	scanSearch,
	searchPage,
	sortValue,
	type Row,
	type SearchRequest,
	type TieWarning,
} from '../ConversationsApi/shared/searchScan';

export { sortValue, timeOf, type Row };

const SEARCH_PAGE = PAGE_SIZE.conversations;
const MESSAGE_PAGE = PAGE_SIZE.messages;
const EXPORT_PAGE = PAGE_SIZE.exportMax;

/** Sends per request: a failed poll is cheap (the next one reads the window again), so fewer than the action node. */
const ATTEMPTS = 3;

export interface ScanOptions {
	/** Rows sorted below this value end the scan (and are not returned). */
	lowerBound?: number;
	/** Stop once this many rows were collected. */
	maxRows?: number;
	/**
	 * After a scan of more than one page, read the top again: a conversation that got a message
	 * while the later pages were read moved above them and would otherwise be missed.
	 */
	recheck?: boolean;
	/** The first page, when the caller already has it. */
	firstPage?: Row[];
	/** Ends the scan after a page whose new rows need nothing (e.g. all read before: an idle poll). */
	enough?: (rows: Row[], total?: number) => boolean;
}

/** The API as the trigger uses it: GET requests with retries, counted. */
export class TriggerApi {
	/** Requests sent (retries included). */
	requests = 0;
	private readonly started = Date.now();

	private constructor(
		readonly context: IPollFunctions,
		readonly locationId: string,
	) {}

	/** The API for one location: the given one (an agency's sub-account), else the credential's. */
	static async create(context: IPollFunctions, location?: string): Promise<TriggerApi> {
		const credentials = await context.getCredentials(credentialType.call(context));
		const locationId = location || credentialLocationId(credentials);
		if (!locationId) {
			throw new NodeOperationError(context.getNode(), 'No Location ID: the trigger needs the sub-account (location) to watch', {
				description: 'Enter it in the credential\'s "Location ID" field (an OAuth2 token for a location carries it).',
			});
		}
		return new TriggerApi(context, locationId);
	}

	private budgetLeftMs(): number {
		return pollBudgetMs(this.context) - (Date.now() - this.started);
	}

	/** The retry policy of a request: waits must leave half of the poll's time budget. */
	private policy(): RetryPolicy {
		return {
			...DEFAULT_RETRY_POLICY,
			maxAttempts: ATTEMPTS,
			maxWaitMs: Math.max(0, Math.min(DEFAULT_RETRY_POLICY.maxWaitMs, this.budgetLeftMs() / 2)),
		};
	}

	/**
	 * A GET under the credential's rate-limit budget, retried like the action node's reads (429
	 * waits as the API says; 5xx and dropped connections back off). The last failure is thrown as
	 * an error that says what to do: the poll fails and its window is read again next time.
	 */
	async get(path: string, qs: IDataObject, subject?: NamedId): Promise<IDataObject> {
		this.requests++;
		return await apiRequest.call(this.context, 'GET', path, qs, {
			...scopeOf(subject ? 'message.getAll' : 'conversation.getAll'),
			subject,
			locationId: this.locationId,
			policy: this.policy(),
			onRetry: () => this.requests++,
		});
	}

	/** One page of GET /conversations/search. */
	async search(qs: IDataObject): Promise<Row[]> {
		return searchPage(await this.get('/conversations/search', { locationId: this.locationId, ...qs, limit: SEARCH_PAGE })).rows;
	}

	/** Rows of the search the API could not page through (ties): shown on the poll's items. */
	readonly warnings: TieWarning[] = [];

	/**
	 * Search rows sorted by `base` (descending), each conversation once, page after page, through
	 * the tie-safe scan of shared/pagination.ts; rows below `lowerBound` are left out.
	 */
	async scanSearch(base: IDataObject, options: ScanOptions = {}): Promise<Row[]> {
		let first = options.firstPage;
		const request: SearchRequest = async (qs) => {
			if (first && qs.startAfterDate === undefined && qs.startDate === base.startDate && qs.endDate === base.endDate) {
				const body = { conversations: first };
				first = undefined;
				return body;
			}
			first = undefined;
			return await this.get('/conversations/search', { locationId: this.locationId, ...qs });
		};
		const rows = new Map<string, Row>();
		try {
			const main = await scanSearch(request, base, { lowerBound: options.lowerBound, maxRows: options.maxRows, enough: options.enough });
			this.warnings.push(...main.warnings);
			for (const row of main.rows) rows.set(String(row.id), row);
			if (options.recheck && main.requests > 1) {
				// Conversations that moved up (a newer sort value) while the later pages were read.
				const moved = (row: Row) => {
					const known = rows.get(String(row.id));
					return !known || sortValue(row) > sortValue(known);
				};
				const top = await scanSearch(request, base, { lowerBound: options.lowerBound, enough: (batch) => !batch.some(moved) });
				for (const row of top.rows) if (moved(row)) rows.set(String(row.id), row);
			}
		} catch (error) {
			if (error instanceof MissingSortValue) throw missingField(this.context, 'lastMessageDate', 'sort');
			// Already the mapped NodeApiError of `get`: wrapping it again hands back the same error.
			throw new NodeApiError(this.context.getNode(), error as JsonObject);
		}
		const below = (row: Row) => options.lowerBound !== undefined && sortValue(row) < options.lowerBound;
		const result = [...rows.values()].filter((row) => !below(row));
		result.sort((a, b) => sortValue(b) - sortValue(a) || String(a.id).localeCompare(String(b.id)));
		return options.maxRows !== undefined ? result.slice(0, options.maxRows) : result;
	}

	/**
	 * The IDs of the conversations with a message dated exactly `time`, from the message export
	 * (`GET /conversations/messages/export`, cursor-paged, so no tie can hide a row): all channels
	 * but email, then email. The search's second way through a tie of conversations.
	 */
	async conversationsWithMessageAt(time: number): Promise<Set<string>> {
		const ids = new Set<string>();
		// A second either side: the export's date filter may be coarser than a millisecond.
		const range = { startDate: new Date(time - 1000).toISOString(), endDate: new Date(time + 1000).toISOString() };
		for (const channel of [undefined, 'Email']) {
			let cursor: string | undefined;
			const cursors = new Set<string>();
			do {
				const body = await this.get('/conversations/messages/export', {
					locationId: this.locationId,
					...range,
					...(channel ? { channel } : {}),
					sortBy: 'createdAt',
					sortOrder: 'asc',
					limit: EXPORT_PAGE,
					...(cursor ? { cursor } : {}),
				});
				const page = exportPage(body);
				for (const message of page.messages) {
					if (timeOf(message.dateAdded) === time && !isBlank(message.conversationId)) ids.add(String(message.conversationId));
				}
				cursor = page.nextCursor && !cursors.has(page.nextCursor) ? page.nextCursor : undefined;
				if (cursor) cursors.add(cursor);
			} while (cursor);
		}
		return ids;
	}

	/**
	 * A conversation's messages, newest first, from the newest down to `lowerBound`: pages until a
	 * page reaches below it or there is no next page. Every message of the pages read is returned
	 * (the caller filters by date: a scheduled message that was sent keeps an older date).
	 * `maxPages` bounds the reading (samples). Undefined when the conversation no longer exists.
	 */
	async listMessages(conversationId: string, lowerBound: number, maxPages = Infinity): Promise<IDataObject[] | undefined> {
		const out: IDataObject[] = [];
		let lastMessageId: string | undefined;
		for (let pages = 0; pages < maxPages; pages++) {
			let body: IDataObject;
			try {
				body = await this.get(
					`/conversations/${encodePathSegment(conversationId)}/messages`,
					{ limit: MESSAGE_PAGE, ...(lastMessageId ? { lastMessageId } : {}) },
					{ noun: 'Conversation', value: conversationId },
				);
			} catch (error) {
				if (failureOf(error).status === 404) return undefined; // deleted since the search
				// Already the mapped NodeApiError of `get`: wrapping it again hands back the same error.
				throw new NodeApiError(this.context.getNode(), error as JsonObject);
			}
			const page = messagePage(body);
			let reachedBelow = false;
			for (const message of page.messages) {
				out.push(message);
				if (!(timeOf(message.dateAdded) >= lowerBound)) reachedBelow = true;
			}
			if (reachedBelow || !page.nextPage || !page.messages.length) break;
			const next = page.lastMessageId;
			if (!next || next === lastMessageId) break;
			lastMessageId = next;
		}
		return out;
	}
}

/**
 * The error of rows that lack a date the event needs (the spec's ConversationSchema declares none
 * of them): the poll fails with it, once per poll, and its state stays as it was.
 */
export function missingField(context: IPollFunctions, field: string, alternative?: string): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`The API's search rows have no "${field}"${alternative ? ` (nor "${alternative}")` : ''}: the trigger cannot tell what is new without it`,
		{
			description: `This trigger reads "${field}" from GET /conversations/search. Check that the Base URL points at the Conversations API (https://services.leadconnectorhq.com) and not at a proxy or mock that leaves the field out.`,
		},
	);
}
