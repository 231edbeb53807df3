/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   test support, never shipped: reads the official spec files. */
/**
 * The official OpenAPI spec of the Conversations API as a validator (openapi-backend, ajv), for
 * checking the sandbox's requests and responses. The spec is used as published, except for the
 * corrections listed in SPEC_CORRECTIONS: the mistakes NOTES.md names, and two places where the
 * document is not valid OpenAPI 3.0 at all (so no validator could load it).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { OpenAPIBackend, type Document, type Request } from 'openapi-backend';
import type { SandboxExchange } from '../../sandbox';

/** The official spec files, copied into the repository (see specs/README.md). */
export const SPEC_DIR = specDir();

/** specs/highlevel-api above this file, whether it runs from test/support/ or a build of it. */
function specDir(): string {
	for (let dir = __dirname; ; dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'specs', 'highlevel-api');
		if (existsSync(candidate)) return candidate;
		if (path.dirname(dir) === dir) throw new Error(`No specs/highlevel-api above ${__dirname}`);
	}
}
const COMMON_REF = '../common/common-schemas.json#/components/schemas/';

type Json = Record<string, unknown>;

/** Every change made to the published spec before validating, with its reason. */
export const SPEC_CORRECTIONS = [
	'NOTES.md: SendMessageBodyDto lists subType and status as required; real clients send neither',
	'NOTES.md: GET /conversations/messages/{id} declares no `id` path parameter; GET /conversations/messages/email/{id} has the same gap. Path parameters a path uses are declared',
	'NOTES.md: GET /conversations/{conversationId}/messages answers the live (nested) shape { messages: { lastMessageId, nextPage, messages } }',
	'NOTES.md: recording and transcription download answer with a file (audio/x-wav, text/plain), not JSON',
	'Invalid OpenAPI 3.0: the search parameter startAfterDate has `anyOf` beside its schema and `type: "any"`; read as any value',
	'Invalid OpenAPI 3.0: `examples` (plural) inside schemas (subscription_action, provider); dropped (documentation only)',
	'Invalid OpenAPI 3.0 (v3 spec): a `$ref` with sibling keywords (GetMessageResponseDto.meta); siblings dropped (documentation only)',
	'Inlined: `../common/common-schemas.json` error bodies, referenced by relative path',
	'Dangling reference (v3 spec): `ForbiddenDTO` is not in common-schemas.json; read as an error body { statusCode, message }',
];

function load(file: string): Json {
	return JSON.parse(readFileSync(path.join(SPEC_DIR, file), 'utf8')) as Json;
}

/** Deep walk that rewrites objects in place. */
function walk(value: unknown, visit: (node: Json) => void): void {
	if (Array.isArray(value)) value.forEach((item) => walk(item, visit));
	else if (value && typeof value === 'object') {
		visit(value as Json);
		Object.values(value as Json).forEach((child) => walk(child, visit));
	}
}

export function correctedSpec(file = 'apps/conversations.json'): Json {
	const spec = load(file);
	const common = (load('common/common-schemas.json').components as Json).schemas as Json;
	const components = spec.components as Json;
	const schemas = components.schemas as Json;
	for (const [name, schema] of Object.entries(common)) schemas[`Common${name}`] = schema;
	const errorBody = { type: 'object', properties: { statusCode: { type: 'number' }, message: {} } };

	walk(spec, (node) => {
		if (typeof node.$ref === 'string' && node.$ref.startsWith(COMMON_REF)) {
			const name = `Common${node.$ref.slice(COMMON_REF.length)}`;
			schemas[name] ??= errorBody;
			node.$ref = `#/components/schemas/${name}`;
		}
		if (node.examples !== undefined && (node.type !== undefined || node.description !== undefined)) {
			delete node.examples;
		}
		if (typeof node.$ref === 'string') {
			for (const key of Object.keys(node)) if (key !== '$ref') delete node[key];
		}
	});

	const paths = spec.paths as Record<string, Record<string, Json>>;

	const search = paths['/conversations/search']?.get;
	if (search) {
		for (const parameter of search.parameters as Json[]) {
			if (parameter.name === 'startAfterDate') {
				delete parameter.anyOf;
				parameter.schema = {};
			}
		}
	}

	const sendBody = schemas.SendMessageBodyDto as Json | undefined;
	if (sendBody) {
		sendBody.required = (sendBody.required as string[]).filter((n) => n !== 'subType' && n !== 'status');
	}

	for (const [template, operations] of Object.entries(paths)) {
		const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
		for (const operation of Object.values(operations)) {
			const parameters = ((operation.parameters as Json[] | undefined) ?? []).slice();
			for (const name of names) {
				if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
					parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
				}
			}
			operation.parameters = parameters;
		}
	}

	const messages = paths['/conversations/{conversationId}/messages']?.get;
	if (messages) {
		const ok = (messages.responses as Json)['200'] as Json;
		ok.content = {
			'application/json': {
				schema: {
					type: 'object',
					required: ['messages'],
					properties: { messages: { $ref: '#/components/schemas/GetMessagesByConversationResponseDto' } },
				},
			},
		};
	}
	return spec;
}

/** A request and its answer: the sandbox records them in this shape (`onExchange`). */
export type Exchange = SandboxExchange;

export interface SpecValidator {
	/** The operationId serving this request, or undefined when the spec has no such path. */
	operationOf(exchange: Pick<Exchange, 'method' | 'path'>): string | undefined;
	/** Problems with the request and the response; empty when both follow the spec. */
	validate(exchange: Exchange): string[];
}

const FILE_RESPONSES = new Set(['get-message-recording', 'download-message-transcription']);

export async function specValidator(file = 'apps/conversations.json'): Promise<SpecValidator> {
	const api = new OpenAPIBackend({
		definition: correctedSpec(file) as unknown as Document,
		strict: true,
		validate: true,
		// `POST /conversations/` is the one path with a trailing slash: match paths as written.
		ignoreTrailingSlashes: false,
		ajvOpts: {
			strict: false,
			formats: { 'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/ },
		},
	});
	await api.init();

	const toRequest = (exchange: Exchange): Request => ({
		method: exchange.method.toLowerCase(),
		path: exchange.path,
		query: exchange.query as Request['query'],
		headers: exchange.headers as Request['headers'],
		body: exchange.body,
	});

	return {
		operationOf(exchange) {
			return api.matchOperation({ method: exchange.method.toLowerCase(), path: exchange.path, headers: {} })?.operationId;
		},
		validate(exchange) {
			const request = toRequest(exchange);
			const operation = api.matchOperation(request);
			if (!operation) return [`${exchange.method} ${exchange.path}: no such operation in the spec`];
			const problems: string[] = [];
			const where = `${operation.operationId} (${exchange.method} ${exchange.path})`;
			const multipart = String(exchange.headers['content-type'] ?? '').startsWith('multipart/');
			const requestResult = api.validateRequest(multipart ? { ...request, body: {} } : request, operation);
			for (const error of requestResult.errors ?? []) {
				// A multipart body is checked by the sandbox's own parser, not as JSON.
				if (multipart && error.instancePath?.startsWith('/requestBody')) continue;
				problems.push(`${where} request ${error.instancePath ?? ''} ${error.message}`);
			}
			if (FILE_RESPONSES.has(operation.operationId ?? '') && exchange.status < 300) {
				const type = String(exchange.responseHeaders['content-type'] ?? '');
				const expected = operation.operationId === 'get-message-recording' ? 'audio/x-wav' : 'text/plain';
				if (!type.startsWith(expected)) problems.push(`${where} response: content-type ${type}, expected ${expected}`);
				return problems;
			}
			const declared = Object.keys(operation.responses ?? {});
			if (!declared.includes(String(exchange.status)) && exchange.status < 400) {
				problems.push(`${where} response: status ${exchange.status} is not declared (${declared.join(', ')})`);
			}
			const responseResult = api.validateResponse(exchange.responseBody, operation, exchange.status);
			for (const error of responseResult.errors ?? []) {
				problems.push(`${where} response ${error.instancePath ?? ''} ${error.message}`);
			}
			return problems;
		},
	};
}
