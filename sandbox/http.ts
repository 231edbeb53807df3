/** Error bodies of the API (common-schemas.json) and request validation. */
import type { FastifyRequest } from 'fastify';

export type Json = Record<string, unknown>;

/** An error answered with the API's body: `{ statusCode, message, ... }`. */
export class ApiError extends Error {
	constructor(
		readonly statusCode: number,
		readonly body: Json,
	) {
		super(typeof body.message === 'string' ? body.message : JSON.stringify(body.message));
	}
}

/** BadRequestDTO. */
export function badRequest(message: string, extra: Json = {}): ApiError {
	return new ApiError(400, { statusCode: 400, message, ...extra });
}

/** 404 with `{ statusCode: 404, message: "<What> not found" }`. */
export function notFound(what: string): ApiError {
	return new ApiError(404, { statusCode: 404, message: `${what} not found` });
}

export function forbidden(message = 'The token does not have access to this location'): ApiError {
	return new ApiError(403, { statusCode: 403, message });
}

/** UnprocessableDTO: what the API answers when a request does not match its DTO. */
export function unprocessable(messages: string[]): ApiError {
	return new ApiError(422, { statusCode: 422, message: messages, error: 'Unprocessable Entity' });
}

export const UNAUTHORIZED = { statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' };
export const TOO_MANY_REQUESTS = { statusCode: 429, message: 'Too many requests' };

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** The JSON body as an object ({} when there is none). */
export function jsonBody(request: FastifyRequest): Json {
	const body = request.body as unknown;
	if (body === undefined || body === null || (Buffer.isBuffer(body) && body.length === 0)) return {};
	if (!isObject(body)) throw badRequest('The request body must be a JSON object');
	return body;
}

/** The query string, one value per name (the first when repeated). */
export function queryOf(request: FastifyRequest): Record<string, string | undefined> {
	const query = (request.query ?? {}) as Record<string, unknown>;
	const out: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(query)) {
		const first = Array.isArray(value) ? value[0] : value;
		out[name] = first === undefined || first === null ? undefined : String(first);
	}
	return out;
}

/** The (decoded) path parameters. */
export function paramsOf(request: FastifyRequest): Record<string, string> {
	return (request.params ?? {}) as Record<string, string>;
}

/** A comma-separated list ("a, b,c" → ["a", "b", "c"]). */
export function list(value: string | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
}

/**
 * Checks the fields of a body or query the way the API's DTO validation does; collects every
 * problem and answers them together as a 422.
 */
export class Fields {
	private readonly problems: string[] = [];

	constructor(private readonly source: Json) {}

	private present(name: string): boolean {
		const value = this.source[name];
		return value !== undefined && value !== null && value !== '';
	}

	string(name: string, options: { required?: boolean; maxLength?: number } = {}): string | undefined {
		if (!this.present(name)) {
			if (options.required) this.problems.push(`${name} should not be empty`);
			return undefined;
		}
		const value = this.source[name];
		if (typeof value !== 'string') {
			this.problems.push(`${name} must be a string`);
			return undefined;
		}
		if (options.required && !value.trim()) {
			this.problems.push(`${name} should not be empty`);
			return undefined;
		}
		if (options.maxLength !== undefined && value.length > options.maxLength) {
			this.problems.push(`${name} must be shorter than or equal to ${options.maxLength} characters`);
		}
		return value;
	}

	oneOf<T extends string>(name: string, values: readonly T[], options: { required?: boolean } = {}): T | undefined {
		const value = this.string(name, options);
		if (value === undefined) return undefined;
		if (!values.includes(value as T)) {
			this.problems.push(`${name} must be one of the following values: ${values.join(', ')}`);
			return undefined;
		}
		return value as T;
	}

	number(name: string, options: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
		if (!this.present(name)) {
			if (options.required) this.problems.push(`${name} should not be empty`);
			return undefined;
		}
		const raw = this.source[name];
		const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() ? Number(raw) : NaN;
		if (!Number.isFinite(value)) {
			this.problems.push(`${name} must be a number conforming to the specified constraints`);
			return undefined;
		}
		if (options.min !== undefined && value < options.min) this.problems.push(`${name} must not be less than ${options.min}`);
		if (options.max !== undefined && value > options.max) this.problems.push(`${name} must not be greater than ${options.max}`);
		return value;
	}

	boolean(name: string): boolean | undefined {
		if (!this.present(name)) return undefined;
		const value = this.source[name];
		if (typeof value === 'boolean') return value;
		if (value === 'true' || value === 'false') return value === 'true';
		this.problems.push(`${name} must be a boolean value`);
		return undefined;
	}

	strings(name: string, options: { required?: boolean; max?: number } = {}): string[] | undefined {
		if (!this.present(name)) {
			if (options.required) this.problems.push(`${name} should not be empty`);
			return undefined;
		}
		const value = this.source[name];
		if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
			this.problems.push(`${name} must be an array of strings`);
			return undefined;
		}
		if (options.max !== undefined && value.length > options.max) {
			this.problems.push(`${name} must contain no more than ${options.max} elements`);
		}
		return value as string[];
	}

	object(name: string, options: { required?: boolean } = {}): Json | undefined {
		if (!this.present(name)) {
			if (options.required) this.problems.push(`${name} should not be empty`);
			return undefined;
		}
		const value = this.source[name];
		if (!isObject(value)) {
			this.problems.push(`${name} must be an object`);
			return undefined;
		}
		return value;
	}

	problem(message: string): void {
		this.problems.push(message);
	}

	/** The problems found so far. */
	issues(): string[] {
		return [...this.problems];
	}

	/** Throws the 422 when anything was wrong. */
	check(): void {
		if (this.problems.length) throw unprocessable(this.problems);
	}
}

/** A date from an ISO text or milliseconds (number or digits); undefined when not a date. */
export function parseDate(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	const text = String(value).trim();
	if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
	const time = Date.parse(text);
	return Number.isNaN(time) ? undefined : time;
}

export function iso(time: number): string {
	return new Date(time).toISOString();
}

/** The base URL the client used to reach the sandbox (for URLs that point back at it). */
export function baseUrlOf(request: FastifyRequest): string {
	return `${request.protocol}://${request.host}`;
}
