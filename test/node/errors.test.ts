import nock from 'nock';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { BASE_URL, LOCATION_ID, credentials, runNode, type CredentialData } from '../support/engine';
import { api, oauthApi, rl } from '../support/api';
import { TriggerHarness } from '../support/poll';
import { RESOURCES } from '../../nodes/ConversationsApi/operations';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';

interface MappedError {
	message: string;
	description?: string | null;
	httpCode?: string | null;
	context?: { itemIndex?: number };
}

const getConversation = (
	id = 'abc',
	extra: { credentials?: CredentialData; continueOnFail?: boolean; input?: INodeExecutionData[] } = {},
) => runNode({ parameters: { resource: 'conversation', operation: 'get', conversationId: rl(id) }, ...extra });

const PIT_401 = 'The token was refused (401): the Private Integration Token is wrong, revoked or expired';
const OAUTH_401 = 'The token was refused (401): reconnect the OAuth2 account';

describe('API errors say what to do', () => {
	describe('401', () => {
		it('Private Integration Token: names the token and how to replace it', async () => {
			// n8n sends a request refused with 401 once more (after its pre-authentication step).
			const scope = api().get('/conversations/abc').times(2).reply(401, { statusCode: 401, message: 'Invalid JWT' });

			const { error } = await getConversation();

			expect(scope.isDone()).toBe(true);
			const mapped = error as unknown as MappedError;
			expect(mapped.message).toBe(PIT_401);
			expect(mapped.description).toBe(
				'Create a new token in the sub-account (Settings → Private Integrations) and paste it into the credential, complete and without spaces. The API says: Invalid JWT',
			);
			expect(mapped.httpCode).toBe('401');
			expect(mapped.context?.itemIndex).toBe(0);
		});

		it('OAuth2: refreshed once by n8n, and when the API still refuses, says to reconnect', async () => {
			const first = oauthApi().get('/conversations/abc').reply(401, { statusCode: 401, message: 'Invalid JWT' });
			const token = nock(BASE_URL)
				.post('/oauth/token')
				.reply(200, { access_token: 'oauth-access-token-NEW', refresh_token: 'refresh-token-2', token_type: 'Bearer' });
			const retried = api({ token: 'oauth-access-token-NEW' })
				.get('/conversations/abc')
				.reply(401, { statusCode: 401, message: 'Invalid JWT' });

			const { error } = await getConversation('abc', { credentials: credentials.oAuth2() });

			expect(first.isDone() && token.isDone() && retried.isDone()).toBe(true);
			expect(error?.message).toBe(OAUTH_401);
			expect(error?.description).toMatch(
				/^n8n refreshes an expired access token by itself.*click "Reconnect"\. The API says: Invalid JWT$/,
			);
		});

		it('OAuth2: a refresh token the API refuses says to reconnect too', async () => {
			oauthApi().get('/conversations/abc').reply(401, { statusCode: 401, message: 'Invalid JWT' });
			const token = nock(BASE_URL).post('/oauth/token').reply(401, { error: 'invalid_grant' });

			const { error } = await getConversation('abc', { credentials: credentials.oAuth2() });

			expect(token.isDone()).toBe(true);
			expect(error?.message).toBe(OAUTH_401);
		});
	});

	describe('403 names the scope the operation needs', () => {
		const cases: Array<[string, INodeParameters, string, () => nock.Interceptor, string]> = [
			[
				'Conversation → Get',
				{ resource: 'conversation', operation: 'get', conversationId: rl('abc') },
				'the scope "conversations.readonly"',
				() => api().get('/conversations/abc'),
				'conversations.readonly',
			],
			[
				'Conversation → Delete',
				{ resource: 'conversation', operation: 'delete', conversationId: rl('abc') },
				'the scope "conversations.write"',
				() => api().delete('/conversations/abc'),
				'conversations.write',
			],
			[
				'Message → Cancel Scheduled',
				{ resource: 'message', operation: 'cancelScheduled', messageId: 'm-1' },
				'the scope "conversations/message.write"',
				() => api().delete('/conversations/messages/m-1/schedule'),
				'conversations/message.write',
			],
			[
				'Message → Get (no scope listed)',
				{ resource: 'message', operation: 'get', messageId: 'm-1' },
				'the scope "conversations/message.readonly" (HighLevel\'s scope list names none for this endpoint; this is the matching one)',
				() => api().get('/conversations/messages/m-1'),
				'conversations/message.readonly',
			],
			[
				'Call → Get Transcription',
				{ resource: 'call', operation: 'getTranscription', messageId: 'm-1' },
				'the scope "conversations/message.readonly"',
				() => api().get(`/conversations/locations/${LOCATION_ID}/messages/m-1/transcription`),
				'conversations/message.readonly',
			],
		];

		it.each(cases)('%s', async (_name, parameters, needs, request, scopeName) => {
			const scope = request().reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' });

			const { error } = await runNode({ parameters });

			expect(scope.isDone()).toBe(true);
			expect(error?.message).toBe(
				`Access denied (403): this operation needs ${needs}, or the token has no access to location "${LOCATION_ID}"`,
			);
			expect(error?.description).toBe(
				`Add "${scopeName}" to the Private Integration's scopes; or use a token issued for location "${LOCATION_ID}", or correct the Location ID. The API says: The token is not authorized for this scope.`,
			);
			expect((error as unknown as MappedError).httpCode).toBe('403');
		});

		it('Live Chat → Send Typing Indicator needs conversations/livechat.write; OAuth2 says to reconnect', async () => {
			const scope = oauthApi().post('/conversations/providers/live-chat/typing').reply(403, { message: 'Forbidden' });

			const { error } = await runNode({
				parameters: { resource: 'liveChat', operation: 'sendTyping', visitorId: 'v-1', conversationId: rl('abc'), isTyping: true },
				credentials: credentials.oAuth2(),
			});

			expect(scope.isDone()).toBe(true);
			expect(error?.message).toBe(
				'Access denied (403): this operation needs the scope "conversations/livechat.write", or the token has no access to location "loc-FROM-TOKEN"',
			);
			expect(error?.description).toBe(
				'Add "conversations/livechat.write" to the Marketplace app\'s scopes and the credential\'s Scope field, then reconnect the credential; or use a token issued for location "loc-FROM-TOKEN", or correct the Location ID. The API says: Forbidden',
			);
		});

		it("every operation of the node has its scope, one of the five (Assign's extra requests name their own: test/conversation/assign.test.ts)", () => {
			const node = new ConversationsApi();
			const operations = node.description.properties
				.filter((property) => property.name === 'operation')
				.flatMap((property) =>
					(property.options as Array<{ value: string }>).map(
						(option) => `${(property.displayOptions?.show?.resource as string[])[0]}.${option.value}`,
					),
				);
			// The 30 of the Conversations API, Conversation → Assign and Message → Send and Wait for Response.
			expect(operations).toHaveLength(32);
			const table = RESOURCES.flatMap((resource) => resource.operations.map((operation) => ({ resource, operation })));
			expect(table.map(({ resource, operation }) => `${resource.value}.${operation.option.value}`).sort()).toEqual([...operations].sort());
			const scopes = new Set(table.map(({ operation }) => operation.facts.scope));
			expect([...scopes].sort()).toEqual([
				'conversations.readonly',
				'conversations.write',
				'conversations/livechat.write',
				'conversations/message.readonly',
				'conversations/message.write',
			]);
		});
	});

	describe('404 names the ID', () => {
		it('Conversation → Get', async () => {
			api().get('/conversations/abc').reply(404, { statusCode: 404, message: 'Conversation not found' });

			const { error } = await getConversation('abc');

			expect(error?.message).toBe('Conversation "abc" was not found (404)');
			expect(error?.description).toBe(
				`Check the ID and that it belongs to location "${LOCATION_ID}". The API says: Conversation not found`,
			);
		});

		it.each([
			['email', 'get', { emailMessageId: 'e-1' }, () => api().get('/conversations/messages/email/e-1'), 'Email message "e-1"'],
			[
				'customSubtype',
				'update',
				{ customSubtypeId: 'cs-1', updateFields: { name: 'x' } },
				() => api().put('/conversations/preferences/custom-subtypes/cs-1').query(true),
				'Custom subtype "cs-1"',
			],
			[
				'message',
				'getAll',
				{ conversationId: rl('conv-9'), returnAll: true },
				() => api().get('/conversations/conv-9/messages').query(true),
				'Conversation "conv-9"',
			],
		])('%s → %s', async (resource, operation, parameters, request, named) => {
			const scope = request().reply(404, { message: 'Not found' });

			const { error } = await runNode({ parameters: { resource, operation, ...parameters } });

			expect(scope.isDone()).toBe(true);
			expect(error?.message).toBe(`${named} was not found (404)`);
		});

		it('an operation without an ID in its path names the IDs it sent', async () => {
			api().post('/conversations/messages').reply(404, { message: 'Contact not found' });

			const { error } = await runNode({
				parameters: { resource: 'message', operation: 'send', type: 'SMS', contactId: 'ct-1', message: 'hi' },
			});

			expect(error?.message).toBe('Not found (404): check Contact "ct-1"');
			expect(error?.description).toBe(
				`An ID this request names does not exist in location "${LOCATION_ID}". The API says: Contact not found`,
			);
		});

		it('a file download (binary) maps its JSON error the same way', async () => {
			api()
				.get(`/conversations/messages/m-x/locations/${LOCATION_ID}/recording`)
				.reply(404, { statusCode: 404, message: 'Recording not found' });

			const { error } = await runNode({ parameters: { resource: 'call', operation: 'getRecording', messageId: 'm-x' } });

			expect(error?.message).toBe('Message "m-x" was not found (404)');
		});
	});

	describe("400 and 422 carry the API's field messages", () => {
		it('an array of messages (validation) goes into the message and the description', async () => {
			api()
				.post('/conversations/', { locationId: LOCATION_ID, contactId: 'c-1' })
				.reply(422, {
					statusCode: 422,
					message: ['contactId must be a mongodb id', 'locationId should not be empty'],
					error: 'Unprocessable Entity',
				});

			const { error } = await runNode({ parameters: { resource: 'conversation', operation: 'create', contactId: 'c-1' } });

			expect(error?.message).toBe('The API refused the request (422): contactId must be a mongodb id; locationId should not be empty');
			expect(error?.description).toBe('contactId must be a mongodb id; locationId should not be empty');
			expect((error as unknown as MappedError).httpCode).toBe('422');
		});

		it('a string message (400)', async () => {
			api().put('/conversations/abc').reply(400, { statusCode: 400, message: 'starred must be a boolean value' });

			const { error } = await runNode({
				parameters: { resource: 'conversation', operation: 'update', conversationId: rl('abc'), updateFields: { starred: true } },
			});

			expect(error?.message).toBe('The API refused the request (400): starred must be a boolean value');
			expect(error?.description).toBe('starred must be a boolean value');
		});

		it('a 400 without a body still says its status', async () => {
			api().get('/conversations/abc').reply(400);

			const { error } = await getConversation('abc');

			expect(error?.message).toBe('The API refused the request (400)');
		});
	});

	describe('item index and Continue On Fail', () => {
		const statuses: Array<[number, IDataObject, string]> = [
			[401, { message: 'Invalid JWT' }, PIT_401],
			[
				403,
				{ message: 'Forbidden' },
				`Access denied (403): this operation needs the scope "conversations.readonly", or the token has no access to location "${LOCATION_ID}"`,
			],
			[404, { message: 'Conversation not found' }, 'Conversation "bad" was not found (404)'],
			[422, { message: ['conversationId is invalid'] }, 'The API refused the request (422): conversationId is invalid'],
		];

		it.each(statuses)('%d fails only its item; the others succeed', async (status, body, message) => {
			const scope = api()
				.get('/conversations/ok-1')
				.reply(200, { id: 'ok-1' })
				.get('/conversations/bad')
				.times(status === 401 ? 2 : 1)
				.reply(status, body)
				.get('/conversations/ok-2')
				.reply(200, { id: 'ok-2' });

			const { items, error } = await runNode({
				parameters: { resource: 'conversation', operation: 'get', conversationId: rl('={{ $json.id }}') },
				input: [{ json: { id: 'ok-1' } }, { json: { id: 'bad' } }, { json: { id: 'ok-2' } }],
				continueOnFail: true,
			});

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expect(items.map((item) => item.json)).toEqual([{ id: 'ok-1' }, { error: message }, { id: 'ok-2' }]);
			expect(items[1].error?.message).toBe(message);
			expect((items[1].error as unknown as MappedError).context?.itemIndex).toBe(1);
			expect((items[1].error as unknown as MappedError).httpCode).toBe(String(status));
		});

		it('without Continue On Fail the node fails with the item index of the failing item', async () => {
			api().get('/conversations/ok-1').reply(200, { id: 'ok-1' }).get('/conversations/bad').reply(404, { message: 'nope' });

			const { error } = await runNode({
				parameters: { resource: 'conversation', operation: 'get', conversationId: rl('={{ $json.id }}') },
				input: [{ json: { id: 'ok-1' } }, { json: { id: 'bad' } }],
			});

			expect(error?.message).toBe('Conversation "bad" was not found (404)');
			expect((error as unknown as MappedError).context?.itemIndex).toBe(1);
		});

		it('a failing page of a paginated list (Return All) raises the same mapped error', async () => {
			const scope = api()
				.get('/conversations/search')
				.query(true)
				.reply(200, {
					conversations: Array.from({ length: 100 }, (_, index) => ({ id: `c${index}`, sort: [1000 - index] })),
					total: 300,
				})
				.get('/conversations/search')
				.query(true)
				.reply(403, { message: 'Forbidden' });

			const { error } = await runNode({ parameters: { resource: 'conversation', operation: 'getAll', returnAll: true } });

			expect(scope.isDone()).toBe(true);
			expect(error?.message).toBe(
				`Access denied (403): this operation needs the scope "conversations.readonly", or the token has no access to location "${LOCATION_ID}"`,
			);
			expect((error as unknown as MappedError).context?.itemIndex).toBe(0);
		});

		it("other statuses keep n8n's wording, with the API's message as description", async () => {
			api().get('/conversations/abc').reply(409, { message: 'Conversation is being merged' });

			const { error } = await getConversation('abc');

			expect(error?.message).toBe('Your request is invalid or could not be processed by the service');
			expect(error?.description).toBe('Conversation is being merged');
			expect((error as unknown as MappedError).httpCode).toBe('409');
		});
	});

	describe('trigger', () => {
		const SEARCH = { locationId: LOCATION_ID, limit: 100, sortBy: 'last_message_date', sort: 'desc' };
		const trigger = (credentialData: CredentialData = credentials.privateIntegrationToken()) =>
			new TriggerHarness({ parameters: { event: 'newMessage', direction: 'both' }, credentials: credentialData });

		it('401 says what to do about the token', async () => {
			api().get('/conversations/search').query(SEARCH).times(2).reply(401, { message: 'Invalid JWT' });

			const { error } = await trigger().poll();

			expect(error?.message).toBe(PIT_401);
		});

		it('403 names conversations.readonly for the search', async () => {
			api().get('/conversations/search').query(SEARCH).reply(403, { message: 'Forbidden' });

			const { error } = await trigger().poll();

			expect(error?.message).toBe(
				`Access denied (403): this operation needs the scope "conversations.readonly", or the token has no access to location "${LOCATION_ID}"`,
			);
		});

		it("403 on a conversation's messages names conversations/message.readonly", async () => {
			api()
				.get('/conversations/search')
				.query(SEARCH)
				.reply(200, { conversations: [{ id: 'c1', sort: [1000], lastMessageDate: 1000, dateAdded: 1 }], total: 1 })
				.get('/conversations/c1/messages')
				.query(true)
				.reply(403, { message: 'Forbidden' });

			const { error } = await trigger().poll();

			expect(error?.message).toBe(
				`Access denied (403): this operation needs the scope "conversations/message.readonly" (HighLevel's scope list names none for this endpoint; this is the matching one), or the token has no access to location "${LOCATION_ID}"`,
			);
		});

		it("400 carries the API's messages; OAuth2 401 says to reconnect", async () => {
			api()
				.get('/conversations/search')
				.query(SEARCH)
				.reply(400, { message: ['sort must be one of asc, desc'] });
			const bad = await trigger().poll();
			expect(bad.error?.message).toBe('The API refused the request (400): sort must be one of asc, desc');

			oauthApi().get('/conversations/search').query(true).reply(401, { message: 'Invalid JWT' });
			nock(BASE_URL).post('/oauth/token').reply(400, { error: 'invalid_grant' });
			const refused = await trigger(credentials.oAuth2()).poll();
			expect(refused.error?.message).toBe(OAUTH_401);
		});
	});
});
