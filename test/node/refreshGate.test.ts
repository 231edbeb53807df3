/**
 * One 401 per expiry, through the real engine: while a request that met the expired token is in
 * n8n's refresh, the credential's other requests of this process wait, and those already signed
 * with the refused token are not sent with it (n8n would meet a 401 again and, on 1.x, refresh
 * with a used refresh token); they go out with the token the refresh saved. The node itself never
 * refreshes and never writes the credential.
 *
 * Two executions share the stored credential (the engine's credential store hands out the same
 * object, as n8n reads its database) and the rate-limit window (a warm-up run opened it): the
 * first meets the expiry, the second starts while its refresh is under way.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { BASE_URL, OAUTH_TOKEN, credentials, runNode } from '../support/engine';
import { json } from '../support/api';
import { CREDENTIAL_TYPE } from '../../credentials/constants';

const INVALID_GRANT = { statusCode: 400, message: 'Invalid grant: refresh token is invalid' };
const NEW_PAIR = { access_token: 'oauth-access-token-NEW', refresh_token: 'refresh-token-2', token_type: 'Bearer', expires_in: 86399 };

const send: INodeParameters = { resource: 'message', operation: 'send', type: 'SMS', contactId: 'c-1', message: 'Hello' };

afterEach(() => nock.cleanAll());

describe('concurrent requests meet an expiry once (the gate per credential)', () => {
	it('sub-account: a second execution started during the refresh sends nothing with the expired token; one refresh, every send accepted once', async () => {
		const credential = credentials.oAuth2();
		const stored = credential[CREDENTIAL_TYPE.marketplaceApp];
		const sends: string[] = [];
		let messageId = 0;
		// The old token works until the warm-up run is done (its answer opens the rate-limit window).
		let expired = false;
		const window = { 'x-ratelimit-max': '100', 'x-ratelimit-remaining': '90', 'x-ratelimit-interval-milliseconds': '10000' };
		nock(BASE_URL)
			.persist()
			.post('/conversations/messages')
			.reply(function () {
				const token = String(this.req.headers.authorization).replace('Bearer ', '');
				const valid = token === NEW_PAIR.access_token || (token === OAUTH_TOKEN && !expired);
				if (expired) sends.push(token === OAUTH_TOKEN ? 'expired' : token === NEW_PAIR.access_token ? 'new' : 'other');
				return valid
					? [201, { conversationId: 'conv-1', messageId: `msg-${++messageId}` }, window]
					: [401, { statusCode: 401, message: 'Invalid JWT' }, window];
			});
		// Single-use refresh tokens; the refresh takes a while: the second execution starts meanwhile.
		const refreshes: string[] = [];
		let refreshStarted = () => {};
		const refreshing = new Promise<void>((resolve) => (refreshStarted = resolve));
		nock(BASE_URL)
			.persist()
			.post('/oauth/token')
			.reply(function (_uri, body, answer) {
				const used = String(new URLSearchParams(String(body)).get('refresh_token'));
				refreshes.push(used);
				if (used !== 'refresh-token-1' || refreshes.length > 1) return answer(null, [400, INVALID_GRANT]);
				refreshStarted();
				setTimeout(() => {
					stored.oauthTokenData = { ...(stored.oauthTokenData as IDataObject), ...NEW_PAIR };
					answer(null, [200, NEW_PAIR]);
				}, 2000);
			});

		const warmUp = await runNode({ parameters: send, credentials: credential, credentialId: 'cred-gate' });
		expect(warmUp.error).toBeUndefined();
		expired = true;
		const first = runNode({ parameters: send, credentials: credential, credentialId: 'cred-gate' });
		await refreshing;
		const second = runNode({
			parameters: send,
			credentials: credential,
			credentialId: 'cred-gate',
			input: Array.from({ length: 6 }, () => ({ json: {} })),
		});
		const [one, six] = await Promise.all([first, second]);

		expect(one.error).toBeUndefined();
		expect(six.error).toBeUndefined();
		expect(json([...one.items, ...six.items])).toEqual(
			Array.from({ length: 7 }, () => expect.objectContaining({ messageId: expect.stringMatching(/^msg-\d+$/) })),
		);
		// One request met the expired token; one refresh (n8n's); seven sends with the new token.
		expect(sends.filter((sent) => sent === 'expired')).toHaveLength(1);
		expect(sends.filter((sent) => sent === 'new')).toHaveLength(7);
		expect(refreshes).toEqual(['refresh-token-1']);
		// The node saved nothing itself: only n8n's refresh in the first execution did.
		expect(six.credentialsHelper.tokenUpdates).toEqual([]);
	});

});
