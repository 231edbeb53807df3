/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- fake tokens of a test */
/**
 * No token or secret in anything a failure leaves behind: the output items, the node's error (all
 * its own properties, its cause, its context), and everything n8n logged — for both credentials,
 * for the API's error statuses, a network error, and Continue On Fail.
 */
import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import {
	BASE_URL,
	LOCATION_ID,
	OAUTH_TOKEN,
	TOKEN,
	credentials,
	logged,
	runListSearch,
	runNode,
	type CredentialData,
} from '../support/engine';
import { api, oauthApi, rl } from '../support/api';
import { TriggerHarness } from '../support/poll';
import { freshProcess } from '../support/process';

const REFRESHED = 'oauth-access-token-REFRESHED-7c1e';
const LOCATION_TOKEN = 'location-access-token-3b9e';
const LOCATION_TOKEN_2 = 'location-access-token-RENEWED-44d1';
const SECRETS = [TOKEN, OAUTH_TOKEN, REFRESHED, 'refresh-token-1', 'refresh-token-2', 'client-secret', LOCATION_TOKEN, LOCATION_TOKEN_2];

/** Every own property (enumerable or not), the cause chain included; Buffers as text. */
function dump(value: unknown, seen = new WeakSet<object>()): string {
	if (value === null || value === undefined) return String(value);
	if (typeof value === 'string') return value;
	if (typeof value !== 'object') return typeof value === 'function' ? '' : String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	if (Buffer.isBuffer(value)) return value.toString('utf8');
	const parts: string[] = [];
	try {
		parts.push(JSON.stringify(value));
	} catch {
		// circular: the walk below covers it
	}
	for (const key of Object.getOwnPropertyNames(value)) {
		let inner: unknown;
		try {
			inner = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		parts.push(`${key}=${dump(inner, seen)}`);
	}
	return parts.join('\n');
}

function expectNoSecret(what: string, text: string) {
	for (const secret of SECRETS) {
		if (text.includes(secret))
			throw new Error(
				`${what} contains the secret "${secret}":\n${text.slice(Math.max(0, text.indexOf(secret) - 300), text.indexOf(secret) + 100)}`,
			);
	}
}

/** A failed run: the error (the node's, or the item's with Continue On Fail), its cause, the items and the run data. */
function expectNoSecretInRun(result: Awaited<ReturnType<typeof runNode>>, continueOnFail: boolean) {
	const error = continueOnFail ? result.items[0]?.error : result.error;
	expect(error).toBeDefined();
	expectNoSecret('the output items', dump(result.items));
	expectNoSecret('the error', dump(error));
	expectNoSecret('the error cause', dump((error as { cause?: unknown } | undefined)?.cause));
	expectNoSecret('the run data', dump(result.run?.data?.resultData));
}

type Fault = [name: string, reply: (interceptor: nock.Interceptor) => nock.Scope];

const FAULTS: Fault[] = [
	['401', (i) => i.times(2).reply(401, { statusCode: 401, message: 'Invalid JWT' })],
	['403', (i) => i.reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' })],
	['404', (i) => i.reply(404, { statusCode: 404, message: 'Conversation not found' })],
	['422', (i) => i.reply(422, { statusCode: 422, message: ['contactId must be a mongodb id'] })],
	// Retried up to 5 times for reads (Send, a POST, is not sent again: "may or may not have been sent").
	['500', (i) => i.times(5).reply(500, { statusCode: 500, message: 'Internal server error' })],
	[
		'429',
		(i) => i.times(5).reply(429, { statusCode: 429, message: 'Too many requests' }, { 'retry-after': '1', 'x-ratelimit-remaining': '0' }),
	],
];
/** A network error: a real refused connection (nock's replyWithError stalls n8n's client). */
const REFUSING_BASE_URL = 'http://127.0.0.1:9';

const OPERATIONS: Array<[string, INodeParameters, (scope: nock.Scope) => nock.Interceptor]> = [
	[
		'Conversation → Get',
		{ resource: 'conversation', operation: 'get', conversationId: rl('conv-1') },
		(s) => s.get('/conversations/conv-1'),
	],
	[
		'Conversation → Get Many',
		{ resource: 'conversation', operation: 'getAll', returnAll: true },
		(s) => s.get('/conversations/search').query(true),
	],
	[
		'Message → Send',
		{ resource: 'message', operation: 'send', type: 'SMS', contactId: 'c-1', message: 'hi' },
		(s) => s.post('/conversations/messages'),
	],
	[
		'Call → Get Recording',
		{ resource: 'call', operation: 'getRecording', messageId: 'm-1' },
		(s) => s.get(`/conversations/messages/m-1/locations/${LOCATION_ID}/recording`),
	],
];

function credentialFor(kind: string, overrides: { baseUrl?: string } = {}): CredentialData {
	return kind === 'oAuth2' ? credentials.oAuth2(overrides) : credentials.privateIntegrationToken(overrides);
}

beforeAll(() => nock.enableNetConnect('127.0.0.1:9'));
afterAll(() => nock.disableNetConnect());

beforeEach(() => {
	logged.length = 0;
});

afterEach(() => {
	expectNoSecret('the log', logged.join('\n'));
	nock.cleanAll();
});

describe.each(['privateIntegrationToken', 'oAuth2'])('no secret in failures (%s)', (kind) => {
	const scope = () => (kind === 'oAuth2' ? oauthApi() : api());

	describe.each(OPERATIONS)('%s', (_name, parameters, request) => {
		it('network error, failing the node and with Continue On Fail', async () => {
			for (const continueOnFail of [false, true]) {
				const result = await runNode({
					parameters,
					credentials: credentialFor(kind, { baseUrl: REFUSING_BASE_URL }),
					continueOnFail,
				});
				const error = continueOnFail ? result.items[0]?.error : result.error;
				expect(error?.message).toBe('The service refused the connection - perhaps it is offline');
				expectNoSecret('the output items', dump(result.items));
				expectNoSecret('the error', dump(error));
				expectNoSecret('the run data', dump(result.run?.data?.resultData));
			}
		});

		it.each(FAULTS)('%s, failing the node and with Continue On Fail', async (fault, reply) => {
			for (const continueOnFail of [false, true]) {
				if (kind === 'oAuth2' && fault === '401') {
					// The first 401 makes n8n refresh the token (the refresh grant carries the client
					// secret and the refresh token); the retry is refused too.
					reply(request(scope()));
					nock(BASE_URL)
						.post('/oauth/token')
						.reply(200, { access_token: REFRESHED, refresh_token: 'refresh-token-2', token_type: 'Bearer' });
					api({ token: REFRESHED })
						.get(/.*/)
						.query(true)
						.reply(401, { message: 'Invalid JWT' })
						.post(/.*/)
						.reply(401, { message: 'Invalid JWT' });
				} else {
					reply(request(scope()));
				}
				const result = await runNode({
					parameters,
					credentials: credentialFor(kind),
					continueOnFail,
					input: [{ json: { n: 1 } }],
				});
				expectNoSecretInRun(result, continueOnFail);
				nock.cleanAll();
			}
		});
	});

	// Conversation → Assign: its write goes to the Contacts API (another Version), after a read.
	it.each(FAULTS.filter(([name]) => name !== '401'))(
		'Conversation → Assign, the PUT /contacts/{id} failing with %s, failing the node and with Continue On Fail',
		async (_fault, reply) => {
			for (const continueOnFail of [false, true]) {
				scope().get('/conversations/conv-1').reply(200, { id: 'conv-1', contactId: 'contact-1' });
				reply(api({ token: kind === 'oAuth2' ? OAUTH_TOKEN : TOKEN, version: '2021-07-28' }).put('/contacts/contact-1'));
				const result = await runNode({
					parameters: { resource: 'conversation', operation: 'assign', conversationId: rl('conv-1'), userId: rl('user-1') },
					credentials: credentialFor(kind),
					continueOnFail,
				});
				expectNoSecretInRun(result, continueOnFail);
				nock.cleanAll();
			}
		},
	);

	it.each([
		['403', 403],
		['500', 500],
	])('the user picker (GET /users/): %s', async (_name, status) => {
		api({ token: kind === 'oAuth2' ? OAUTH_TOKEN : TOKEN, version: '2021-07-28' })
			.get('/users/')
			.query(true)
			.times(status === 500 ? 5 : 1)
			.reply(status, { statusCode: status, message: 'refused' });

		const error = await runListSearch({ method: 'searchUsers', parameters: {}, credentials: credentialFor(kind) }).catch(
			(failure: unknown) => failure,
		);

		expect(error).toBeInstanceOf(Error);
		expectNoSecret('the picker error', dump(error));
	});

	it('a refresh the API refuses (invalid_grant) leaks neither the refresh token nor the client secret', async () => {
		if (kind !== 'oAuth2') return;
		oauthApi().get('/conversations/conv-1').reply(401, { message: 'Invalid JWT' });
		nock(BASE_URL)
			.post('/oauth/token')
			.reply(400, { error: 'invalid_grant', error_description: 'refresh token refresh-token-1 is revoked' });

		const result = await runNode({
			parameters: { resource: 'conversation', operation: 'get', conversationId: rl('conv-1') },
			credentials: credentials.oAuth2(),
		});

		expect(result.error?.message).toBe('The token was refused (401): reconnect the OAuth2 account');
		expectNoSecret('the error', dump(result.error));
		expectNoSecret('the run data', dump(result.run?.data?.resultData));
	});

	it.each([
		['401', 401],
		['403', 403],
		['500', 500],
	])('the trigger: %s', async (_name, status) => {
		const search = scope().get('/conversations/search').query(true);
		search.times(status === 500 ? 3 : status === 401 && kind !== 'oAuth2' ? 2 : 1).reply(status, { message: 'refused' });
		if (kind === 'oAuth2' && status === 401) {
			nock(BASE_URL).post('/oauth/token').reply(200, { access_token: REFRESHED, refresh_token: 'refresh-token-2', token_type: 'Bearer' });
			api({ token: REFRESHED }).get('/conversations/search').query(true).reply(401, { message: 'refused' });
		}
		const harness = new TriggerHarness({ parameters: { event: 'newMessage', direction: 'both' }, credentials: credentialFor(kind) });

		const { error } = await harness.poll();

		expect(error).toBeDefined();
		expectNoSecret('the trigger error', dump(error));
		expectNoSecret('the trigger error cause', dump((error as { cause?: unknown }).cause));
		expectNoSecret('the saved state', harness.database);
	});
});

/** An agency connection: the location tokens it gets never show, whatever the API or the exchange answers. */
describe('no secret in failures (agency connection)', () => {
	const agency = () => credentials.agency();
	const exchange = () => nock(BASE_URL).post('/oauth/locationToken');
	const parameters: INodeParameters = {
		resource: 'conversation',
		operation: 'getAll',
		returnAll: true,
		locationId: 'loc-A',
		rateLimitAndRetries: { maxAttempts: 2, retryWaitMs: 0 },
	};

	it.each(FAULTS)('the API answers %s to the location token', async (fault, reply) => {
		for (const continueOnFail of [false, true]) {
			// As a new process: no location token in memory.
			freshProcess.next();
			exchange().reply(200, { access_token: LOCATION_TOKEN, expires_in: 86399, token_type: 'Bearer' });
			// A 401 gets one new location token, refused too.
			if (fault === '401') exchange().reply(200, { access_token: LOCATION_TOKEN_2, expires_in: 86399, token_type: 'Bearer' });
			reply(api({ token: LOCATION_TOKEN }).get('/conversations/search').query(true));
			if (fault === '401')
				api({ token: LOCATION_TOKEN_2 })
					.get('/conversations/search')
					.query(true)
					.reply(401, { message: `Invalid JWT ${LOCATION_TOKEN_2}` });
			const result = await runNode({ parameters, credentials: agency(), continueOnFail, staticData: {} });
			expectNoSecretInRun(result, continueOnFail);
			expectNoSecret('the saved state', dump(result.workflow?.staticData));
			expectNoSecret('the saved credential', dump(result.credentialsHelper.tokenUpdates));
			nock.cleanAll();
		}
	});

	it.each([400, 401, 403, 500])('the exchange answers %s', async (status) => {
		exchange().reply(status, { statusCode: status, message: `refused ${OAUTH_TOKEN}`, access_token: LOCATION_TOKEN });
		if (status === 401) nock(BASE_URL).post('/oauth/token').reply(400, { error: 'invalid_grant' });
		const result = await runNode({ parameters, credentials: agency(), continueOnFail: true });
		expect(result.items[0]?.error).toBeDefined();
		expectNoSecret('the output items', dump(result.items));
		expectNoSecret('the error', dump(result.items[0]?.error));
		expectNoSecret('the run data', dump(result.run?.data?.resultData));
		nock.cleanAll();
	});
});

describe('the scan itself', () => {
	it('finds a token where one is', () => {
		expect(() => expectNoSecret('x', dump(new Error('x', { cause: { headers: { Authorization: `Bearer ${TOKEN}` } } })))).toThrow(
			/contains the secret/,
		);
		expect(() => expectNoSecret('x', dump(Buffer.from(`refresh=${'client-secret'}`)))).toThrow(/contains the secret/);
	});
});
