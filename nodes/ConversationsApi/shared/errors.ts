import {
	NodeApiError,
	NodeOperationError,
	type DeclarativeRestApiSettings,
	type IDataObject,
	type IExecutePaginationFunctions,
	type IExecuteSingleFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { credentialLocationId, credentialType } from './transport';

/** An ID a request names, for "was not found" messages. */
export interface NamedId {
	/** What the ID stands for, e.g. "Conversation". */
	noun: string;
	value: string;
}

/** What a failed request was about: turns the API's status into a message that says what to do. */
export interface ErrorContext {
	/** The credential in use: OAuth2 (Marketplace app) or Private Integration Token. */
	oAuth2: boolean;
	/** The scope the operation needs. */
	scope: string;
	/** False when HighLevel's scope table names no scope for the endpoint (`scope` is then the matching one). */
	scopeListed: boolean;
	locationId?: string;
	/** The ID in the request's path (the thing a 404 is about). */
	subject?: NamedId;
	/** Other IDs the request sends, named by a 404 when the path has none. */
	ids?: NamedId[];
	itemIndex?: number;
}

interface OperationFacts {
	scope: string;
	scopeListed: boolean;
	/** The node parameter holding the path's ID, and what it stands for. */
	subject?: [parameter: string, noun: string];
}

const READ = 'conversations.readonly';
const WRITE = 'conversations.write';
const MESSAGE_READ = 'conversations/message.readonly';
const MESSAGE_WRITE = 'conversations/message.write';
const LIVECHAT_WRITE = 'conversations/livechat.write';

const listed = (scope: string, subject?: OperationFacts['subject']): OperationFacts => ({ scope, scopeListed: true, subject });
const unlisted = (scope: string, subject?: OperationFacts['subject']): OperationFacts => ({ scope, scopeListed: false, subject });

const CONVERSATION: OperationFacts['subject'] = ['conversationId', 'Conversation'];
const MESSAGE: OperationFacts['subject'] = ['messageId', 'Message'];
const EMAIL: OperationFacts['subject'] = ['emailMessageId', 'Email message'];

/**
 * Scope and path ID of every operation, by "resource.operation". Scopes follow HighLevel's scope
 * table; where it names none, the read or write scope of conversations or of messages that matches.
 */
export const OPERATIONS: Record<string, OperationFacts> = {
	'attachment.completeUpload': unlisted(MESSAGE_WRITE),
	'attachment.initiateUpload': unlisted(MESSAGE_WRITE),
	'attachment.upload': listed(MESSAGE_WRITE),
	'call.addOutbound': unlisted(MESSAGE_WRITE),
	'call.downloadTranscription': listed(MESSAGE_READ, MESSAGE),
	'call.getRecording': listed(MESSAGE_READ, MESSAGE),
	'call.getTranscription': listed(MESSAGE_READ, MESSAGE),
	'contactSubscription.change': unlisted(WRITE),
	'contactSubscription.getStatus': unlisted(READ),
	'conversation.create': listed(WRITE),
	'conversation.delete': listed(WRITE, CONVERSATION),
	'conversation.get': listed(READ, CONVERSATION),
	'conversation.getAll': listed(READ),
	'conversation.update': listed(WRITE, CONVERSATION),
	'customSubtype.create': unlisted(WRITE),
	'customSubtype.getAll': unlisted(READ),
	'customSubtype.update': unlisted(WRITE, ['customSubtypeId', 'Custom subtype']),
	'email.cancelScheduled': listed(MESSAGE_WRITE, EMAIL),
	'email.get': unlisted(MESSAGE_READ, EMAIL),
	'email.updateStatus': unlisted(MESSAGE_WRITE, EMAIL),
	'liveChat.sendTyping': listed(LIVECHAT_WRITE),
	'message.addInbound': listed(MESSAGE_WRITE),
	'message.cancelScheduled': listed(MESSAGE_WRITE, MESSAGE),
	'message.export': unlisted(MESSAGE_READ),
	'message.get': unlisted(MESSAGE_READ, MESSAGE),
	'message.getAll': unlisted(MESSAGE_READ, CONVERSATION),
	'message.send': listed(MESSAGE_WRITE),
	'message.sendReviewReply': unlisted(MESSAGE_WRITE),
	'message.setAttachments': unlisted(MESSAGE_WRITE, MESSAGE),
	'message.updateStatus': listed(MESSAGE_WRITE, MESSAGE),
};

/** IDs a request may send outside its path, named by a 404 of an operation without a path ID. */
const BODY_IDS: Array<[parameter: string, noun: string]> = [
	['conversationId', 'Conversation'],
	['contactId', 'Contact'],
	['messageId', 'Message'],
	['emailMessageId', 'Email message'],
	['conversationProviderId', 'Conversation provider'],
	['uploadId', 'Upload'],
	['visitorId', 'Visitor'],
];

/** n8n marks an error whose credential must be reconnected (a refused OAuth2 refresh) this way. */
function isCredentialInvalid(error: unknown): boolean {
	const failure = (error as { failure?: { cause?: unknown } } | undefined)?.failure;
	return failure?.cause === 'credential-invalid';
}

/** Errors this module made: passed on unchanged when they meet the mapping again. */
const mapped = new WeakSet<object>();

/** Bearer tokens and OAuth2 secrets, should an answer or a library message ever echo one. */
export function redact(text: string): string {
	return text
		.replace(/(bearer\s+)[^\s"',;]+/gi, '$1[redacted]')
		.replace(/((?:access_token|refresh_token|client_secret|privateIntegrationToken)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, '$1[redacted]');
}

interface Failure {
	status?: number;
	/** The API's own messages (`message`, string or array; else `error`). */
	apiMessages: string[];
	/** The answer's JSON (or text), without anything of the request. */
	body?: JsonObject;
	/** For failures without an answer (network): n8n's message, description and error code. */
	message?: string;
	description?: string;
	code?: string;
}

function bodyOf(raw: unknown): JsonObject | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	let value: unknown = raw;
	if (typeof value !== 'string' && typeof value === 'object' && (Buffer.isBuffer(value) || ArrayBuffer.isView(value) || value instanceof ArrayBuffer)) {
		const bytes = value instanceof ArrayBuffer ? Buffer.from(value) : Buffer.from((value as Uint8Array).buffer, (value as Uint8Array).byteOffset, (value as Uint8Array).byteLength);
		value = bytes.toString('utf8');
	}
	if (typeof value === 'string') {
		const text = value.trim();
		if (!text) return undefined;
		try {
			value = JSON.parse(text) as unknown;
		} catch {
			return { message: text.slice(0, 1000) };
		}
	}
	if (value && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
	if (typeof value === 'string') return { message: value };
	return undefined;
}

function messagesOf(body: JsonObject | undefined): string[] {
	if (!body) return [];
	const pick = (value: unknown): string[] => {
		if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
		if (Array.isArray(value)) return value.flatMap((entry) => (typeof entry === 'string' || typeof entry === 'number' ? [String(entry)] : pick((entry as IDataObject)?.message)));
		return [];
	};
	const messages = pick(body.message);
	if (messages.length) return messages.map(redact);
	const error = body.error;
	if (typeof error === 'string') return [redact(error)];
	if (error && typeof error === 'object') return pick((error as IDataObject).message).map(redact);
	return [];
}

/** What a thrown request error (n8n's, axios's) or an answer read in full says. */
export function failureOf(error: unknown): Failure {
	const source = (error ?? {}) as IDataObject & {
		httpCode?: string | null;
		statusCode?: number;
		cause?: { response?: { status?: number; data?: unknown }; status?: number; code?: string };
		response?: { status?: number; data?: unknown; body?: unknown };
		context?: IDataObject;
		code?: string;
		description?: string;
		message?: string;
	};
	const status = Number(
		source.httpCode ?? source.cause?.response?.status ?? source.response?.status ?? source.statusCode ?? source.cause?.status,
	);
	const raw = source.cause?.response?.data ?? source.response?.data ?? source.response?.body ?? source.context?.data;
	const body = bodyOf(raw);
	const code = source.cause?.code ?? (typeof source.code === 'string' ? source.code : undefined);
	return {
		status: Number.isInteger(status) && status >= 100 ? status : undefined,
		apiMessages: messagesOf(body),
		body,
		message: typeof source.message === 'string' ? redact(source.message) : undefined,
		description: typeof source.description === 'string' ? redact(source.description) : undefined,
		code,
	};
}

const quoted = (id: NamedId) => `${id.noun} "${id.value}"`;

function scopeText(context: ErrorContext): string {
	return context.scopeListed
		? `the scope "${context.scope}"`
		: `the scope "${context.scope}" (HighLevel's scope list names none for this endpoint; this is the matching one)`;
}

/** Message and description for an HTTP status, in the words of what to do about it. */
export function describeFailure(failure: Failure, context: ErrorContext): { message?: string; description?: string } {
	const said = failure.apiMessages.join('; ');
	const apiSays = said ? ` The API says: ${said}` : '';
	switch (failure.status) {
		case 401:
			return context.oAuth2
				? {
						message: 'The token was refused (401): reconnect the OAuth2 account',
						description: `n8n refreshes an expired access token by itself, so the connection itself is no longer valid (the app was uninstalled, its scopes changed, or the refresh token was revoked). Open the credential and click "Reconnect".${apiSays}`,
					}
				: {
						message: 'The token was refused (401): the Private Integration Token is wrong, revoked or expired',
						description: `Create a new token in the sub-account (Settings → Private Integrations) and paste it into the credential, complete and without spaces.${apiSays}`,
					};
		case 403: {
			const location = context.locationId ? `location "${context.locationId}"` : 'this location';
			return {
				message: `Access denied (403): this operation needs ${scopeText(context)}, or the token has no access to ${location}`,
				description: `Add "${context.scope}" to the ${context.oAuth2 ? 'Marketplace app\'s scopes and the credential\'s Scope field, then reconnect the credential' : 'Private Integration\'s scopes'}; or use a token issued for ${location}, or correct the Location ID.${apiSays}`,
			};
		}
		case 404: {
			if (context.subject) {
				return {
					message: `${quoted(context.subject)} was not found (404)`,
					description: `Check the ID${context.locationId ? ` and that it belongs to location "${context.locationId}"` : ''}.${apiSays}`,
				};
			}
			const ids = (context.ids ?? []).map(quoted);
			return {
				message: ids.length ? `Not found (404): check ${ids.join(', ')}` : 'Not found (404)',
				description: `An ID this request names does not exist${context.locationId ? ` in location "${context.locationId}"` : ''}.${apiSays}`,
			};
		}
		case 400:
		case 422:
			return {
				message: said ? `The API refused the request (${failure.status}): ${said}` : `The API refused the request (${failure.status})`,
				description: said || undefined,
			};
		default:
			// Other statuses keep n8n's own wording; the API's message becomes the description.
			return { description: said || undefined };
	}
}

/**
 * The n8n error for a failed request: a NodeApiError built only from the status and the API's
 * answer, so that no request option (headers, token) travels with it. Errors of the node itself
 * (NodeOperationError) and errors already mapped pass through unchanged.
 */
export function apiErrorFor(node: INode, error: unknown, context: ErrorContext): Error {
	if (error && typeof error === 'object' && mapped.has(error)) return error as Error;
	// n8n's own "reconnect" error: the OAuth2 refresh after a 401 was refused (e.g. invalid_grant).
	const reconnect = isCredentialInvalid(error);
	if (error instanceof NodeOperationError && !reconnect) return error;
	const failure: Failure = reconnect ? { status: 401, apiMessages: [] } : failureOf(error);
	let result: NodeApiError;
	if (failure.status === undefined) {
		// No answer (network, timeout): n8n's message, without the request it carried.
		result = new NodeApiError(
			node,
			{ message: failure.message ?? 'The request failed', ...(failure.code ? { code: failure.code } : {}) },
			{ message: failure.message ?? 'The request failed', description: failure.description, itemIndex: context.itemIndex },
		);
	} else {
		const { message, description } = describeFailure(failure, context);
		const response: JsonObject = { statusCode: failure.status, ...(failure.body ? { body: failure.body } : {}) };
		if (failure.apiMessages.length) response.message = failure.apiMessages.join('; ');
		result = new NodeApiError(node, response, {
			message,
			description,
			httpCode: String(failure.status),
			itemIndex: context.itemIndex,
			...(failure.status === 401 ? { failure: { cause: 'credential-invalid' as const } } : {}),
		});
	}
	mapped.add(result);
	return result;
}

function textParameter(context: IExecuteSingleFunctions, name: string): string {
	try {
		const value = context.getNodeParameter(name, '', { extractValue: true }) as unknown;
		return value === undefined || value === null || typeof value === 'object' ? '' : String(value).trim();
	} catch {
		return '';
	}
}

/** The error context of the action node's current item. */
export async function itemErrorContext(this: IExecuteSingleFunctions): Promise<ErrorContext> {
	const operation = `${textParameter(this, 'resource')}.${textParameter(this, 'operation')}`;
	const facts = OPERATIONS[operation] ?? { scope: READ, scopeListed: false };
	let locationId = textParameter(this, 'locationId');
	if (!locationId) {
		try {
			locationId = credentialLocationId(await this.getCredentials(credentialType.call(this)));
		} catch {
			locationId = '';
		}
	}
	const subjectValue = facts.subject ? textParameter(this, facts.subject[0]) : '';
	const ids = BODY_IDS.map(([parameter, noun]) => ({ noun, value: textParameter(this, parameter) })).filter((id) => id.value);
	return {
		oAuth2: textParameter(this, 'authentication') === 'oAuth2',
		scope: facts.scope,
		scopeListed: facts.scopeListed,
		locationId: locationId || undefined,
		subject: facts.subject && subjectValue ? { noun: facts.subject[1], value: subjectValue } : undefined,
		ids,
		itemIndex: this.getItemIndex(),
	};
}

/** The mapped error of the action node's current item. */
export async function itemApiError(this: IExecuteSingleFunctions, error: unknown): Promise<Error> {
	if (error && typeof error === 'object' && mapped.has(error)) return error as Error;
	if (error instanceof NodeOperationError && !isCredentialInvalid(error)) return error;
	return apiErrorFor(this.getNode(), error, await itemErrorContext.call(this));
}

/**
 * One request of the action node through n8n's routing (auth, OAuth2 refresh on 401, postReceive),
 * with its failure mapped afterwards: the mapping runs once n8n has given up on the request.
 */
export async function routingRequest(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	try {
		return await this.makeRoutingRequest(requestData);
	} catch (error) {
		throw await itemApiError.call(this, error);
	}
}
