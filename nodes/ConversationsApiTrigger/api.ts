import { NodeApiError, NodeOperationError, type IDataObject, type IPollFunctions, type JsonObject } from 'n8n-workflow';
import { failureOf, type NamedId } from '../ConversationsApi/shared/errors';
import { scopeOf } from '../ConversationsApi/operations';
import { PAGE_SIZE } from '../ConversationsApi/shared/constants';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../ConversationsApi/shared/retry';
import { credentialLocationId, credentialType } from '../ConversationsApi/shared/credentials';
import { encodePathSegment } from '../ConversationsApi/shared/paths';
import { apiRequest } from '../ConversationsApi/shared/transport';
import { searchSortValue } from '../ConversationsApi/shared/search';

/** A row of GET /conversations/search. */
export type Row = IDataObject & { id: string };

const SEARCH_PAGE = PAGE_SIZE.conversations;
const MESSAGE_PAGE = PAGE_SIZE.messages;

/** Sends per request: a failed poll is cheap (the next one reads the window again), so fewer than the action node. */
const ATTEMPTS = 3;
/** A block of one sort value is split by creation date at most this deep. */
const MAX_SPLIT_DEPTH = 48;

/** A millisecond time from the API: a number, digits, or an ISO date. NaN when it is none of them. */
export function timeOf(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string' || !value.trim()) return NaN;
	if (/^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
	return Date.parse(value);
}

/** The value a search row is sorted (and paged) by: `sort[0]`, else its last message date. */
export function sortValue(row: IDataObject): number {
	const time = timeOf(searchSortValue(row));
	return Number.isFinite(time) ? time : -Infinity;
}

/** One page of a conversation's messages: nested (live API) or flat (spec). */
function messagePage(body: IDataObject): IDataObject {
	const nested = body.messages;
	if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) return nested as IDataObject;
	return body;
}

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
}

/** The API as the trigger uses it: GET requests with retries, counted. */
export class TriggerApi {
	/** Requests sent (retries included). */
	requests = 0;
	private readonly started = Date.now();

	private constructor(
		private readonly context: IPollFunctions,
		readonly locationId: string,
	) {}

	static async create(context: IPollFunctions): Promise<TriggerApi> {
		const credentials = await context.getCredentials(credentialType.call(context));
		const locationId = credentialLocationId(credentials);
		if (!locationId) {
			throw new NodeOperationError(context.getNode(), 'No Location ID: the trigger needs the sub-account (location) to watch', {
				description: 'Enter it in the credential\'s "Location ID" field (an OAuth2 token for a location carries it).',
			});
		}
		return new TriggerApi(context, locationId);
	}

	private budgetLeftMs(): number {
		const budget = typeof this.context.getPollBudgetMs === 'function' ? this.context.getPollBudgetMs() : 5 * 60_000;
		return budget - (Date.now() - this.started);
	}

	/** The retry policy of a request: waits must leave half of the poll's time budget. */
	private policy(): RetryPolicy {
		return { ...DEFAULT_RETRY_POLICY, maxAttempts: ATTEMPTS, maxWaitMs: Math.max(0, Math.min(DEFAULT_RETRY_POLICY.maxWaitMs, this.budgetLeftMs() / 2)) };
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
			policy: this.policy(),
			onRetry: () => this.requests++,
		});
	}

	/** One page of GET /conversations/search. */
	async search(qs: IDataObject): Promise<Row[]> {
		const body = await this.get('/conversations/search', { locationId: this.locationId, ...qs, limit: SEARCH_PAGE });
		const rows = Array.isArray(body.conversations) ? (body.conversations as Row[]) : [];
		return rows.filter((row) => row && typeof row === 'object' && row.id !== undefined && row.id !== null && row.id !== '');
	}

	/**
	 * Search rows sorted by `base` (descending), each conversation once, page after page.
	 *
	 * `startAfterDate` is strictly after in the sort order, so rows that share the sort value of
	 * a page's last row would be skipped when they fall on the next page: each next page starts
	 * at that value again (`last + 1`) and rows are de-duplicated by ID. A page made entirely of
	 * one value cannot move on that way: that value's rows are then collected by splitting the
	 * creation date range (`startDate`/`endDate`) until each part fits a page, and the scan goes
	 * on strictly below the value.
	 */
	async scanSearch(base: IDataObject, options: ScanOptions = {}): Promise<Row[]> {
		const rows = new Map<string, Row>();
		const add = (page: Row[]) => {
			let changed = 0;
			for (const row of page) {
				const id = String(row.id);
				const known = rows.get(id);
				if (known && sortValue(known) > sortValue(row)) continue;
				// The later read wins; only a newer sort value counts as a change (for the recheck).
				rows.set(id, row);
				if (!known || sortValue(row) > sortValue(known)) changed++;
			}
			return changed;
		};
		const below = (value: number) => options.lowerBound !== undefined && value < options.lowerBound;
		const full = () => options.maxRows !== undefined && rows.size >= options.maxRows;

		/** Pages from the top; `untilKnown` stops at the first page that brings nothing new (the recheck). */
		const pages = async (first: Row[] | undefined, untilKnown: boolean): Promise<number> => {
			let count = 0;
			let startAfter: number | undefined;
			for (;;) {
				const page = count === 0 && first ? first : await this.search(startAfter === undefined ? base : { ...base, startAfterDate: startAfter });
				count++;
				const changed = add(page);
				if (page.length < SEARCH_PAGE || full() || (untilKnown && changed < page.length)) return count;
				const top = sortValue(page[0]);
				const last = sortValue(page[page.length - 1]);
				if (!Number.isFinite(last) || below(last)) return count;
				if (top === last) {
					await this.collectTies(base, last, page, add);
					startAfter = last;
				} else {
					startAfter = last + 1;
				}
			}
		};

		const count = await pages(options.firstPage, false);
		if (options.recheck && count > 1) await pages(undefined, true);

		const result = [...rows.values()].filter((row) => !below(sortValue(row)));
		result.sort((a, b) => sortValue(b) - sortValue(a) || String(a.id).localeCompare(String(b.id)));
		return options.maxRows !== undefined ? result.slice(0, options.maxRows) : result;
	}

	/**
	 * Every row sorted at exactly `value`: the creation-date range is split in two at the median
	 * creation date of the block's rows read so far (the full page is a sample of the block), and
	 * each part that still fills a page with that value is split again.
	 */
	private async collectTies(base: IDataObject, value: number, page: Row[], add: (rows: Row[]) => number): Promise<void> {
		const dates: number[] = [];
		const learn = (rows: Row[]) => {
			for (const row of rows) {
				const added = timeOf(row.dateAdded);
				if (sortValue(row) === value && Number.isFinite(added)) dates.push(added);
			}
		};
		learn(page);
		const split = async (from: number, to: number, depth: number): Promise<void> => {
			const inRange = dates.filter((date) => date >= from && date <= to).sort((a, b) => a - b);
			const median = inRange.length ? inRange[Math.floor((inRange.length - 1) / 2)] : Math.floor((from + to) / 2);
			// Both parts must be smaller than the range.
			const middle = Math.min(to - 1, Math.max(from, median));
			for (const [start, end] of [
				[from, middle],
				[middle + 1, to],
			]) {
				const part = await this.search({ ...base, startAfterDate: value + 1, startDate: start, endDate: end });
				add(part);
				learn(part);
				const allTied = part.length === SEARCH_PAGE && part.every((row) => sortValue(row) === value);
				if (!allTied) continue;
				if (start >= end || depth >= MAX_SPLIT_DEPTH) {
					this.warnUnsplittable(value, start);
					continue;
				}
				await split(start, end, depth + 1);
			}
		};
		const from = Math.max(0, timeOf(base.startDate) || 0);
		const to = Number.isFinite(timeOf(base.endDate)) ? Math.min(value, timeOf(base.endDate)) : value;
		if (from >= to) this.warnUnsplittable(value, from);
		else await split(from, to, 0);
	}

	private warnUnsplittable(value: number, createdAt: number): void {
		this.context.logger.warn(
			`Conversations API Trigger: more than ${SEARCH_PAGE} conversations have the last message time ${value} and the creation time ${createdAt}; the search cannot page through them, some may be skipped`,
		);
	}

	/**
	 * A conversation's messages, newest first, from the newest down to `lowerBound` (pages until a
	 * page reaches below it or there is no next page); only those at or above it are returned.
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
			const messages = Array.isArray(page.messages) ? (page.messages as IDataObject[]) : [];
			let reachedBelow = false;
			for (const message of messages) {
				const time = timeOf(message.dateAdded);
				if (time >= lowerBound) out.push(message);
				else reachedBelow = true;
			}
			if (reachedBelow || page.nextPage !== true || !messages.length) break;
			const next = String(page.lastMessageId ?? messages[messages.length - 1].id ?? '');
			if (!next || next === lastMessageId) break;
			lastMessageId = next;
		}
		return out;
	}
}
