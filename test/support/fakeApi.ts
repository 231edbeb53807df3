/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   test support, never shipped: a local HTTP server with Node's built-ins and timers. */
/**
 * An independent fake of the parts of HighLevel's API that paging and polling read, written from
 * the spec and the API's known behaviour rather than from our sandbox (which agrees with our code
 * by construction). It answers over real HTTP on 127.0.0.1 and does what the sandbox never does:
 *
 * - ties in any depth: rows that share the sort value are returned in a `fixed` order (the same
 *   in both directions, as a search engine breaks ties by its internal document order) or in a
 *   `shuffled` order (a new one on every request);
 * - `startAfterDate` strictly after the sort value; `total` counts the query without it;
 * - `spec` rows: only the spec's ConversationSchema fields (no `lastMessageDate`, `dateAdded`, `sort`);
 * - latency, HighLevel's 100-per-10-s limit with its X-RateLimit-* headers (429 past it), and
 *   injected 429s on chosen requests;
 * - a hook before each answer (e.g. to let a test add events while a poll reads).
 *
 * Its own cost per request is kept small (a real API's server time is inside its latency, not on
 * the client's CPU, and this server runs in the client's process): each query's sorted rows are
 * kept until the data changes (a conversation added, or its dates or tie rank set), and a page
 * after `startAfterDate` is found by binary search.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMessage {
	id: string;
	conversationId: string;
	dateAdded: number;
	direction: 'inbound' | 'outbound';
	status: string;
	messageType: string;
	body: string;
}

export interface FakeConversation {
	id: string;
	contactId: string;
	dateAdded: number;
	/** The sort value of the search (last message date); the creation date when it has no message. */
	lastMessageDate: number;
	/** Position among equal sort values in the `fixed` tie order. */
	tieRank: number;
	messages: FakeMessage[];
	lastMessageBody: string;
	unreadCount: number;
}

export interface FakeApiOptions {
	tieOrder?: 'fixed' | 'shuffled';
	/** `full`: rows carry lastMessageDate, dateAdded, dateUpdated and sort; `spec`: only the spec's fields. */
	rows?: 'full' | 'spec';
	/** Leave `total` out of search answers, or state a wrong one. */
	total?: 'exact' | 'missing' | ((exact: number) => number);
	latencyMs?: number;
	/** Enforce 100 requests per 10 s (real time). */
	rateLimit?: { max: number; intervalMs: number };
	seed?: number;
}

export interface FakeRequest {
	path: string;
	query: Record<string, string>;
	status: number;
}

export class FakeApi {
	readonly token = 'fake-token-3f9a';
	readonly locationId = 'fake-location';
	readonly conversations = new Map<string, FakeConversation>();
	readonly requests: FakeRequest[] = [];
	/** Answer these request numbers (1-based, over all requests) with a 429. */
	readonly fail429 = new Set<number>();
	/** Runs before a request is answered (the test may change the data a poll is reading). */
	beforeAnswer?: (request: FakeRequest) => Promise<void> | void;
	baseUrl = '';
	private server?: Server;
	private counter = 0;
	private random: number;
	private window = { start: 0, count: 0 };
	/** Bumped by every change to what a search sorts or filters on (kept sorted rows are then stale). */
	private version = 0;

	constructor(private readonly options: FakeApiOptions = {}) {
		this.random = options.seed ?? 12345;
	}

	private rand(): number {
		// xorshift32: reproducible shuffles.
		let x = this.random || 1;
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		this.random = x >>> 0;
		return this.random / 0x1_0000_0000;
	}

	/** Adds a conversation created at `dateAdded`, without messages. */
	addConversation(id: string, dateAdded: number): FakeConversation {
		const conversation = {
			id,
			contactId: `contact-${id}`,
			messages: [],
			lastMessageBody: '',
			unreadCount: 0,
		} as unknown as FakeConversation;
		// The fields a search filters and sorts on: setting one (tests do) makes kept results stale.
		const fields: Pick<FakeConversation, 'dateAdded' | 'lastMessageDate' | 'tieRank'> = {
			dateAdded,
			lastMessageDate: dateAdded,
			tieRank: this.conversations.size,
		};
		for (const key of Object.keys(fields) as Array<keyof typeof fields>) {
			Object.defineProperty(conversation, key, {
				enumerable: true,
				get: () => fields[key],
				set: (value: number) => {
					fields[key] = value;
					this.version++;
				},
			});
		}
		this.conversations.set(id, conversation);
		this.version++;
		return conversation;
	}

	/** Adds a message; the conversation's row moves to its date (`moveRow` false: a row that does not change). */
	addMessage(conversation: FakeConversation, id: string, dateAdded: number, extra: Partial<FakeMessage> = {}, moveRow = true): FakeMessage {
		const message: FakeMessage = {
			id,
			conversationId: conversation.id,
			dateAdded,
			direction: 'inbound',
			status: 'delivered',
			messageType: 'TYPE_SMS',
			body: `text of ${id}`,
			...extra,
		};
		conversation.messages.push(message);
		if (moveRow) {
			conversation.lastMessageDate = dateAdded;
			conversation.lastMessageBody = message.body;
			conversation.unreadCount++;
		}
		return message;
	}

	private row(conversation: FakeConversation): Record<string, unknown> {
		const row: Record<string, unknown> = {
			id: conversation.id,
			contactId: conversation.contactId,
			locationId: this.locationId,
			lastMessageBody: conversation.lastMessageBody,
			lastMessageType: 'TYPE_SMS',
			type: 'TYPE_PHONE',
			unreadCount: conversation.unreadCount,
			fullName: `Name ${conversation.id}`,
			contactName: `Name ${conversation.id}`,
			email: `${conversation.id}@example.com`,
			phone: '+15550001234',
		};
		if (this.options.rows === 'spec') return row;
		return {
			...row,
			lastMessageDate: conversation.lastMessageDate,
			dateAdded: conversation.dateAdded,
			dateUpdated: conversation.lastMessageDate,
			sort: [conversation.lastMessageDate],
		};
	}

	/** Each query's sorted rows, as of `version` (a shuffled tie order is drawn anew for every request). */
	private readonly sorted = new Map<string, { version: number; rows: FakeConversation[] }>();

	private search(query: Record<string, string>): Record<string, unknown> {
		const direction = query.sort === 'asc' ? 1 : -1;
		if (this.options.tieOrder === 'shuffled') return this.page(query, direction, this.matching(query, direction));
		const key = JSON.stringify([query.sort, query.startDate, query.endDate, query.id]);
		let kept = this.sorted.get(key);
		if (kept?.version !== this.version) {
			kept = { version: this.version, rows: this.matching(query, direction) };
			this.sorted.set(key, kept);
		}
		return this.page(query, direction, kept.rows);
	}

	private matching(query: Record<string, string>, direction: number): FakeConversation[] {
		const startDate = query.startDate !== undefined ? Number(query.startDate) : -Infinity;
		const endDate = query.endDate !== undefined ? Number(query.endDate) : Infinity;
		const matching = [...this.conversations.values()].filter(
			(conversation) =>
				conversation.dateAdded >= startDate &&
				conversation.dateAdded <= endDate &&
				(query.id === undefined || conversation.id === query.id),
		);
		const tie = new Map<string, number>();
		for (const conversation of matching) {
			tie.set(conversation.id, this.options.tieOrder === 'shuffled' ? this.rand() : conversation.tieRank);
		}
		// Ties keep one order whichever the direction (a search engine's document order).
		matching.sort((a, b) => direction * (a.lastMessageDate - b.lastMessageDate) || tie.get(a.id)! - tie.get(b.id)!);
		return matching;
	}

	private page(query: Record<string, string>, direction: number, matching: FakeConversation[]): Record<string, unknown> {
		const after = query.startAfterDate !== undefined ? Number(query.startAfterDate) : undefined;
		const from = after === undefined || Number.isNaN(after) ? 0 : this.firstAfter(matching, direction, after);
		const limit = Math.min(100, Number(query.limit ?? 20) || 20);
		const body: Record<string, unknown> = {
			conversations: matching.slice(from, from + limit).map((conversation) => this.row(conversation)),
		};
		const total = this.options.total ?? 'exact';
		if (total === 'exact') body.total = matching.length;
		else if (typeof total === 'function') body.total = total(matching.length);
		return body;
	}

	/** The index of the first of `sorted` (by sort value in `direction`) strictly after `after`; its length when none is. */
	private firstAfter(sorted: FakeConversation[], direction: number, after: number): number {
		let low = 0;
		let high = sorted.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			const value = sorted[middle].lastMessageDate;
			if (direction < 0 ? value < after : value > after) high = middle;
			else low = middle + 1;
		}
		return low;
	}

	private messages(conversationId: string, query: Record<string, string>): Record<string, unknown> | undefined {
		const conversation = this.conversations.get(conversationId);
		if (!conversation) return undefined;
		const all = [...conversation.messages].sort((a, b) => b.dateAdded - a.dateAdded || (a.id < b.id ? 1 : -1));
		let start = 0;
		if (query.lastMessageId) start = all.findIndex((message) => message.id === query.lastMessageId) + 1;
		const limit = Math.min(100, Number(query.limit ?? 20) || 20);
		const page = all.slice(start, start + limit);
		return {
			messages: {
				lastMessageId: page.length ? page[page.length - 1].id : null,
				nextPage: start + limit < all.length,
				messages: page.map((message) => ({
					...message,
					type: 2,
					locationId: this.locationId,
					contactId: conversation.contactId,
					dateAdded: new Date(message.dateAdded).toISOString(),
					contentType: 'text/plain',
					attachments: [],
				})),
			},
		};
	}

	/** GET /conversations/messages/export: the location's messages by creation date, cursor-paged; email only with channel=Email. */
	private export(query: Record<string, string>): Record<string, unknown> {
		const from = query.startDate ? Date.parse(query.startDate) : -Infinity;
		const to = query.endDate ? Date.parse(query.endDate) : Infinity;
		const email = query.channel === 'Email';
		const all = [...this.conversations.values()]
			.flatMap((conversation) => conversation.messages)
			.filter((message) => message.dateAdded >= from && message.dateAdded <= to && (message.messageType === 'TYPE_EMAIL') === email)
			.sort((a, b) => (query.sortOrder === 'asc' ? 1 : -1) * (a.dateAdded - b.dateAdded) || (a.id < b.id ? -1 : 1));
		const offset = query.cursor ? Number(Buffer.from(query.cursor, 'base64').toString('utf8')) : 0;
		const limit = Math.max(10, Math.min(500, Number(query.limit ?? 100) || 100));
		const page = all.slice(offset, offset + limit);
		return {
			messages: page.map((message) => ({ ...message, locationId: this.locationId, dateAdded: new Date(message.dateAdded).toISOString() })),
			nextCursor: offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64') : null,
			total: all.length,
		};
	}

	private rateHeaders(): Record<string, string> {
		const limit = this.options.rateLimit;
		if (!limit) return {};
		return {
			'x-ratelimit-max': String(limit.max),
			'x-ratelimit-remaining': String(Math.max(0, limit.max - this.window.count)),
			'x-ratelimit-interval-milliseconds': String(limit.intervalMs),
			'x-ratelimit-limit-daily': '200000',
			'x-ratelimit-daily-remaining': '199000',
		};
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const query = Object.fromEntries(url.searchParams.entries());
		const record: FakeRequest = { path: url.pathname, query, status: 200 };
		this.requests.push(record);
		const number = ++this.counter;
		if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
		const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
			record.status = status;
			response.writeHead(status, { 'content-type': 'application/json', ...this.rateHeaders(), ...headers });
			response.end(JSON.stringify(body));
		};
		if (request.headers.authorization !== `Bearer ${this.token}`) return send(401, { statusCode: 401, message: 'Invalid JWT' });
		const limit = this.options.rateLimit;
		if (limit) {
			const now = Date.now();
			if (now - this.window.start >= limit.intervalMs) this.window = { start: now, count: 0 };
			if (this.window.count >= limit.max) {
				const retry = Math.ceil((this.window.start + limit.intervalMs - now) / 1000);
				return send(429, { statusCode: 429, message: 'Too many requests' }, { 'retry-after': String(Math.max(1, retry)) });
			}
			this.window.count++;
		}
		if (this.fail429.has(number)) return send(429, { statusCode: 429, message: 'Too many requests' }, { 'retry-after': '1' });
		if (this.beforeAnswer) await this.beforeAnswer(record);
		if (url.pathname === '/conversations/search') return send(200, this.search(query));
		if (url.pathname === '/conversations/messages/export') return send(200, this.export(query));
		const match = /^\/conversations\/([^/]+)\/messages$/.exec(url.pathname);
		if (match) {
			const body = this.messages(decodeURIComponent(match[1]), query);
			return body ? send(200, body) : send(404, { statusCode: 404, message: 'Conversation not found' });
		}
		send(404, { statusCode: 404, message: `No route ${url.pathname}` });
	}

	async listen(): Promise<string> {
		this.server = createServer((request, response) => {
			this.handle(request, response).catch((error: Error) => {
				response.writeHead(500);
				response.end(JSON.stringify({ message: error.message }));
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.baseUrl;
	}

	async close(): Promise<void> {
		if (this.server) await new Promise((resolve) => this.server!.close(resolve));
	}

	/** Requests to a path (e.g. '/conversations/search'). */
	count(path?: string): number {
		return path ? this.requests.filter((request) => request.path === path).length : this.requests.length;
	}
}
