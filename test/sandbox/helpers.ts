import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';

/**
 * app.inject() loads light-my-request, which requires the ESM-only `cookie@2`; this repo's jest
 * runs without --experimental-vm-modules and cannot load it. Light-my-request only uses it to
 * encode the `cookies` option, so a CommonJS stand-in is enough. (Import this file, or copy this
 * line, in any jest test that calls app.inject().)
 */
jest.mock('cookie', () => ({
	stringifySetCookie: (cookie: { name: string; value: string }) => `${cookie.name}=${encodeURIComponent(cookie.value)}`,
}));

export const VERSION = '2021-04-15';

/** A clock the test moves by hand. */
export function fakeClock(start = Date.UTC(2026, 2, 2, 12, 0, 0)) {
	let time = start;
	return {
		now: () => time,
		advance(ms: number) {
			time += ms;
		},
	};
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface Call {
	method?: InjectOptions['method'];
	url: string;
	query?: Query;
	body?: unknown;
	headers?: Record<string, string | undefined>;
	/** Leave out the bearer token / the Version header. */
	noAuth?: boolean;
	noVersion?: boolean;
}

/** Requests through app.inject(), with the sandbox's token and the API version. */
export function client(sandbox: Sandbox) {
	async function call(options: Call): Promise<LightMyRequestResponse> {
		const headers: Record<string, string> = {};
		if (!options.noAuth) headers.authorization = `Bearer ${sandbox.token}`;
		if (!options.noVersion) headers.version = VERSION;
		for (const [name, value] of Object.entries(options.headers ?? {})) {
			if (value === undefined) delete headers[name];
			else headers[name] = value;
		}
		const query: Record<string, string> = {};
		for (const [name, value] of Object.entries(options.query ?? {})) {
			if (value !== undefined) query[name] = String(value);
		}
		return sandbox.app.inject({
			method: options.method ?? 'GET',
			url: options.url,
			query,
			headers,
			...(options.body !== undefined ? { payload: options.body as InjectOptions['payload'] } : {}),
		});
	}
	return {
		call,
		get: (url: string, query?: Query, extra: Partial<Call> = {}) => call({ ...extra, url, query }),
		post: (url: string, body?: unknown, extra: Partial<Call> = {}) => call({ ...extra, method: 'POST', url, body }),
		put: (url: string, body?: unknown, extra: Partial<Call> = {}) => call({ ...extra, method: 'PUT', url, body }),
		delete: (url: string, extra: Partial<Call> = {}) => call({ ...extra, method: 'DELETE', url }),
		/** GET /conversations/search with the sandbox's location. */
		search: (query: Query = {}) => call({ url: '/conversations/search', query: { locationId: sandbox.locationId, ...query } }),
	};
}

export type Client = ReturnType<typeof client>;

/** A sandbox on a fake clock, without rate limits unless asked for. */
export async function newSandbox(options: SandboxOptions = {}) {
	const clock = fakeClock();
	const sandbox = await createSandbox({ rateLimit: false, now: clock.now, ...options });
	return { sandbox, clock, api: client(sandbox) };
}

export interface Row {
	id: string;
	sort: [number];
	[key: string]: unknown;
}
