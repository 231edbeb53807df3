/**
 * The tie-safe conversation search scan that the action node's Conversation → Get Many, the list
 * search and the polling trigger all page through.
 *
 * The scan only decides which page to ask for next: every request goes out through the caller's
 * `SearchRequest` (the action node's `routingRequest`, the trigger's and list search's
 * `apiRequest`), so each page takes its turn from the rate budget and gets the retries.
 */
import type { IDataObject } from 'n8n-workflow';
import { PAGE_SIZE } from './constants';
import { timeOf } from './dates';
import { isBlank } from './preSend';

/** A row of GET /conversations/search. */
export type Row = IDataObject & { id: string };

const SEARCH_PAGE = PAGE_SIZE.conversations;
/** A block of one sort value is split by creation date at most this deep. */
const MAX_SPLIT_DEPTH = 48;
/** A block of one sort value and one creation millisecond is read again at most this many times. */
const MAX_CELL_READS = 30;
/** ... and given up after this many reads in a row bring nothing new (an API whose tie order is fixed). */
const MAX_CELL_IDLE_READS = 3;
const DAY_MS = 86_400_000;

/**
 * The value a search row is sorted by, which the next page's `startAfterDate` takes: its `sort`
 * (first element), else the date it was sorted by.
 */
function searchSortValue(row: IDataObject): unknown {
	const sort = row.sort;
	if (Array.isArray(sort)) {
		if (sort.length) return sort[0];
	} else if (sort !== undefined && sort !== null) {
		return sort;
	}
	return row.lastMessageDate ?? row.dateUpdated ?? row.dateAdded;
}

/** searchSortValue as a number; NaN when the row has none (the spec's rows carry none). */
export function sortValue(row: IDataObject): number {
	return timeOf(searchSortValue(row));
}

/** One answer of GET /conversations/search: its rows (with an ID) and `total` when it is a number. */
export function searchPage(body: IDataObject): { rows: Row[]; total?: number } {
	const list = Array.isArray(body.conversations) ? (body.conversations as Row[]) : [];
	const rows = list.filter((row) => row && typeof row === 'object' && !isBlank(row.id));
	const total = typeof body.total === 'number' && Number.isFinite(body.total) ? body.total : undefined;
	return { rows, total };
}

/** Search rows without a sort value cannot be paged: say which fields are missing. */
export class MissingSortValue extends Error {
	constructor() {
		super(
			'The search rows carry no sort value (`sort`, `lastMessageDate`, `dateUpdated` or `dateAdded`), so the search cannot be paged past its first page',
		);
	}
}

/** More rows share one sort value and one creation millisecond than the API lets us page through. */
export interface TieWarning {
	sortValue: number;
	createdAt: number;
	/** Rows of that block read. */
	read: number;
	/** What the API's `total` says there are (created in that millisecond), when it says. */
	total?: number;
}

export function tieWarningText(warning: TieWarning): string {
	const count = warning.total !== undefined ? `${warning.total} conversations` : `More than ${warning.read} conversations`;
	return `${count} share the sort value ${warning.sortValue} and the creation time ${new Date(warning.createdAt).toISOString()}; the API's search can page through only ${warning.read} of them, so some may be missing`;
}

/** Sends one search request (the caller's transport) and hands back the answer's body. */
export type SearchRequest = (qs: IDataObject) => Promise<IDataObject>;

/**
 * Conversation search rows in sort order, each row once, batch after batch, whatever the ties.
 *
 * `startAfterDate` is strictly after the sort value, so rows that share the sort value of a page's
 * last row would be skipped when they fall on the next page: each next page starts at that value
 * again (`last ± 1`) and the rows already returned are left out by ID. A page made entirely of one
 * value cannot move on that way: that value's rows are then collected by splitting the creation
 * date range (`startDate`/`endDate`, the search's second range) until each part fits a page, and
 * the scan goes on strictly past the value. A part of one creation millisecond that still fills a
 * page is read in the other order and again (an API that reshuffles equal rows shows others each
 * time) until the search's `total` says all were read, or three reads in a row bring nothing new;
 * what stays out of reach is a `TieWarning`.
 *
 * With `optimistic` (Return All), pages move strictly past the last value while no tie was seen,
 * and `total` tells at the end whether a tie was cut at a page boundary (those values are then read
 * again): untied data costs one request per 100 rows.
 *
 * The scan stops at a short page, or when `total` (the count of the query without
 * `startAfterDate`) is reached and every row read agrees with it (one request fewer than waiting
 * for an empty page, which would often wait for the next rate-limit window). A `total` that is
 * missing is not needed; one smaller than the rows already read is ignored.
 */
export class SearchScan {
	/** Requests sent. */
	requests = 0;
	done = false;
	/** A full page whose rows carry no sort value ended the scan (see MissingSortValue). */
	unpageable = false;
	readonly warnings: TieWarning[] = [];
	/** Every row read, by ID (the latest read wins). */
	private readonly read = new Map<string, Row>();
	/** IDs already returned. */
	private readonly returned = new Set<string>();
	private after: number | undefined;
	/** The search's `total` as last answered (the query without `startAfterDate`). */
	total: number | undefined;
	private totalTrusted = true;
	private direction: 1 | -1;

	private readonly enough?: (rows: Row[], total?: number) => boolean;
	private readonly optimistic: boolean;
	/** Values passed strictly (optimistic mode), to read again if `total` says rows are missing. */
	private readonly strictBoundaries: number[] = [];
	private tiesSeen = false;

	constructor(
		private readonly request: SearchRequest,
		private readonly base: IDataObject,
		options: {
			/** Where to go on from (a list search's pagination token). */
			start?: { after?: number; returned?: string[] };
			/** Ends the scan after a page whose new rows satisfy the caller (before any tie block is read). */
			enough?: (rows: Row[], total?: number) => boolean;
			/**
			 * The caller reads to the end (Return All): while no tie was seen and the API gives
			 * `total`, pages move strictly past the last value (a full page of new rows each);
			 * should `total` then say rows are missing (a tie cut at a page boundary), the values
			 * passed that way are read again at the end.
			 */
			optimistic?: boolean;
		} = {},
	) {
		this.direction = base.sort === 'asc' ? 1 : -1;
		if (options.start?.after !== undefined) this.after = options.start.after;
		for (const id of options.start?.returned ?? []) this.returned.add(id);
		this.enough = options.enough;
		this.optimistic = options.optimistic === true;
	}

	/** Where the scan goes on from (for a list search's pagination token). */
	get resume(): { after?: number; returned: string[] } {
		const after = this.after;
		if (after === undefined) return { returned: [] };
		// The rows returned that the next page reads again: those not strictly past `after`.
		// Rows are returned in sort order (a tie block's whole): the boundary rows are among the last.
		const returned: string[] = [];
		let others = 0;
		for (const id of [...this.returned].reverse()) {
			const row = this.read.get(id);
			if (row !== undefined && this.direction * (sortValue(row) - after) > 0) returned.push(id);
			else if (++others > 2 * SEARCH_PAGE) break;
		}
		return { after, returned };
	}

	private async search(qs: IDataObject): Promise<{ rows: Row[]; total?: number }> {
		this.requests++;
		return searchPage(await this.request(qs));
	}

	private remember(rows: Row[]): void {
		for (const row of rows) this.read.set(String(row.id), row);
	}

	/** The rows of `rows` not returned before, now counted as returned. */
	private take(rows: Row[]): Row[] {
		const fresh: Row[] = [];
		for (const row of rows) {
			const id = String(row.id);
			if (this.returned.has(id)) continue;
			this.returned.add(id);
			fresh.push(row);
		}
		return fresh;
	}

	/**
	 * The next rows in sort order that were not returned before ([] once done). `want` bounds the
	 * page asked for (Limit); a block of one sort value is returned whole.
	 */
	async next(want: number = SEARCH_PAGE): Promise<Row[]> {
		if (this.done) return [];
		// Rows at the boundary are read again: ask for that many more.
		const again = this.after === undefined || this.strictBoundaries.includes(this.after) ? 0 : this.resume.returned.length;
		const size = Math.max(1, Math.min(SEARCH_PAGE, want + again));
		const { rows, total } = await this.search({
			...this.base,
			limit: size,
			...(this.after !== undefined ? { startAfterDate: this.after } : {}),
		});
		this.remember(rows);
		if (total !== undefined) this.total = total;
		let fresh = this.take(rows);
		if (rows.length < size) {
			this.done = true;
			return fresh.concat(await this.repair());
		}
		// The caller needs no more (e.g. nothing new: an idle poll): no tie block is read either.
		if (this.enough?.(fresh, this.total)) {
			this.done = true;
			return fresh;
		}
		const first = sortValue(rows[0]);
		const last = sortValue(rows[rows.length - 1]);
		if (!Number.isFinite(last) || !Number.isFinite(first)) {
			// The spec's rows carry no sort value: there is no next page to ask for.
			this.done = true;
			this.unpageable = true;
			return fresh;
		}
		if (first !== last) this.direction = first > last ? -1 : 1;
		if (!this.tiesSeen) this.tiesSeen = rows.some((row, index) => index > 0 && sortValue(row) === sortValue(rows[index - 1]));
		if (first === last && size === SEARCH_PAGE) {
			// A page of one value: read that value's block by creation date, then go strictly past it.
			fresh = fresh.concat(this.take(await this.block(last)));
			this.after = last;
		} else if (this.optimistic && !this.tiesSeen && this.total !== undefined && this.totalTrusted) {
			this.after = last;
			this.strictBoundaries.push(last);
		} else {
			this.after = last - this.direction;
		}
		if (this.total !== undefined && this.totalTrusted) {
			if (this.returned.size > this.total) this.totalTrusted = false;
			else if (this.returned.size === this.total) this.done = true;
		}
		return fresh;
	}

	/**
	 * At the end of an optimistic scan that `total` says is short: the values passed strictly are
	 * read again (each a page from that value on), until `total` is reached.
	 */
	private async repair(): Promise<Row[]> {
		const found: Row[] = [];
		if (this.total === undefined || !this.totalTrusted) return found;
		for (const value of this.strictBoundaries) {
			if (this.returned.size >= this.total) break;
			const { rows } = await this.search({ ...this.base, limit: SEARCH_PAGE, startAfterDate: value - this.direction });
			this.remember(rows);
			const atValue = rows.filter((row) => sortValue(row) === value);
			if (rows.length === SEARCH_PAGE && atValue.length === rows.length) found.push(...this.take(await this.block(value)));
			else found.push(...this.take(atValue));
		}
		return found;
	}

	/** Every row sorted at exactly `value`, by creation-date ranges split at the median of what was read. */
	private async block(value: number): Promise<Row[]> {
		const dates: number[] = [];
		const learn = (rows: Row[]) => {
			for (const row of rows) {
				const added = timeOf(row.dateAdded);
				if (sortValue(row) === value && Number.isFinite(added)) dates.push(added);
			}
		};
		learn([...this.read.values()]);
		const found = new Map<string, Row>();
		const keep = (rows: Row[]) => {
			for (const row of rows) if (sortValue(row) === value) found.set(String(row.id), row);
		};
		keep([...this.read.values()]);
		const split = async (from: number, to: number, depth: number): Promise<void> => {
			const inRange = dates.filter((date) => date >= from && date <= to).sort((a, b) => a - b);
			const median = inRange.length ? inRange[Math.floor((inRange.length - 1) / 2)] : Math.floor((from + to) / 2);
			// Both parts must be smaller than the range.
			const middle = Math.min(to - 1, Math.max(from, median));
			for (const [start, end] of [
				[from, middle],
				[middle + 1, to],
			]) {
				const { rows } = await this.search({
					...this.base,
					limit: SEARCH_PAGE,
					startAfterDate: value - this.direction,
					startDate: start,
					endDate: end,
				});
				this.remember(rows);
				keep(rows);
				learn(rows);
				const allTied = rows.length === SEARCH_PAGE && rows.every((row) => sortValue(row) === value);
				if (!allTied) continue;
				if (start >= end) await this.cell(value, start, found);
				else if (depth >= MAX_SPLIT_DEPTH) this.warnings.push({ sortValue: value, createdAt: start, read: SEARCH_PAGE });
				else await split(start, end, depth + 1);
			}
		};
		const startDate = timeOf(this.base.startDate);
		const endDate = timeOf(this.base.endDate);
		// Creation dates are not after now (give or take a day of clock skew); a message dated
		// before its conversation's creation can make the sort value older than the creation date.
		const from = Number.isFinite(startDate) ? startDate : 0;
		const to = Number.isFinite(endDate) ? endDate : Math.max(value, Date.now()) + DAY_MS;
		if (from > to) return [...found.values()];
		if (from === to) await this.cell(value, from, found);
		else await split(from, to, 0);
		return [...found.values()];
	}

	/**
	 * Rows of one sort value and one creation millisecond that fill a page: read in the other order
	 * and again while each read brings rows not seen before, until the search's `total` (rows
	 * created in that millisecond, the query without `startAfterDate`) is reached. What stays out
	 * of reach is recorded as a warning.
	 */
	private async cell(value: number, createdAt: number, found: Map<string, Row>): Promise<void> {
		const createdThen = () => [...this.read.values()].filter((row) => timeOf(row.dateAdded) === createdAt).length;
		let total: number | undefined;
		let idle = 0;
		for (let reads = 0; reads < MAX_CELL_READS; reads++) {
			const reverse = reads % 2 === 0;
			const sort = reverse ? (this.direction < 0 ? 'asc' : 'desc') : this.base.sort;
			const direction = reverse ? -this.direction : this.direction;
			const before = found.size;
			const answer = await this.search({
				...this.base,
				...(sort !== undefined ? { sort } : {}),
				limit: SEARCH_PAGE,
				startAfterDate: value - direction,
				startDate: createdAt,
				endDate: createdAt,
			});
			this.remember(answer.rows);
			for (const row of answer.rows) if (sortValue(row) === value) found.set(String(row.id), row);
			if (answer.total !== undefined) total = answer.total;
			if (total !== undefined && createdThen() >= total) return;
			// Nothing new, read after read: this API shows no more of them.
			idle = found.size === before ? idle + 1 : 0;
			if (idle >= MAX_CELL_IDLE_READS) break;
		}
		const read = [...found.values()].filter((row) => timeOf(row.dateAdded) === createdAt).length;
		this.warnings.push({ sortValue: value, createdAt, read, total });
	}
}

/**
 * All rows of a scan, each once, in sort order (within one sort value, as read).
 * `lowerBound` (descending only) ends the scan at the first page reaching below it; `maxRows`
 * once that many were read; `enough(rows)` after a page whose new rows satisfy the caller.
 */
export async function scanSearch(
	request: SearchRequest,
	base: IDataObject,
	options: { lowerBound?: number; maxRows?: number; enough?: (rows: Row[], total?: number) => boolean } = {},
): Promise<{ rows: Row[]; warnings: TieWarning[]; requests: number }> {
	const scan = new SearchScan(request, base, { enough: options.enough });
	const rows: Row[] = [];
	while (!scan.done) {
		const batch = await scan.next(options.maxRows !== undefined ? options.maxRows - rows.length : SEARCH_PAGE);
		rows.push(...batch);
		if (options.maxRows !== undefined && rows.length >= options.maxRows) break;
		if (options.lowerBound !== undefined && batch.some((row) => sortValue(row) < options.lowerBound!)) break;
	}
	if (scan.unpageable) throw new MissingSortValue();
	return { rows, warnings: scan.warnings, requests: scan.requests };
}
