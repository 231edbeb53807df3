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
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { BASE_URL, OAUTH_TOKEN, credentials, runNode } from '../support/engine';
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
		nock(BASE_URL, { reqheaders: { authorization: 'Bearer location-token-A' } })
			.get('/conversations/search')
			.query({ locationId: 'loc-A', limit: '1' })
			.reply(200, { conversations: [{ id: 'conv-1' }], total: 1 });

		const { items, error } = await runNode({
			parameters: { resource: 'conversation', operation: 'getAll', returnAll: false, limit: 1, locationId: 'loc-A' },
			credentials: credential,
		});

		expect(error).toBeUndefined();
		expect(json(items)).toEqual([{ id: 'conv-1' }]);
		expect(exchanges).toEqual([`Bearer ${OAUTH_TOKEN}`, `Bearer ${WINNER.access_token}`]);
		expect(forms).toEqual(['refresh-token-1']);
		nock.cleanAll();
	});
});
