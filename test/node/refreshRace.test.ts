/**
 * A refresh another execution won, through the real engine: where n8n does not serialize OAuth2
 * refreshes (1.x), a request that meets the expired token refreshes with a refresh token another
 * execution has just used; HighLevel answers "Invalid grant". The node then waits until the stored
 * token changes (the winner saved it; `getCredentials` reads the stored data), sends the request
 * again once with it, and never refreshes by itself. When the stored token does not change, the
 * refusal is passed on with the reconnect error, after one refresh attempt.
 *
 * The winner is played by the test: when n8n's refresh is refused, the stored credential is
 * changed to the pair the other execution saved (the engine's credential store hands out the same
 * object on every read, as n8n reads its database).
 *
 * Many executions at once on one credential whose token has expired (the last describe): n8n-core
 * here is 2.x, whose refresh lock (one refresh per credential and process, a lease across
 * processes) is switched off to play n8n 1.x, which has none. The node then sends the credential's
 * requests one at a time near the expiry: one meets the 401 and n8n refreshes; the others read the
 * new token. With n8n's lock on, the node adds no refresh of its own.
 */
import nock from 'nock';
import { sleep, type IDataObject, type INodeParameters } from 'n8n-workflow';
import { BASE_URL, OAUTH_TOKEN, TestCredentialsHelper, credentials, runNode } from '../support/engine';
import { api, json, oauthApi, rl } from '../support/api';
import { CREDENTIAL_TYPE } from '../../credentials/constants';

const INVALID_GRANT = { statusCode: 400, message: 'Invalid grant: refresh token is invalid' };
const WINNER = { access_token: 'oauth-access-token-WINNER', refresh_token: 'refresh-token-WINNER', token_type: 'Bearer', expires_in: 2 };

const send: INodeParameters = { resource: 'message', operation: 'send', type: 'SMS', contactId: 'c-1', message: 'Hello' };

/** The token endpoint refusing `refresh-token-1` (used by the winner), optionally saving the winner's pair first. */
function refusedRefresh(stored: IDataObject, winnerSaves: boolean) {
	const forms: string[] = [];
	nock(BASE_URL)
		.post('/oauth/token')
		.reply(function (_uri, body) {
			forms.push(String(new URLSearchParams(String(body)).get('refresh_token')));
			if (winnerSaves) stored.oauthTokenData = { ...(stored.oauthTokenData as IDataObject), ...WINNER };
			return [400, INVALID_GRANT];
		});
	return forms;
}

/** Conversation › Get Many (one) as the agency's sub-account loc-A, which answers the location token `location-token-A`. */
async function searchAsLocationA(credential: ReturnType<typeof credentials.agency>, store?: TestCredentialsHelper) {
	nock(BASE_URL, { reqheaders: { authorization: 'Bearer location-token-A' } })
		.get('/conversations/search')
		.query({ locationId: 'loc-A', limit: '1' })
		.reply(200, { conversations: [{ id: 'conv-1' }], total: 1 });
	return await runNode({
		parameters: { resource: 'conversation', operation: 'getAll', returnAll: false, limit: 1, locationId: 'loc-A' },
		credentials: credential,
		...(store ? { credentialsHelper: store } : {}),
	});
}

describe('a refresh another execution won (n8n 1.x has no lock)', () => {
	it("sub-account: the send fails 401, the refresh is refused, the stored (winner's) token is read and the send made once more: accepted once", async () => {
		const credential = credentials.oAuth2();
		const stored = credential[CREDENTIAL_TYPE.marketplaceApp];
		const sent: string[] = [];
		oauthApi()
			.post('/conversations/messages', (body: IDataObject) => (sent.push('expired'), body.message === 'Hello'))
			.reply(401, { statusCode: 401, message: 'Invalid JWT' });
		const forms = refusedRefresh(stored, true);
		api({ token: WINNER.access_token })
			.post('/conversations/messages', (body: IDataObject) => (sent.push('winner'), body.message === 'Hello'))
			.reply(201, { conversationId: 'conv-1', messageId: 'msg-1' });

		const { items, error, credentialsHelper } = await runNode({ parameters: send, credentials: credential });

		expect(error).toBeUndefined();
		expect(json(items)).toEqual([expect.objectContaining({ messageId: 'msg-1' })]);
		expect(sent).toEqual(['expired', 'winner']);
		// One refresh, n8n's (refused); the node made none and saved nothing.
		expect(forms).toEqual(['refresh-token-1']);
		expect(credentialsHelper.tokenUpdates).toEqual([]);
		expect(OAUTH_TOKEN).not.toBe(WINNER.access_token);
	});

	it('sub-account: the stored token does not change (the connection is gone): the reconnect error, one refresh attempt, no resend', async () => {
		const credential = credentials.oAuth2();
		const stored = credential[CREDENTIAL_TYPE.marketplaceApp];
		let sends = 0;
		oauthApi()
			.persist()
			.get('/conversations/conv-1')
			.reply(() => (sends++, [401, { statusCode: 401, message: 'Invalid JWT' }]));
		const forms = refusedRefresh(stored, false);

		const { error } = await runNode({
			parameters: { resource: 'conversation', operation: 'get', conversationId: rl('conv-1') },
			credentials: credential,
		});

		expect(error?.message).toBe(
			'The credential "Test credential" needs to be reconnected: HighLevel refused to refresh its token (Invalid grant)',
		);
		expect(forms).toEqual(['refresh-token-1']);
		expect(sends).toBeLessThanOrEqual(2);
		nock.cleanAll();
	});

	it("agency: the company token's refresh is refused, the winner's company token is read and the exchange made again", async () => {
		const credential = credentials.agency();
		const stored = credential[CREDENTIAL_TYPE.marketplaceApp];
		const exchanges: string[] = [];
		nock(BASE_URL)
			.persist()
			.post('/oauth/locationToken', 'companyId=comp-1&locationId=loc-A')
			.reply(function () {
				const token = String(this.req.headers.authorization);
				exchanges.push(token);
				return token === `Bearer ${WINNER.access_token}`
					? [200, { access_token: 'location-token-A', token_type: 'Bearer', expires_in: 86399, locationId: 'loc-A' }]
					: [401, { statusCode: 401, message: 'Invalid JWT' }];
			});
		const forms = refusedRefresh(stored, true);

		const { items, error } = await searchAsLocationA(credential);

		expect(error).toBeUndefined();
		expect(json(items)).toEqual([{ id: 'conv-1' }]);
		expect(exchanges).toEqual([`Bearer ${OAUTH_TOKEN}`, `Bearer ${WINNER.access_token}`]);
		expect(forms).toEqual(['refresh-token-1']);
		nock.cleanAll();
	});
});

/**
 * HighLevel's token rules over nock: an access token works until it expires, a refresh token works
 * once (a used one answers "Invalid grant"); the token endpoint answers after 100 ms, so refreshes
 * that start together are in flight together. Counts what a run met.
 */
function highLevel(firstTokenLivesMs: number) {
	const valid = new Map<string, number>([[OAUTH_TOKEN, Date.now() + firstTokenLivesMs]]);
	const met = { expired: 0, refreshed: 0, refused: 0, sent: [] as string[] };
	let refreshToken = 'refresh-token-1';
	nock(BASE_URL)
		.persist()
		.post('/conversations/messages')
		.reply(function (_uri, body) {
			const token = String(this.req.headers.authorization).replace(/^Bearer /, '');
			if (!((valid.get(token) ?? 0) > Date.now())) {
				met.expired++;
				return [401, { statusCode: 401, message: 'Invalid JWT' }];
			}
			met.sent.push(String((body as IDataObject).message));
			return [201, { conversationId: 'conv-1', messageId: `msg-${met.sent.length}` }];
		});
	nock(BASE_URL)
		.persist()
		.post('/oauth/token')
		.delay(100)
		.reply(function (_uri, body) {
			if (new URLSearchParams(String(body)).get('refresh_token') !== refreshToken) {
				met.refused++;
				return [400, INVALID_GRANT];
			}
			met.refreshed++;
			refreshToken = `refresh-token-${met.refreshed + 1}`;
			const access = `oauth-access-token-${met.refreshed + 1}`;
			valid.set(access, Date.now() + 3_600_000);
			return [
				200,
				{ access_token: access, refresh_token: refreshToken, token_type: 'Bearer', expires_in: 3600, locationId: 'loc-FROM-TOKEN' },
			];
		});
	return met;
}

/** n8n 1.x: no refresh lock (n8n 2.x's single flight per credential and lease across processes run the refresh at once). */
function withoutRefreshLock(): () => void {
	// n8n-core's own copy of the lock module (the one its OAuth2 helper uses); a test, never shipped.
	// eslint-disable-next-line @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-imports
	const { SingleFlightLease } = require(require.resolve('@n8n/backend-common', { paths: [require.resolve('n8n-core')] })) as {
		SingleFlightLease: { prototype: { run: (key: string, fn: (signal: AbortSignal) => Promise<unknown>) => Promise<unknown> } };
	};
	const spy = jest.spyOn(SingleFlightLease.prototype, 'run').mockImplementation(async (_key, fn) => await fn(new AbortController().signal));
	return () => spy.mockRestore();
}

/** `executions` runs of Message › Send at once, `items` messages each, on one stored credential. */
async function sendAtOnce(store: TestCredentialsHelper, executions: number, items: number, credentialId: string) {
	const parameters: INodeParameters = { ...send, message: '={{ $json.text }}' };
	return await Promise.all(
		Array.from(
			{ length: executions },
			async (_, execution) =>
				await runNode({
					parameters,
					credentialsHelper: store,
					credentialId,
					credentials: { [CREDENTIAL_TYPE.marketplaceApp]: {} },
					input: Array.from({ length: items }, (_, item) => ({ json: { text: `#${execution}-${item}` } })),
				}),
		),
	);
}

const texts = (executions: number, items: number) =>
	Array.from({ length: executions }, (_, execution) => Array.from({ length: items }, (_, item) => `#${execution}-${item}`)).flat();

describe('an agency exchange refused although n8n refreshed the company token (queue mode: another worker replaced it)', () => {
	it('once the stored company token is another one, the exchange is made again with it; the node refreshes nothing', async () => {
		const credential = credentials.agency();
		const store = new TestCredentialsHelper(credential);
		const type = CREDENTIAL_TYPE.marketplaceApp;
		const exchanges: string[] = [];
		nock(BASE_URL)
			.persist()
			.post('/oauth/locationToken', 'companyId=comp-1&locationId=loc-A')
			.reply(async function () {
				const token = String(this.req.headers.authorization).replace(/^Bearer /, '');
				exchanges.push(token);
				// n8n's retry with the token it refreshed meets a token another worker has just replaced.
				if (token === 'company-token-NEW') {
					const current = await store.getDecrypted(undefined as never, undefined as never, type);
					await store.updateCredentials(undefined as never, type, {
						...current,
						oauthTokenData: { ...(current.oauthTokenData as IDataObject), ...WINNER },
					});
				}
				return token === WINNER.access_token
					? [200, { access_token: 'location-token-A', token_type: 'Bearer', expires_in: 86399, locationId: 'loc-A' }]
					: [401, { statusCode: 401, message: 'Invalid JWT' }];
			});
		const forms: string[] = [];
		nock(BASE_URL)
			.post('/oauth/token')
			.reply(function (_uri, body) {
				forms.push(String(new URLSearchParams(String(body)).get('refresh_token')));
				return [200, { access_token: 'company-token-NEW', refresh_token: 'refresh-token-2', token_type: 'Bearer', expires_in: 5 }];
			});

		const { items, error } = await searchAsLocationA(credential, store);

		expect(error).toBeUndefined();
		expect(json(items)).toEqual([{ id: 'conv-1' }]);
		expect(exchanges).toEqual([OAUTH_TOKEN, 'company-token-NEW', WINNER.access_token]);
		// One refresh, n8n's.
		expect(forms).toEqual(['refresh-token-1']);
	});
});

describe('a refresh so slow that the refreshed token has expired when n8n sends the request again', () => {
	it('the 401 came after the stored expiry: sent once more, n8n refreshes as for any expired token; accepted once', async () => {
		const sent: string[] = [];
		nock(BASE_URL)
			.persist()
			.post('/conversations/messages')
			.delay(100)
			.reply(function () {
				const token = String(this.req.headers.authorization).replace(/^Bearer /, '');
				sent.push(token);
				return token === 'oauth-access-token-3'
					? [201, { conversationId: 'conv-1', messageId: 'msg-1' }]
					: [401, { statusCode: 401, message: 'Invalid JWT' }];
			});
		const forms: string[] = [];
		nock(BASE_URL)
			.persist()
			.post('/oauth/token')
			.reply(function (_uri, body) {
				forms.push(String(new URLSearchParams(String(body)).get('refresh_token')));
				const next = forms.length + 1;
				// The first refreshed token lives 50 ms (n8n stores its expiry), the second an hour.
				return [
					200,
					{
						access_token: `oauth-access-token-${next}`,
						refresh_token: `refresh-token-${next}`,
						token_type: 'Bearer',
						expires_in: next === 2 ? 0.05 : 3600,
					},
				];
			});

		const { items, error } = await runNode({ parameters: send, credentials: credentials.oAuth2() });

		expect(error).toBeUndefined();
		expect(json(items)).toEqual([expect.objectContaining({ messageId: 'msg-1' })]);
		expect(sent).toEqual([OAUTH_TOKEN, 'oauth-access-token-2', 'oauth-access-token-2', 'oauth-access-token-3']);
		// Two refreshes, both n8n's, each of an expired token.
		expect(forms).toEqual(['refresh-token-1', 'refresh-token-2']);
	});

	it("a token refused before its stored expiry is the API's answer: no resend", async () => {
		const sent: string[] = [];
		nock(BASE_URL)
			.persist()
			.post('/conversations/messages')
			.reply(function () {
				sent.push(String(this.req.headers.authorization));
				return [401, { statusCode: 401, message: 'Invalid JWT' }];
			});
		nock(BASE_URL)
			.post('/oauth/token')
			.reply(200, { ...WINNER, expires_in: 3600 });

		const { error } = await runNode({ parameters: send, credentials: credentials.oAuth2() });

		expect(error?.message).toBe('The token was refused (401): reconnect the OAuth2 account');
		expect(sent).toHaveLength(2);
	});
});

/** The OAuth2 credential with a token that lives 1 s (`expires_in`), and `extra` token data. */
const oneSecondToken = (extra: IDataObject) =>
	credentials.oAuth2({
		oauthTokenData: { access_token: OAUTH_TOKEN, refresh_token: 'refresh-token-1', token_type: 'Bearer', expires_in: 1, ...extra },
	});

describe('many executions at once meet the expired token', () => {
	afterEach(() => nock.cleanAll());

	it('n8n 1.x (no refresh lock), expiry known from expires_in since this process first saw the token: one 401, one refresh, none refused, every send once', async () => {
		const restore = withoutRefreshLock();
		try {
			const credential = oneSecondToken({ locationId: 'loc-FROM-TOKEN' });
			const store = new TestCredentialsHelper(credential);
			const met = highLevel(1000);
			// One run while the token is fresh: this process sees it (its expiry is then known).
			const [first] = await sendAtOnce(store, 1, 1, 'cred-race-1x');
			expect(first.error).toBeUndefined();
			await sleep(1100);
			met.sent.length = 0;

			const runs = await sendAtOnce(store, 6, 4, 'cred-race-1x');

			expect(runs.map((run) => run.error?.message)).toEqual(Array(6).fill(undefined));
			expect([...met.sent].sort()).toEqual(texts(6, 4).sort());
			// One request met the expired token and had n8n refresh it; the others waited and read the new token.
			expect(met).toEqual(expect.objectContaining({ expired: 1, refreshed: 1, refused: 0 }));
			expect(store.tokenUpdates).toHaveLength(1);
		} finally {
			restore();
		}
	});

	/** 6 executions × 4 sends at once on a token whose expiry n8n stored (n8n_expires_at) and which has passed. */
	async function expiredStoredToken(credentialId: string) {
		const credential = oneSecondToken({ n8n_expires_at: String(Date.now() - 1000) });
		const store = new TestCredentialsHelper(credential);
		const met = highLevel(0);
		const runs = await sendAtOnce(store, 6, 4, credentialId);
		expect(runs.map((run) => run.error?.message)).toEqual(Array(6).fill(undefined));
		expect([...met.sent].sort()).toEqual(texts(6, 4).sort());
		return { met, store };
	}

	it('n8n 1.x (no refresh lock), expiry stored by n8n (n8n_expires_at, past): the same', async () => {
		const restore = withoutRefreshLock();
		try {
			const { met } = await expiredStoredToken('cred-race-stored');
			expect(met).toEqual(expect.objectContaining({ expired: 1, refreshed: 1, refused: 0 }));
		} finally {
			restore();
		}
	});

	it("n8n 2.x (its refresh lock): one refresh, n8n's; the node adds none", async () => {
		const { met, store } = await expiredStoredToken('cred-race-2x');
		expect(met).toEqual(expect.objectContaining({ refreshed: 1, refused: 0 }));
		expect(store.tokenUpdates).toHaveLength(1);
	});
});
