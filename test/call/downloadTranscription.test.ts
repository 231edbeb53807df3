import { runNode } from '../support/engine';
import { api } from '../support/api';

const text = Buffer.from('Agent: Hello, how can I help?\nCaller: Café opening hours, please.\n', 'utf8');

describe('Call > Download Transcription', () => {
	it('sends GET /conversations/locations/{locationId}/messages/{messageId}/transcription/download and outputs the text file', async () => {
		const scope = api().get('/conversations/locations/loc-TEST-1/messages/msg-1/transcription/download').reply(200, text, {
			'content-type': 'text/plain; charset=utf-8',
			'content-disposition': 'Attachment; filename="transcription.txt"',
		});

		const { items, error } = await runNode({
			parameters: { resource: 'call', operation: 'downloadTranscription', messageId: 'msg-1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			messageId: 'msg-1',
			fileName: 'transcription.txt',
			mimeType: 'text/plain',
			fileSize: text.length,
		});
		const file = items[0].binary!.data;
		expect(file.mimeType).toBe('text/plain');
		expect(file.fileName).toBe('transcription.txt');
		expect(Buffer.from(file.data, 'base64').equals(text)).toBe(true);
	});

	it('falls back to transcription-<messageId>.txt and text/plain, in the chosen field', async () => {
		const scope = api().get('/conversations/locations/loc-TEST-1/messages/msg-7/transcription/download').reply(200, text);

		const { items, error } = await runNode({
			parameters: {
				resource: 'call',
				operation: 'downloadTranscription',
				messageId: 'msg-7',
				binaryPropertyName: 'transcript',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		const file = items[0].binary!.transcript;
		expect(file.fileName).toBe('transcription-msg-7.txt');
		expect(file.mimeType).toBe('text/plain');
		expect(Buffer.from(file.data, 'base64').equals(text)).toBe(true);
	});

	it('reads an RFC 5987 file name and drops any path from it', async () => {
		const scope = api().get('/conversations/locations/loc-TEST-1/messages/msg-1/transcription/download').reply(200, text, {
			'content-type': 'text/plain',
			'content-disposition': `attachment; filename="fallback.txt"; filename*=UTF-8''..%2F..%2Fappel%20caf%C3%A9.txt`,
		});

		const { items, error } = await runNode({
			parameters: { resource: 'call', operation: 'downloadTranscription', messageId: 'msg-1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items[0].binary!.data.fileName).toBe('appel café.txt');
		expect(items[0].json.fileName).toBe('appel café.txt');
	});
});
