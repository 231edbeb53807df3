/* eslint-disable @n8n/community-nodes/no-restricted-imports --
   a test that sets up n8n's binary data service with a folder on disk. */
/**
 * n8n 3.0 removes the in-memory binary data mode (docs/n8n-3.md): files then live in the
 * filesystem (or database, or S3) and an item's binary entry holds only their ID. The node's file
 * operations go through n8n's binary helpers, so they must work in that mode too: run here with
 * n8n-core's BinaryDataService in filesystem mode (the rest of the suite uses the in-memory mode).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Container } from '@n8n/di';
import { BinaryDataService, type BinaryDataConfig } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';
import { runNode, setUpBinaryData } from '../support/engine';
import { api, json, rl } from '../support/api';
import { boundaryOf, parseMultipart, rawBody, type ParsedPart } from '../attachment/multipart';

const wav = Buffer.concat([
	Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'),
	Buffer.from([0x10, 0x00, 0xff, 0xfe, 0x80, 0x81, 0x00, 0xc3]),
]);

describe('binary data in filesystem mode (n8n 3.0 has no in-memory mode)', () => {
	let storage: string;
	let service: BinaryDataService;

	beforeAll(async () => {
		await setUpBinaryData(); // the suite's in-memory service, replaced below for this file
		storage = mkdtempSync(path.join(tmpdir(), 'n8n-binary-fs-'));
		const config = { mode: 'filesystem', availableModes: ['filesystem'], localStoragePath: storage } as unknown as BinaryDataConfig;
		const noop = () => undefined;
		service = new BinaryDataService(config, { error: noop } as never, { error: noop, warn: noop, info: noop, debug: noop } as never);
		await service.init();
		Container.set(BinaryDataService, service);
	});

	afterAll(() => rmSync(storage, { recursive: true, force: true }));

	it('Call → Get Recording stores the file on disk and the item holds its ID, not its bytes', async () => {
		const scope = api()
			.get('/conversations/messages/msg-1/locations/loc-TEST-1/recording')
			.reply(200, wav, { 'content-type': 'audio/x-wav' });

		const { items, error } = await runNode({ parameters: { resource: 'call', operation: 'getRecording', messageId: 'msg-1' } });

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		const file = items[0].binary!.data as IBinaryData;
		expect(file.id).toMatch(/^filesystem-v2:/);
		expect(file.data).toBe('filesystem-v2');
		expect(file.mimeType).toBe('audio/x-wav');
		expect((await service.getAsBuffer(file)).equals(wav)).toBe(true);
		expect(readdirSync(storage, { recursive: true }).length).toBeGreaterThan(0);
	});

	it('Attachment → Upload reads a file stored on disk and sends its exact bytes', async () => {
		const stored = await service.store({ type: 'execution', workflowId: 'test-workflow', executionId: 'earlier-execution' }, wav, {
			data: '',
			mimeType: 'audio/x-wav',
			fileName: 'voicemail.wav',
		});
		expect(stored.id).toMatch(/^filesystem-v2:/);
		const captured: ParsedPart[][] = [];
		const scope = api()
			.post('/conversations/messages/upload')
			.reply(function (_uri, body) {
				captured.push(parseMultipart(rawBody(body), boundaryOf(String(this.req.headers['content-type']))));
				return [200, { uploadedFiles: { 'voicemail.wav': 'https://storage.example.com/voicemail.wav' } }];
			});

		const { items, error } = await runNode({
			parameters: { resource: 'attachment', operation: 'upload', conversationId: rl('conv-1'), contactId: 'c-1' },
			input: [{ json: {}, binary: { data: stored } }],
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ uploadedFiles: { 'voicemail.wav': 'https://storage.example.com/voicemail.wav' } }]);
		const [file] = captured[0];
		expect(file.name).toBe('fileAttachment');
		expect(file.fileName).toBe('voicemail.wav');
		expect(file.content.equals(wav)).toBe(true);
	});
});
