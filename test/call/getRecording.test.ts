import nock from 'nock';
import { BASE_URL, credentials, runNode } from '../support/engine';
import { api, oauthApi } from '../support/api';

/** A WAV header followed by bytes that are not valid UTF-8, so any text decoding would show. */
const wav = Buffer.concat([
	Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'),
	Buffer.from([0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0xff, 0xfe, 0x80, 0x81, 0x00, 0xc3]),
]);

describe('Call > Get Recording', () => {
	it('sends GET /conversations/messages/{messageId}/locations/{locationId}/recording and outputs the file', async () => {
		const scope = api().get('/conversations/messages/msg-1/locations/loc-TEST-1/recording').reply(200, wav, {
			'content-type': 'audio/x-wav',
			'content-disposition': 'attachment; filename=audio.wav',
		});

		const { items, error } = await runNode({
			parameters: { resource: 'call', operation: 'getRecording', messageId: 'msg-1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			messageId: 'msg-1',
			fileName: 'audio.wav',
			mimeType: 'audio/x-wav',
			fileSize: wav.length,
		});
		const file = items[0].binary!.data;
		expect(file.mimeType).toBe('audio/x-wav');
		expect(file.fileName).toBe('audio.wav');
		expect(file.fileExtension).toBe('wav');
		expect(Buffer.from(file.data, 'base64').equals(wav)).toBe(true);
	});

	it('uses the chosen output field, the node Location ID, and fallback name and type', async () => {
		const scope = api().get('/conversations/messages/msg-2/locations/other-loc/recording').reply(200, wav);

		const { items, error } = await runNode({
			parameters: {
				resource: 'call',
				operation: 'getRecording',
				messageId: 'msg-2',
				locationId: 'other-loc',
				binaryPropertyName: 'recording',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(Object.keys(items[0].binary ?? {})).toEqual(['recording']);
		const file = items[0].binary!.recording;
		expect(file.fileName).toBe('recording-msg-2.wav');
		expect(file.mimeType).toBe('audio/x-wav');
		expect(Buffer.from(file.data, 'base64').equals(wav)).toBe(true);
		expect(items[0].json).toEqual({
			messageId: 'msg-2',
			fileName: 'recording-msg-2.wav',
			mimeType: 'audio/x-wav',
			fileSize: wav.length,
		});
	});

	it('works with OAuth2, taking the location from the token', async () => {
		const scope = oauthApi()
			.get('/conversations/messages/msg-1/locations/loc-FROM-TOKEN/recording')
			.reply(200, wav, { 'content-type': 'audio/x-wav' });

		const { items, error } = await runNode({
			parameters: { resource: 'call', operation: 'getRecording', messageId: 'msg-1' },
			credentials: credentials.oAuth2(),
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(Buffer.from(items[0].binary!.data.data, 'base64').equals(wav)).toBe(true);
	});

	it("an API error reports the API's own message, read from the file response", async () => {
		const scope = api()
			.get('/conversations/messages/msg-1/locations/loc-TEST-1/recording')
			.reply(422, { statusCode: 422, message: ['This message has no recording'] });

		const { items, error } = await runNode({
			parameters: { resource: 'call', operation: 'getRecording', messageId: 'msg-1' },
		});

		expect(scope.isDone()).toBe(true);
		expect(items).toEqual([]);
		expect(error?.description).toBe('This message has no recording');
		expect((error as unknown as { httpCode: string }).httpCode).toBe('422');
	});

	it('an expired OAuth2 token is refreshed and the download retried', async () => {
		const refreshed = 'oauth-access-token-REFRESHED';
		const expired = oauthApi()
			.get('/conversations/messages/msg-1/locations/loc-FROM-TOKEN/recording')
			.reply(401, { statusCode: 401, message: 'Invalid JWT' });
		const token = nock(BASE_URL)
			.post('/oauth/token', /grant_type=refresh_token/)
			.reply(200, { access_token: refreshed, refresh_token: 'refresh-token-2', token_type: 'Bearer', expires_in: 86399 });
		const retried = api({ token: refreshed })
			.get('/conversations/messages/msg-1/locations/loc-FROM-TOKEN/recording')
			.reply(200, wav, { 'content-type': 'audio/x-wav' });

		const { items, error } = await runNode({
			parameters: { resource: 'call', operation: 'getRecording', messageId: 'msg-1' },
			credentials: credentials.oAuth2(),
		});

		expect(error).toBeUndefined();
		expect(expired.isDone() && token.isDone() && retried.isDone()).toBe(true);
		expect(Buffer.from(items[0].binary!.data.data, 'base64').equals(wav)).toBe(true);
	});

	it('a blank Message ID or output field is an error naming the field', async () => {
		const noMessage = await runNode({
			parameters: { resource: 'call', operation: 'getRecording', messageId: ' ' },
		});
		expect(noMessage.error?.message).toBe('The "Message ID" field is empty');

		const noField = await runNode({
			parameters: { resource: 'call', operation: 'getRecording', messageId: 'msg-1', binaryPropertyName: '={{ "" }}' },
		});
		expect(noField.error?.message).toBe('The "Put Output File in Field" field is empty');
	});

	it('with Continue On Fail, a missing recording fails its item only', async () => {
		const scope = api()
			.get('/conversations/messages/gone/locations/loc-TEST-1/recording')
			.reply(404, { statusCode: 404, message: 'Recording not found' })
			.get('/conversations/messages/msg-1/locations/loc-TEST-1/recording')
			.reply(200, wav, { 'content-type': 'audio/x-wav' });

		const { items } = await runNode({
			parameters: { resource: 'call', operation: 'getRecording', messageId: '={{ $json.id }}' },
			input: [{ json: { id: 'gone' } }, { json: { id: 'msg-1' } }],
			continueOnFail: true,
		});

		expect(scope.isDone()).toBe(true);
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toBeDefined();
		expect(items[0].json).toEqual({ error: 'Message "gone" was not found (404)' });
		expect(items[0].error).toMatchObject({
			description: 'Check the ID and that it belongs to location "loc-TEST-1". The API says: Recording not found',
			context: { itemIndex: 0 },
		});
		expect(items[0].binary).toBeUndefined();
		expect(items[1].json.messageId).toBe('msg-1');
		expect(Buffer.from(items[1].binary!.data.data, 'base64').equals(wav)).toBe(true);
	});
});
