import {
	NodeOperationError,
	type DeclarativeRestApiSettings,
	type IExecutePaginationFunctions,
	type IExecuteSingleFunctions,
	type ILoadOptionsFunctions,
	type IDataObject,
	type IN8nHttpFullResponse,
	type INode,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';
import { API_HEADERS, CREDENTIAL_TYPE } from './constants';
import { credentialBaseUrl, credentialLocationId, credentialType, locationIdOf, normalizeBaseUrl } from './credentials';
import { RETRY_OPTIONS_PARAMETER } from './descriptions';
import { apiErrorFor, type ErrorContext, type NamedId } from './errors';
import { operationErrorContext } from './operation';
import { fieldText } from './preSend';
import { rateBudget, type RateBudget } from './rateLimit';
import { DEFAULT_RETRY_POLICY, GaveUp, sendWithRetries, type RetryPolicy, type RetryRequest } from './retry';

/** Sending requests: every request of both nodes goes out through routingRequest or apiRequest. */

type Context = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/**
 * The rate-limit budget of a credential and location at a base URL: the API counts requests per
 * app (token) and sub-account, so items, pages and runs that share these share the budget.
 */
function budgetOf(context: Context, type: string, baseUrl: string, locationId: string): RateBudget {
	const credential = context.getNode().credentials?.[type];
	return rateBudget(JSON.stringify([normalizeBaseUrl(baseUrl), type, credential?.id ?? credential?.name ?? '', locationId]));
}

/** The item's "Rate Limit and Retries" options over the defaults. */
function retryPolicy(this: IExecuteSingleFunctions): RetryPolicy {
	const options = (this.getNodeParameter(RETRY_OPTIONS_PARAMETER, {}) ?? {}) as IDataObject;
	const number = (value: unknown, fallback: number, min: number) => {
		const parsed = Number(value);
		return value === undefined || value === null || value === '' || !Number.isFinite(parsed) ? fallback : Math.max(min, parsed);
	};
	return {
		pace: options.paceRequests !== false,
		maxAttempts: Math.floor(number(options.maxAttempts, DEFAULT_RETRY_POLICY.maxAttempts, 1)),
		retryWaitMs: number(options.retryWaitMs, DEFAULT_RETRY_POLICY.retryWaitMs, 0),
		maxWaitMs: number(options.maxWaitSeconds, DEFAULT_RETRY_POLICY.maxWaitMs / 1000, 0) * 1000,
	};
}

/** fieldText that never throws (an expression error): for building an error message. */
function textParameter(context: IExecuteSingleFunctions, name: string): string {
	try {
		return fieldText.call(context, name);
	} catch {
		return '';
	}
}

/** The error context of the action node's current item. */
async function itemErrorContext(this: IExecuteSingleFunctions): Promise<ErrorContext> {
	const resource = textParameter(this, 'resource');
	const operation = textParameter(this, 'operation');
	return {
		...operationErrorContext(`${resource}.${operation}`, (name) => textParameter(this, name)),
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
 * Every request of the action node, every page included: n8n's routing (auth, OAuth2 refresh on
 * 401, postReceive) under the credential's rate-limit budget, retried where that is safe (see
 * sendWithRetries), and a failure mapped to an error that says what to do.
 */
export async function routingRequest(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const options = requestData.options;
	const type = credentialType.call(this);
	const policy = retryPolicy.call(this);
	const budget = budgetOf(this, type, String(options.baseURL ?? ''), await locationIdOf.call(this));
	const tap = headerTap(requestData);
	try {
		const items = await sendWithRetries({
			method: String(options.method ?? 'GET'),
			budget,
			policy,
			signal: this.getExecutionCancelSignal?.(),
			send: async () => {
				tap.headers = undefined;
				const result = await this.makeRoutingRequest(requestData);
				return { result, headers: tap.headers };
			},
			failureHeaders: () => tap.headers,
		});
		return items.map(objectItem);
	} catch (error) {
		const context: ErrorContext = {
			...(await itemErrorContext.call(this)),
			request: { method: String(options.method ?? 'GET').toUpperCase(), path: requestPath(options) },
		};
		throw requestError(this.getNode(), error, context, policy, budget);
	} finally {
		tap.remove();
	}
}

/** What apiRequest needs besides the request: the retry policy and what its errors name. */
export interface ApiRequestOptions {
	policy?: RetryPolicy;
	onRetry?: RetryRequest<unknown>['onRetry'];
	/** The scope the request needs, for a 403. */
	scope: string;
	scopeListed: boolean;
	/** The ID in the path, for a 404. */
	subject?: NamedId;
}

/**
 * Request helper for code paths outside the declarative routing: list searches (load options)
 * and the polling trigger. GET requests under the same rate-limit budget and retry rules as the
 * action node's; a failure becomes an error that says what to do.
 */
export async function apiRequest(
	this: ILoadOptionsFunctions | IPollFunctions,
	method: 'GET',
	path: string,
	qs: IDataObject,
	options: ApiRequestOptions,
): Promise<IDataObject> {
	const type = credentialType.call(this);
	const credentials = await this.getCredentials(type);
	const baseURL = credentialBaseUrl(credentials);
	const locationId = credentialLocationId(credentials);
	const budget = budgetOf(this, type, baseURL, locationId);
	const policy = options.policy ?? DEFAULT_RETRY_POLICY;
	try {
		return await sendWithRetries({
			method,
			budget,
			policy,
			onRetry: options.onRetry,
			send: async () => {
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, type, {
					method,
					baseURL,
					url: path,
					qs,
					headers: { ...API_HEADERS },
					json: true,
					returnFullResponse: true,
				})) as IN8nHttpFullResponse;
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
		};
		throw requestError(this.getNode(), error, context, policy, budget);
	}
}
