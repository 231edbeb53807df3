import { LOCATION_ID, credentials, runNode } from '../support/engine';
import { api, json, oauthApi, rl } from '../support/api';
import { boundaryOf, parseMultipart, rawBody, textParts, type ParsedPart } from './multipart';

/** PNG signature and bytes that are not valid UTF-8. */
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80, 0x0d, 0x0a]);
const pdf = Buffer.from('%PDF-1.4\n% an invoice\n', 'utf8');

const binaryItem = (files: Record<string, { content: Buffer; mimeType: string; fileName: string }>, json = {}) => ({
	json,
	binary: Object.fromEntries(
		Object.entries(files).map(([field, file]) => [
			field,
			{ data: file.content.toString('base64'), mimeType: file.mimeType, fileName: file.fileName },
		]),
	),
});

const uploaded = { uploadedFiles: { 'photo.png': 'https://storage.example.com/loc/photo.png' } };

interface Captured {
	contentType: string;
	parts: ParsedPart[];
}

/** Answers the upload and records the raw multipart body it received. */
function uploadApi(captured: Captured[], api_ = api()) {
	return api_.post('/conversations/messages/upload').reply(function (_uri, body) {
		const contentType = String(this.req.headers['content-type']);
		captured.push({ contentType, parts: parseMultipart(rawBody(body), boundaryOf(contentType)) });
		return [200, uploaded];
	});
}

describe('Attachment > Upload', () => {
	it('sends POST /conversations/messages/upload as multipart/form-data with one fileAttachment part', async () => {
		const captured: Captured[] = [];
		const scope = uploadApi(captured);

		const { items, error } = await runNode({
			parameters: {
				resource: 'attachment',
				operation: 'upload',
				conversationId: rl('conv-1'),
				contactId: 'c-1',
			},
			input: [binaryItem({ data: { content: png, mimeType: 'image/png', fileName: 'photo.png' } })],
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([uploaded]);

		expect(captured).toHaveLength(1);
		const [{ contentType, parts }] = captured;
		expect(contentType).toMatch(/^multipart\/form-data; boundary=----n8nFormBoundary[A-Za-z0-9]{24}$/);
		expect(parts.map((part) => part.name)).toEqual(['fileAttachment', 'conversationId', 'contactId', 'locationId']);
		const [file] = parts;
		expect(file.headers).toEqual({
			'content-disposition': 'form-data; name="fileAttachment"; filename="photo.png"',
			'content-type': 'image/png',
		});
		expect(file.fileName).toBe('photo.png');
		expect(file.content.equals(png)).toBe(true);
		expect(parts[1].headers).toEqual({ 'content-disposition': 'form-data; name="conversationId"' });
		expect(textParts(parts)).toEqual([
			['conversationId', 'conv-1'],
			['contactId', 'c-1'],
			['locationId', LOCATION_ID],
		]);
	});

	it('sends two files from comma-separated fields, and the attachment URLs, with the node Location ID', async () => {
		const captured: Captured[] = [];
		const scope = uploadApi(captured);

		const { error } = await runNode({
			parameters: {
				resource: 'attachment',
				operation: 'upload',
				conversationId: { __rl: true, mode: 'list', value: 'conv-2' },
				contactId: 'c-2',
				binaryPropertyName: 'data, invoice',
				additionalFields: {
					attachmentUrls: 'https://example.com/a.pdf, https://example.com/b.png',
				},
				locationId: 'other-loc',
			},
			input: [
				binaryItem({
					data: { content: png, mimeType: 'image/png', fileName: 'photo.png' },
					invoice: { content: pdf, mimeType: 'application/pdf', fileName: 'Invoice "March".pdf' },
				}),
			],
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		const [{ parts }] = captured;
		expect(parts.map((part) => [part.name, part.fileName, part.headers['content-type']])).toEqual([
			['fileAttachment', 'photo.png', 'image/png'],
			['fileAttachment', 'Invoice %22March%22.pdf', 'application/pdf'],
			['conversationId', undefined, undefined],
			['contactId', undefined, undefined],
			['locationId', undefined, undefined],
			['attachmentUrls', undefined, undefined],
			['attachmentUrls', undefined, undefined],
		]);
		expect(parts[0].content.equals(png)).toBe(true);
		expect(parts[1].content.equals(pdf)).toBe(true);
		expect(textParts(parts)).toEqual([
			['conversationId', 'conv-2'],
			['contactId', 'c-2'],
			['locationId', 'other-loc'],
			['attachmentUrls', 'https://example.com/a.pdf'],
			['attachmentUrls', 'https://example.com/b.png'],
		]);
	});

	it('a missing binary field is an error naming the field and the missing property', async () => {
		const { error } = await runNode({
			parameters: {
				resource: 'attachment',
				operation: 'upload',
				conversationId: rl('conv-1'),
				contactId: 'c-1',
				binaryPropertyName: 'data, scan',
			},
			input: [binaryItem({ data: { content: png, mimeType: 'image/png', fileName: 'photo.png' } })],
		});

		expect(error?.message).toBe('The "Input Binary Field(s)" field names "scan", but the input item has no binary data "scan"');
		expect(error?.description).toBe('The input item\'s binary fields: "data".');
	});

	it('an item without any binary data says so', async () => {
		const { error } = await runNode({
			parameters: { resource: 'attachment', operation: 'upload', conversationId: rl('conv-1'), contactId: 'c-1' },
			input: [{ json: {} }],
		});

		expect(error?.message).toBe('The "Input Binary Field(s)" field names "data", but the input item has no binary data "data"');
		expect(error?.description).toMatch(/no binary data at all/);
	});

	it('with Continue On Fail, an item without the file fails alone and the next item still uploads', async () => {
		const captured: Captured[] = [];
		const scope = uploadApi(captured);

		const { items, error } = await runNode({
			parameters: {
				resource: 'attachment',
				operation: 'upload',
				conversationId: rl('conv-1'),
				contactId: '={{ $json.contactId }}',
			},
			input: [
				{ json: { contactId: 'c-no-file' } },
				binaryItem({ data: { content: png, mimeType: 'image/png', fileName: 'photo.png' } }, { contactId: 'c-2' }),
			],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toHaveLength(2);
		expect(String(items[0].json.error)).toMatch(
			'The "Input Binary Field(s)" field names "data", but the input item has no binary data "data"',
		);
		expect(items[1].json).toEqual(uploaded);
		expect(captured).toHaveLength(1);
		expect(textParts(captured[0].parts)).toContainEqual(['contactId', 'c-2']);
		expect(captured[0].parts[0].content.equals(png)).toBe(true);
	});

	it('a blank Contact ID is an error naming the field', async () => {
		const { error } = await runNode({
			parameters: { resource: 'attachment', operation: 'upload', conversationId: rl('conv-1'), contactId: ' ' },
			input: [binaryItem({ data: { content: png, mimeType: 'image/png', fileName: 'photo.png' } })],
		});

		expect(error?.message).toBe('The "Contact" field is empty');
	});

	it('works with OAuth2 (multipart body, location from the token)', async () => {
		const captured: Captured[] = [];
		const scope = uploadApi(captured, oauthApi());

		const { error } = await runNode({
			parameters: { resource: 'attachment', operation: 'upload', conversationId: rl('conv-1'), contactId: 'c-1' },
			input: [binaryItem({ data: { content: png, mimeType: 'image/png', fileName: 'photo.png' } })],
			credentials: credentials.oAuth2(),
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(textParts(captured[0].parts)).toContainEqual(['locationId', 'loc-FROM-TOKEN']);
		expect(captured[0].parts[0].content.equals(png)).toBe(true);
	});
});
