import {
	NodeOperationError,
	type DeclarativeRestApiSettings,
	type ICredentialDataDecryptedObject,
	type IExecutePaginationFunctions,
	type IExecuteSingleFunctions,
	type ILoadOptionsFunctions,
	type IDataObject,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type INode,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';
import {
	credentialBaseUrl,
	credentialLocationId,
	credentialType,
	forgetItemCredentials,
	itemCredentials,
	locationIdOf,
	normalizeBaseUrl,
} from './credentials';
import { RETRY_OPTIONS_PARAMETER } from './descriptions';
import { apiErrorFor, failureOf, isMappedError, scrubSecrets, type ErrorContext, type NamedId } from './errors';
import { errorParameters, operationErrorContext, type DerivedFacts } from './operation';
import {
	agencyAccess,
	exchangeRequest,
	isCompanyTokenRefused,
	knownLocationToken,
	rememberExchange,
	type AgencyAccess,
} from './locationTokens';
import { isRefusedRefresh, MAX_RESENDS, oauthLane, type OAuthLane } from './oauthRefresh';
import { fieldText } from './preSend';
import { rateBudget, readRateLimitHeaders, waitFor, type RateBudget } from './rateLimit';
import { DEFAULT_RETRY_POLICY, failureHeaders, GaveUp, retryPolicyOf, retryStep, type RetryPolicy } from './retry';
import { API_HEADERS, CREDENTIAL_TYPE } from '../../../credentials/constants';

/**
 * Sending requests: every request of both nodes goes out through routingRequest or apiRequest,
 * and both send through `send` below, which reads top to bottom: take a slot of the rate budget,
 * send once, read the answer's rate-limit headers, and on a failure decide whether to wait and
 * send again or give up. The rate-limit, retry and location-token modules answer questions (how
 * long to wait, whether to retry, which token); only this module sends.
 */

type Context = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/**
 * The rate-limit budget of a credential and location at a base URL: the API counts requests per
 * app (token) and sub-account, so items, pages and runs that share these share the budget.
 */
function budgetOf(key: string, type: string, baseUrl: string, locationId: string): RateBudget {
	return rateBudget(JSON.stringify([normalizeBaseUrl(baseUrl), type, key, locationId]));
}

/**
 * The node's credential of this type, in this process (its ID; its name where n8n gives none).
 * Read once per request or item, not per page: n8n's `getNode()` hands out a deep copy of the node.
 */
function credentialKey(context: Context, type: string): string {
	const credential = context.getNode().credentials?.[type];
	return String(credential?.id ?? credential?.name ?? '');
}

/** The item's "Rate Limit and Retries" options over the defaults. */
function retryPolicy(this: IExecuteSingleFunctions): RetryPolicy {
	return retryPolicyOf((this.getNodeParameter(RETRY_OPTIONS_PARAMETER, {}) ?? {}) as IDataObject);
}

/** fieldText that never throws (an expression error): for building an error message. */
function textParameter(context: IExecuteSingleFunctions, name: string): string {
	try {
		return fieldText.call(context, name);
	} catch {
		return '';
	}
}

/** The error context of the action node's current item, for an operation with these facts. */
async function itemErrorContext(this: IExecuteSingleFunctions, facts: DerivedFacts): Promise<ErrorContext> {
	const values: Record<string, string> = {};
	for (const name of errorParameters(facts)) values[name] = textParameter(this, name);
	return {
		...operationErrorContext(facts, values),
		oAuth2: textParameter(this, 'authentication') === 'oAuth2',
		locationId: (await locationIdOf.call(this).catch(() => '')) || undefined,
		itemIndex: this.getItemIndex(),
	};
}

/** The path of a request, without its query, for messages. */
function requestPath(options: { url?: string }): string {
	return String(options.url ?? '').split('?')[0];
}

/**
 * The n8n error of a failed request, saying what to do: for one the retries gave up on, also why
 * (attempts, a wait too long, the daily limit, a POST not sent again). The node's own errors and
 * errors already mapped pass through unchanged.
 */
function requestError(node: INode, error: unknown, context: ErrorContext, policy: RetryPolicy, budget: RateBudget): Error {
	if (!(error instanceof GaveUp)) return apiErrorFor(node, error, context);
	if (error.reason === 'cancelled') {
		return new NodeOperationError(node, 'The execution was cancelled while the request waited', { itemIndex: context.itemIndex });
	}
	return apiErrorFor(node, error.cause, {
		...context,
		attempts: error.attempts,
		gaveUp: error.reason,
		waitMs: error.waitMs,
		maxWaitMs: policy.maxWaitMs,
		dailyLimit: budget.dailyLimit,
	});
}

/**
 * Catches the answer's headers (for the rate-limit budget) with a postReceive that runs first and
 * changes nothing. When it is the only one, it does what n8n does without any: an array body
 * becomes one item per entry.
 */
function headerTap(requestData: DeclarativeRestApiSettings.ResultOptions) {
	const tap = { headers: undefined as unknown, remove: () => {} };
	const alone = requestData.postReceive.length === 0;
	const entry: DeclarativeRestApiSettings.ResultOptions['postReceive'][number] = {
		data: { parameterValue: undefined },
		actions: [
			async function (this: IExecuteSingleFunctions, items: INodeExecutionData[], response: IN8nHttpFullResponse) {
				tap.headers = response.headers;
				if (alone && Array.isArray(response.body)) return (response.body as IDataObject[]).map((json) => ({ json }));
				return items;
			},
		],
	};
	requestData.postReceive.unshift(entry);
	tap.remove = () => {
		const index = requestData.postReceive.indexOf(entry);
		if (index >= 0) requestData.postReceive.splice(index, 1);
	};
	return tap;
}

/**
 * An answer without a JSON object (a 200 with no body, or an empty text) is output as
 * `{ success: true }`, one per item, as n8n users expect an object; lists make their own shape
 * (no records) before this.
 */
function objectItem(item: INodeExecutionData): INodeExecutionData {
	const value = item.json as unknown;
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? item : { ...item, json: { success: true } };
}

/**
 * A request with the agency's company token (location-token exchange, installed locations):
 * through n8n's OAuth2 helper, so n8n signs it and, when the company token has expired (401),
 * refreshes and saves it and sends the request again.
 */
export async function companyRequest(context: Context, request: IHttpRequestOptions): Promise<IDataObject> {
	return (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE.marketplaceApp, request)) as IDataObject;
}

/**
 * The sub-account's token (locationTokens.ts says whether one is known, `refused` being a token
 * the API just refused); when none is, the exchange is sent here and locationTokens.ts remembers it.
 */
async function subAccountToken(context: Context, agency: AgencyAccess, itemIndex?: number, refused?: string): Promise<string> {
	const known = knownLocationToken(agency, refused);
	if (known) return await known;
	return await rememberExchange(context.getNode(), agency, companyRequest(context, exchangeRequest(agency)), itemIndex);
}

/**
 * The token the node signs a request with itself, when it holds one: a Private Integration Token.
 * Its credential is read once per item (routingRequest, apiRequest) and the token does not change,
 * so the node adds the header its credential's `authenticate` block would add (`Bearer <token>`)
 * and sends through n8n's plain `httpRequest` (sendWithBearer): n8n's
 * `httpRequestWithAuthentication` would read the credential again and resolve that block's
 * expression for every request (every page of a Return All). The OAuth2 credential stays with
 * n8n's signing (its refresh on 401 is n8n's).
 */
function ownToken(type: string, credentials: ICredentialDataDecryptedObject): string | undefined {
	return type === CREDENTIAL_TYPE.privateIntegrationToken ? String(credentials.privateIntegrationToken ?? '') : undefined;
}

/**
 * Sends `options` through n8n's plain HTTP helper with `token` as Bearer, the execution's cancel
 * signal attached (as n8n's signing helper does); a failure is passed on with the token scrubbed.
 * `asCredential`: a request refused with 401 is sent once more, as n8n's signing helper does for a
 * credential without a refresh (n8n 1.123 and 2.41 alike; the node sends no single-use bodies,
 * which 2.41 would not send again).
 */
async function sendWithBearer(context: Context, options: IHttpRequestOptions, token: string, asCredential = false): Promise<unknown> {
	const cancel = 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
	const request: IHttpRequestOptions = {
		...options,
		headers: { ...(options.headers ?? {}), Authorization: `Bearer ${token}` },
		...(cancel ? { abortSignal: cancel } : {}),
	};
	for (let attempt = 1; ; attempt++) {
		try {
			return await context.helpers.httpRequest(request);
		} catch (error) {
			if (attempt > 1 || !asCredential || failureOf(error).status !== 401) throw scrubSecrets(error, [token]);
		}
	}
}

/**
 * Runs `run` (which makes the item's declarative request through n8n's RoutingNode) with `token`
 * as Bearer (sendWithBearer; `asCredential` as there) instead of n8n's authentication with the
 * credential: an agency's location token, or a Private Integration Token (see ownToken).
 *
 * RoutingNode sends every declarative request through the item's
 * `helpers.httpRequestWithAuthentication(credentialType, ...)`, which signs it with the credential
 * (for an agency's OAuth2 credential: the company token, which the Conversations API refuses, and
 * refreshed on a 401). RoutingNode gives each item its own context with its own `helpers` object,
 * and an item's requests (pages, retries) run one after another; so for the length of `run` that
 * item's helper sends with `token` instead, and is put back afterwards. An agency's company token
 * is never sent to the Conversations API, the location token never anywhere else, and a 401 gets
 * a new location token (asSubAccount), not a refresh of the company token.
 */
async function signedBy<T>(context: IExecuteSingleFunctions, token: string, asCredential: boolean, run: () => Promise<T>): Promise<T> {
	const helpers = context.helpers;
	const viaCredential = Object.getOwnPropertyDescriptor(helpers, 'httpRequestWithAuthentication');
	helpers.httpRequestWithAuthentication = async function (this: unknown, _type: string, options: IHttpRequestOptions) {
		return await sendWithBearer(context, options, token, asCredential);
	};
	try {
		return await run();
	} finally {
		if (viaCredential) Object.defineProperty(helpers, 'httpRequestWithAuthentication', viaCredential);
		else delete (helpers as { httpRequestWithAuthentication?: unknown }).httpRequestWithAuthentication;
	}
}

/** Told of every retry: what failed and how long it waits. */
export type OnRetry = (info: { attempt: number; status?: number; code?: string; waitMs: number }) => void;

/** One request to send: how, under which budget and policy, and how to send it once. */
interface Sending<T> {
	method: string;
	budget: RateBudget;
	policy: RetryPolicy;
	signal?: AbortSignal;
	/** Sends the request once: its result and the answer's headers. */
	sendOnce: () => Promise<{ result: T; headers?: unknown }>;
	/** The headers of a failed answer when the error does not carry them. */
	headersOfFailure?: () => unknown;
	onRetry?: OnRetry;
	/** With the OAuth2 credential: its requests around a token expiry (oauthRefresh.ts). */
	oauth?: OAuthLane;
}

/**
 * The request path. Gives up with GaveUp, whose `cause` is the last failure (retry.ts says when
 * a request is sent again: 429 for every method, 5xx and network errors only where a second send
 * cannot act twice).
 */
async function send<T>(sending: Sending<T>): Promise<T> {
	const { budget, policy, signal, oauth } = sending;
	let resends = 0;
	for (let attempt = 1; ; attempt++) {
		// 1. Take the budget: wait until the API's window has room (or the day's requests are used up).
		const slot = await budget.take(policy.pace, signal);
		if (typeof slot !== 'number') throw new GaveUp(undefined, slot, attempt - 1);

		// 2. Send once (an OAuth2 credential's requests one at a time near its token's expiry);
		// 3. read the headers, so the budget follows the API's window.
		const turn = await oauth?.turn();
		let failed: unknown;
		try {
			const { result, headers } = await sending.sendOnce();
			turn?.done();
			budget.observe(readRateLimitHeaders(headers), slot, true);
			return result;
		} catch (error) {
			failed = error;
			turn?.done(error);
		}
		let headers;
		if (failed instanceof NodeOperationError || isMappedError(failed)) {
			budget.observe(undefined, slot, false);
		} else {
			const status = failureOf(failed).status;
			headers = readRateLimitHeaders(failureHeaders(failed) ?? sending.headersOfFailure?.());
			budget.observe(headers, slot, status !== undefined, status === 429);
		}

		// 4. Decide: a refresh another request won (n8n 1.x), or an agency's company token another
		// worker replaced: once the new token is stored, send again (the request was answered 401 or
		// its token exchange was refused, so nothing was carried out).
		const renewable = isRefusedRefresh(failed) || (isCompanyTokenRefused(failed) && resends === 0);
		if (oauth && renewable && resends < MAX_RESENDS && (await oauth.storedTokenChanged())) {
			resends++;
			attempt--;
			continue;
		}
		// A 401 n8n's refresh did not cure because the refreshed token had expired too (a slow
		// refresh under load): once more, one at a time (n8n refreshes it as for any request).
		if (oauth && resends === 0 && (await oauth.expiredBeforeAnswer(failed))) {
			resends++;
			attempt--;
			continue;
		}
		// Give up, or wait and send again.
		const step = retryStep(failed, { method: sending.method, attempt, policy, headers, intervalMs: budget.intervalMs, signal });
		if (!step.retry) throw new GaveUp(failed, step.reason, attempt, step.waitMs);
		sending.onRetry?.(
			step.pauseBudget
				? { attempt, status: 429, waitMs: step.waitMs }
				: { attempt, status: step.status, code: step.code, waitMs: step.waitMs },
		);
		// A 429 pauses the whole budget: the other items' requests would only meet 429 too.
		if (step.pauseBudget) budget.pause(step.waitMs);
		else if (!(await waitFor(step.waitMs, signal))) throw new GaveUp(failed, 'cancelled', attempt);
	}
}

/**
 * Sends once as an agency's sub-account: with its location token (locationTokens.ts keeps them);
 * when the API refuses the token (401), with a new one once more. A second 401 is the API's answer.
 * Failures are passed on (tokens scrubbed) for `send` to retry and map like any request's.
 */
async function asSubAccount<T>(
	context: Context,
	agency: AgencyAccess,
	sendWith: (token: string) => Promise<T>,
	itemIndex?: number,
): Promise<T> {
	const token = await subAccountToken(context, agency, itemIndex);
	try {
		return await sendWith(token);
	} catch (error) {
		if (failureOf(error).status !== 401) throw scrubSecrets(error, [token]);
	}
	const renewed = await subAccountToken(context, agency, itemIndex, token);
	try {
		return await sendWith(renewed);
	} catch (error) {
		throw scrubSecrets(error, [token, renewed]);
	}
}

type Pagination = (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
) => Promise<INodeExecutionData[]>;

/** A declarative request with the facts of its operation (forOperation puts them there; pages copy them). */
type OperationRequest = DeclarativeRestApiSettings.ResultOptions & { operationFacts?: DerivedFacts };

/**
 * An operation's pagination (routingRequest, or its own that sends each page through it), its
 * requests carrying the operation's facts: the node's layout sets it on every declarative operation.
 */
export function forOperation(facts: DerivedFacts, pagination: Pagination): Pagination {
	return async function (this: IExecutePaginationFunctions, requestData) {
		const request: OperationRequest = { ...requestData, operationFacts: facts };
		return await pagination.call(this, request);
	};
}

/**
 * Every request of the action node, every page included: n8n's routing (auth, OAuth2 refresh on
 * 401, postReceive) under the credential's rate-limit budget, retried where that is safe (see
 * `send`), and a failure mapped to an error that says what to do. With an agency
 * connection the request is sent as the item's sub-account, with its location token (see
 * locationTokens.ts); the budget is that location's.
 */
export async function routingRequest(this: IExecutePaginationFunctions, requestData: OperationRequest): Promise<INodeExecutionData[]> {
	const facts = requestData.operationFacts;
	if (!facts) throw new Error('routingRequest: the request names no operation (the node layout wraps each one in forOperation)');
	const options = requestData.options;
	const item = await itemSending.call(this, String(options.baseURL ?? ''));
	const { type, policy, budget } = item;
	const tap = headerTap(requestData);
	try {
		// An OAuth2 credential is read for each page: its stored token may have been refreshed since
		// (oauthRefresh.ts notes it). A Private Integration Token does not change: read once.
		const credentials = item.credentials ?? (await itemCredentials.call(this, type));
		const agency = agencyAccess(this, type, credentials, item.locationId, this.getItemIndex());
		const token = ownToken(type, credentials);
		if (token !== undefined) item.credentials = credentials;
		const items = await send({
			method: String(options.method ?? 'GET'),
			budget,
			policy,
			signal: this.getExecutionCancelSignal?.(),
			oauth: oauthLane(this, type, item.key, credentials, !agency),
			sendOnce: async () => {
				tap.headers = undefined;
				const route = async () => await this.makeRoutingRequest(requestData);
				const result = agency
					? await asSubAccount(
							this,
							agency,
							async (locationToken) => await signedBy(this, locationToken, false, route),
							this.getItemIndex(),
						)
					: token !== undefined
						? await signedBy(this, token, true, route)
						: await route();
				return { result, headers: tap.headers };
			},
			headersOfFailure: () => tap.headers,
		});
		return items.map(objectItem);
	} catch (error) {
		const context: ErrorContext = {
			...(await itemErrorContext.call(this, facts)),
			request: { method: String(options.method ?? 'GET').toUpperCase(), path: requestPath(options) },
		};
		throw requestError(this.getNode(), error, context, policy, budget);
	} finally {
		tap.remove();
		forgetItemCredentials.call(this, type);
	}
}

/**
 * What every request of one item's routing needs, read once for all its pages and retries rather
 * than once per page (a parameter read resolves expressions and validates the field; a credential
 * read is, in n8n, a database read and a decryption): the credential type, the retry policy, the
 * location and its rate budget (and a Private Integration Token's credential, which does not change).
 */
interface ItemSending {
	type: string;
	/** credentialKey: the budget's and the OAuth2 lane's. */
	key: string;
	policy: RetryPolicy;
	locationId: string;
	baseUrl: string;
	budget: RateBudget;
	credentials?: ICredentialDataDecryptedObject;
}

/** By the item's routing context (n8n makes one per item and request; its pages share it). */
const itemSendings = new WeakMap<IExecutePaginationFunctions, ItemSending>();

async function itemSending(this: IExecutePaginationFunctions, baseUrl: string): Promise<ItemSending> {
	const known = itemSendings.get(this);
	if (known && known.baseUrl === baseUrl) return known;
	const type = credentialType.call(this);
	const policy = retryPolicy.call(this);
	const locationId = await locationIdOf.call(this);
	const key = credentialKey(this, type);
	const item: ItemSending = { type, key, policy, locationId, baseUrl, budget: budgetOf(key, type, baseUrl, locationId) };
	itemSendings.set(this, item);
	return item;
}

/** What apiRequest needs besides the request: the retry policy and what its errors name. */
export interface ApiRequestOptions {
	policy?: RetryPolicy;
	onRetry?: OnRetry;
	/** The scope the request needs, for a 403. */
	scope: string;
	scopeListed: boolean;
	/** The ID in the path, for a 404. */
	subject?: NamedId;
	/** The sub-account to act on, when not the credential's (an agency connection needs one). */
	locationId?: string;
	/** The JSON body of a PUT or of a POST search. */
	body?: IDataObject;
	/** The API version, when not the Conversations API's (the Contacts and Users APIs take 2021-07-28). */
	version?: string;
	/** Added to a failure's description: what the user can do instead. */
	advice?: string;
}

/**
 * Request helper for code paths outside the declarative routing: list searches (load options),
 * the polling trigger, and the extra reads and writes of an operation (Conversation → Assign).
 * Under the same rate-limit budget and retry rules as the action node's (GET and PUT are retried
 * on 5xx: both are idempotent); a failure becomes an error that says what to do.
 */
export async function apiRequest(
	this: Context,
	method: 'GET' | 'PUT' | 'POST',
	path: string,
	qs: IDataObject,
	options: ApiRequestOptions,
): Promise<IDataObject> {
	const type = credentialType.call(this);
	// An action node's item may name its own location (its budget is that of routingRequest's).
	const item = isItemContext(this) ? this : undefined;
	const credentials = item ? await itemCredentials.call(item, type) : await this.getCredentials(type);
	const baseURL = credentialBaseUrl(credentials);
	const locationId = options.locationId || (item ? await locationIdOf.call(item) : credentialLocationId(credentials));
	const key = credentialKey(this, type);
	const budget = budgetOf(key, type, baseURL, locationId);
	const policy = options.policy ?? (item ? retryPolicy.call(item) : DEFAULT_RETRY_POLICY);
	const request: IHttpRequestOptions = {
		method,
		baseURL,
		url: path,
		qs,
		headers: { ...API_HEADERS, ...(options.version ? { Version: options.version } : {}) },
		...(options.body !== undefined ? { body: options.body } : {}),
		json: true,
		returnFullResponse: true,
	};
	try {
		const agency = agencyAccess(this, type, credentials, locationId);
		const token = ownToken(type, credentials);
		return await send({
			method,
			budget,
			policy,
			onRetry: options.onRetry,
			signal: item?.getExecutionCancelSignal?.(),
			oauth: oauthLane(this, type, key, credentials, !agency),
			sendOnce: async () => {
				// An agency connection sends as the sub-account: its location token instead of n8n's OAuth2 signing.
				const response = (
					agency
						? await asSubAccount(this, agency, async (locationToken) => await sendWithBearer(this, request, locationToken))
						: token !== undefined
							? await sendWithBearer(this, request, token, true)
							: await this.helpers.httpRequestWithAuthentication.call(this, type, request)
				) as IN8nHttpFullResponse;
				return { result: response.body as IDataObject, headers: response.headers };
			},
		});
	} catch (error) {
		const context: ErrorContext = {
			oAuth2: type === CREDENTIAL_TYPE.marketplaceApp,
			scope: options.scope,
			scopeListed: options.scopeListed,
			locationId: locationId || undefined,
			subject: options.subject,
			itemIndex: item?.getItemIndex(),
			request: { method, path },
		};
		throw withAdvice(requestError(this.getNode(), error, context, policy, budget), options.advice);
	}
}

/** The error, its description followed by the advice (when there is one). */
function withAdvice(error: Error, advice: string | undefined): Error {
	if (advice) {
		const described = error as Error & { description?: string | null };
		described.description = `${described.description ?? ''} ${advice}`.trim();
	}
	return error;
}

/** The action node's item context (it has an item index), as opposed to load options and polls. */
function isItemContext(context: Context): context is IExecuteSingleFunctions {
	return typeof (context as Partial<IExecuteSingleFunctions>).getItemIndex === 'function';
}
