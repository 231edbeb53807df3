/**
 * One webhook request, start to answer: who sent it (over the raw bytes), what it is, whether it
 * is fresh, wanted and new. Only an event that passes everything starts an execution; every other
 * request is answered here, without one, and without saying why (the answer is for HighLevel's
 * retry logic, not for whoever probes the URL).
 *
 * | request                                              | answer | execution |
 * |------------------------------------------------------|--------|-----------|
 * | verified, new, matching                              | 200    | 1         |
 * | verified, seen before (retry, replay, concurrent)    | 200    | 0         |
 * | verified, filtered out (event, location, channel...) | 200    | 0         |
 * | signature/secret missing or wrong                    | 401    | 0         |
 * | verified, timestamp outside the replay window        | 401    | 0         |
 * | verified, body not a JSON object                     | 400    | 0         |
 */
import { NodeOperationError, sleep, type IDataObject, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { simplifyConversation, simplifyMessage } from '../ConversationsApi/shared/simplify';
import { eventItem, eventOf, passes, type EventFilters } from './events';
import { isStale, timestampOf, type ReplayMemory } from './replay';
import {
	bodyFingerprint,
	headerValue,
	LEGACY_SIGNATURE_HEADER,
	publicKeyOf,
	secretMatches,
	SIGNATURE_HEADER,
	verifyEd25519,
	verifyLegacyRsa,
} from './verify';

type WebhookRequest = ReturnType<IWebhookFunctions['getRequestObject']>;
type WebhookResponse = ReturnType<IWebhookFunctions['getResponseObject']>;

const STATUS_TEXT: Record<number, string> = {
	200: 'Webhook call received',
	400: 'Bad Request',
	401: 'Unauthorized',
};

/** Answers without an execution: the status and a fixed text, nothing about the reason. */
function answer(response: WebhookResponse, status: number): IWebhookResponseData {
	if (!response.headersSent) {
		response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
		response.end(JSON.stringify({ message: STATUS_TEXT[status] }));
	}
	return { noWebhookResponse: true };
}

/** The bytes n8n received: parsed bodies keep them in `rawBody`; others are read now. */
async function rawBodyOf(request: WebhookRequest): Promise<Buffer> {
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') {
		await request.readRawBody();
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
}

/** Whether the request comes from whom the node trusts. Misconfiguration throws (a node error, not a bad request). */
function isAuthentic(context: IWebhookFunctions, headers: IDataObject, rawBody: Buffer): boolean {
	const verification = context.getNodeParameter('verification', 'highLevelSignature') as string;
	const fail = (message: string) => new NodeOperationError(context.getNode(), message);
	if (verification === 'none') return true;
	if (verification === 'sharedSecret') {
		const name = String(context.getNodeParameter('headerName', '')).trim();
		const secret = String(context.getNodeParameter('secret', ''));
		if (!name) throw fail('Header Name is empty: set the header the Webhook action sends the secret in');
		if (!secret) throw fail('Secret is empty: set the value the Webhook action sends');
		return secretMatches(headerValue(headers, name), secret);
	}
	const key = publicKeyOf(String(context.getNodeParameter('publicKey', '')), 'ed25519', 'Public Key');
	if (typeof key === 'string') throw fail(`${key}: paste HighLevel's Ed25519 public key (PEM)`);
	const signature = headerValue(headers, SIGNATURE_HEADER);
	// A body that carries the current signature is judged by it alone, never by the legacy one.
	if (signature !== undefined) return verifyEd25519(rawBody, signature, key);
	if (!context.getNodeParameter('acceptLegacySignature', false)) return false;
	const legacy = headerValue(headers, LEGACY_SIGNATURE_HEADER);
	if (legacy === undefined) return false;
	const legacyKey = publicKeyOf(String(context.getNodeParameter('legacyPublicKey', '')), 'rsa', 'Legacy Public Key');
	if (typeof legacyKey === 'string') throw fail(`${legacyKey}: paste HighLevel's RSA public key (PEM)`);
	return verifyLegacyRsa(rawBody, legacy, legacyKey);
}

/** The body as a JSON object, or undefined. */
function jsonObjectOf(rawBody: Buffer): IDataObject | undefined {
	try {
		const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
		return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as IDataObject) : undefined;
	} catch {
		return undefined;
	}
}

function filtersOf(context: IWebhookFunctions): EventFilters {
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	const locationIds = String(filters.locationIds ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	return {
		events: context.getNodeParameter('events', []) as string[],
		locationIds,
		channels: (filters.channels as string[] | undefined) ?? [],
		direction: (filters.direction as EventFilters['direction'] | undefined) ?? 'both',
	};
}

/** `memory`: what this n8n process remembers of the events it accepted (see replay.ts). */
export async function receive(context: IWebhookFunctions, memory: ReplayMemory): Promise<IWebhookResponseData> {
	const request = context.getRequestObject();
	const response = context.getResponseObject();
	const rawBody = await rawBodyOf(request);
	// Taken after the last await: from here to remember() nothing yields to another request.
	const now = Date.now();

	if (!isAuthentic(context, request.headers as IDataObject, rawBody)) return answer(response, 401);
	const body = jsonObjectOf(rawBody);
	if (!body) return answer(response, 400);
	if (isStale(timestampOf(body.timestamp), now)) return answer(response, 401);

	const event = eventOf(body);
	if (!passes(event, body, filtersOf(context))) return answer(response, 200);

	// An event without a webhookId is recognised by its exact bytes.
	const webhookId = typeof body.webhookId === 'string' && body.webhookId ? body.webhookId : bodyFingerprint(rawBody);
	// Test events (the editor's "Listen for test event") have their own record, kept in memory only:
	// an event tried out in the editor still runs when it reaches the production URL.
	const isTest = context.getMode() === 'manual';
	const store = memory.storeFor(String(context.getWorkflow().id ?? ''), `${context.getNode().id}${isTest ? ':test' : ''}`);
	const staticData = isTest ? {} : context.getWorkflowStaticData('node');
	store.load(staticData, now);
	if (!store.remember(webhookId, now)) return answer(response, 200);
	store.save(staticData);
	// n8n saves changed static data before it answers, but n8n 2.x (2.41.1) then loses the change:
	// starting the execution builds a second Workflow on the same static data object
	// (WorkflowRunner.establishContextForPersistence), which resets its "changed" flag, so only a
	// record written while the static data was still empty ever reached the database. Writing it
	// again one turn of the event loop later (after that reset, before the save, which waits for
	// the execution's database writes) marks it changed again; elsewhere it changes nothing.
	if (!isTest) void sleep(0).then(() => store.save(staticData));

	const item = eventItem(event, body, webhookId);
	if (context.getNodeParameter('simplify', false) !== true) return { workflowData: [[{ json: item }]] };
	// A message event's item has a messageId; the others are about a conversation.
	const simplify = item.messageId !== undefined ? simplifyMessage : simplifyConversation;
	return { workflowData: [[{ json: simplify(item, context.getTimezone()) }]] };
}
