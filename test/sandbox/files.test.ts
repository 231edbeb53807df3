import { buildMultipartBody, type MultipartPart } from '../../nodes/ConversationsApi/shared/multipart';
import { DEMO, type Sandbox } from '../../sandbox';
import { newSandbox, type Client } from './helpers';

describe('sandbox: files, recordings and transcriptions', () => {
	let sandbox: Sandbox;
	let api: Client;

	beforeEach(async () => {
		({ sandbox, api } = await newSandbox({ conversations: 10 }));
	});
	afterEach(() => sandbox.close());

	const upload = (parts: MultipartPart[]) => {
		const { body, contentType } = buildMultipartBody(parts);
		return api.post('/conversations/messages/upload', body, { headers: { 'content-type': contentType } });
	};
	const fields = (overrides: Record<string, string> = {}): MultipartPart[] =>
		Object.entries({
			conversationId: DEMO.smsConversationId,
			contactId: DEMO.smsContactId,
			locationId: sandbox.locationId,
			...overrides,
		}).map(([name, value]) => ({ name, value }));
	const path = (url: string) => new URL(url).pathname;

	it('uploads multipart files (parts named fileAttachment) and serves them', async () => {
		const response = await upload([
			{ name: 'fileAttachment', fileName: 'receipt.pdf', mimeType: 'application/pdf', data: Buffer.from('%PDF-1.4 receipt') },
			{ name: 'fileAttachment', fileName: 'photo.png', mimeType: 'image/png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
			...fields(),
			{ name: 'attachmentUrls', value: 'https://cdn.example.com/docs/terms.pdf' },
		]);
		expect(response.statusCode).toBe(200);
		const { uploadedFiles } = response.json() as { uploadedFiles: Record<string, string> };
		expect(Object.keys(uploadedFiles).sort()).toEqual(['photo.png', 'receipt.pdf', 'terms.pdf']);
		expect(uploadedFiles['terms.pdf']).toBe('https://cdn.example.com/docs/terms.pdf');
		expect(uploadedFiles['receipt.pdf']).toMatch(/^http:\/\/localhost(:\d+)?\/sandbox\/files\/\w+\/receipt\.pdf$/);

		const file = await api.get(path(uploadedFiles['receipt.pdf']), {}, { noAuth: true, noVersion: true });
		expect(file.statusCode).toBe(200);
		expect(file.headers['content-type']).toBe('application/pdf');
		expect(file.body).toBe('%PDF-1.4 receipt');
	});

	it('refuses other extensions (415), unknown conversations (404), other locations (403), missing fields (422)', async () => {
		const exe = await upload([
			{ name: 'fileAttachment', fileName: 'setup.exe', mimeType: 'application/octet-stream', data: Buffer.from('MZ') },
			...fields(),
		]);
		expect(exe.statusCode).toBe(415);
		expect(exe.json()).toEqual({ status: 415, statusCode: 415, message: expect.stringContaining('setup.exe') });
		const txt = { name: 'fileAttachment', fileName: 'note.txt', mimeType: 'text/plain', data: Buffer.from('hi') };
		expect((await upload([txt, ...fields({ conversationId: 'nope' })])).statusCode).toBe(404);
		expect((await upload([txt, ...fields({ locationId: 'elsewhere' })])).statusCode).toBe(403);
		const noConversation = await upload([txt, ...fields().filter((part) => part.name !== 'conversationId')]);
		expect(noConversation.statusCode).toBe(422);
		const json = await api.post('/conversations/messages/upload', { conversationId: DEMO.smsConversationId });
		expect(json.statusCode).toBe(400);
	});

	it('uploads a large file in three steps: initiate, PUT to the upload URL, complete', async () => {
		const request = {
			locationId: sandbox.locationId,
			conversationId: DEMO.liveChatConversationId,
			filename: 'walkthrough.mp4',
			contentType: 'video/mp4',
			channel: 'WHATSAPP',
			fileSize: 11,
		};
		const initiated = await api.post('/conversations/messages/upload/initiate', request);
		expect(initiated.statusCode).toBe(200);
		const { uploadUrl, uploadId, filePath, expiresAt, maxFileSize } = initiated.json();
		expect(uploadUrl).toMatch(new RegExp(`^http://localhost(:\\d+)?/sandbox/uploads/${uploadId}$`));
		expect(filePath).toBe(`location/${sandbox.locationId}/conversations/${DEMO.liveChatConversationId}/${uploadId}.mp4`);
		expect(expiresAt).toBe(sandbox.state.now() + 15 * 60 * 1000);
		expect(maxFileSize).toBe(104857600);

		const complete = {
			uploadId,
			filePath,
			locationId: sandbox.locationId,
			conversationId: DEMO.liveChatConversationId,
			filename: 'walkthrough.mp4',
		};
		const early = await api.post('/conversations/messages/upload/complete', complete);
		expect(early.statusCode).toBe(404);
		expect(early.json()).toEqual({ statusCode: 404, message: 'File not found in storage - upload may have failed or URL expired' });

		const put = await api.call({
			method: 'PUT',
			url: path(uploadUrl),
			body: Buffer.from('video bytes'),
			headers: { 'content-type': 'video/mp4', authorization: undefined, version: undefined },
		});
		expect(put.statusCode).toBe(200);

		const done = await api.post('/conversations/messages/upload/complete', complete);
		expect(done.statusCode).toBe(200);
		const body = done.json();
		expect(body).toEqual({
			uploadedFiles: { 'walkthrough.mp4': expect.stringContaining('/sandbox/files/') },
			metadata: { size: 11, contentType: 'video/mp4' },
		});
		const file = await api.get(path(body.uploadedFiles['walkthrough.mp4']), {}, { noAuth: true });
		expect(file.body).toBe('video bytes');
		expect((await api.post('/conversations/messages/upload/complete', complete)).statusCode).toBe(404);

		const tooBig = await api.post('/conversations/messages/upload/initiate', { ...request, fileSize: 200 * 1024 * 1024 });
		expect(tooBig.statusCode).toBe(413);
	});

	it('serves a call recording as WAV', async () => {
		const response = await api.get(`/conversations/messages/${DEMO.callMessageId}/locations/${sandbox.locationId}/recording`);
		expect(response.statusCode).toBe(200);
		expect(response.headers['content-type']).toBe('audio/x-wav');
		expect(response.headers['content-disposition']).toBe('attachment; filename=audio.wav');
		const wav = response.rawPayload;
		expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
		expect(wav.subarray(8, 12).toString('ascii')).toBe('WAVE');
		expect(wav.readUInt32LE(4)).toBe(wav.length - 8);

		const noRecording = await api.get(`/conversations/messages/${DEMO.smsRefundMessageId}/locations/${sandbox.locationId}/recording`);
		expect(noRecording.json()).toEqual({ statusCode: 404, message: 'Recording not found' });
		const unknown = await api.get(`/conversations/messages/nope/locations/${sandbox.locationId}/recording`);
		expect(unknown.json()).toEqual({ statusCode: 404, message: 'Message not found' });
	});

	it('answers the transcription as the one object the spec declares, and as a text file of sentences', async () => {
		const response = await api.get(`/conversations/locations/${sandbox.locationId}/messages/${DEMO.callMessageId}/transcription`);
		expect(response.statusCode).toBe(200);
		const sentences = sandbox.state.message(DEMO.callMessageId)!.transcription!;
		expect(sentences.length).toBeGreaterThan(2);
		expect(response.json()).toEqual({
			mediaChannel: sentences[0].mediaChannel,
			sentenceIndex: 0,
			startTime: sentences[0].startTime,
			endTime: sentences[sentences.length - 1].endTime,
			transcript: sentences.map((sentence) => sentence.transcript).join(' '),
			confidence: expect.any(Number),
		});
		expect(response.json().transcript).toContain('This call may be recorded');

		const download = await api.get(`/conversations/locations/${sandbox.locationId}/messages/${DEMO.callMessageId}/transcription/download`);
		expect(download.statusCode).toBe(200);
		expect(download.headers['content-type']).toBe('text/plain');
		expect(download.headers['content-disposition']).toBe('attachment; filename="transcription.txt"');
		expect(download.body.split('\n').filter(Boolean)).toHaveLength(sentences.length);
		expect(download.body).toContain('appointment');

		const none = await api.get(`/conversations/locations/${sandbox.locationId}/messages/${DEMO.emailMessageId}/transcription`);
		expect(none.json()).toEqual({ statusCode: 404, message: 'Transcription not found' });
	});
});
