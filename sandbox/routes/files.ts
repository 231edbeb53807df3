/**
 * Files: direct multipart upload, the three-step large upload (initiate → PUT to the upload URL →
 * complete), and the sandbox URLs that serve the stored files.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app';
import { CONTENT_TYPES, UPLOAD_EXTENSIONS } from '../channels';
import { ApiError, baseUrlOf, Fields, forbidden, jsonBody, notFound, paramsOf, type Json } from '../http';
import type { SandboxState } from '../state';

/** Largest file of a direct (multipart) upload. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** Largest file of the three-step upload (InitiateFileUploadResponseDto.maxFileSize). */
export const MAX_LARGE_UPLOAD_BYTES = 100 * 1024 * 1024;
export const UPLOAD_URL_TTL_MS = 15 * 60 * 1000;

/** UploadFilesErrorResponseDto (`status`), with `statusCode` as every other error has. */
function uploadError(status: 400 | 413 | 415, message: string): ApiError {
	return new ApiError(status, { status, statusCode: status, message });
}

function extensionOf(fileName: string): string {
	const match = /\.([^./\\]+)$/.exec(fileName);
	return match ? match[1].toLowerCase() : '';
}

function uuid(state: SandboxState): string {
	const hex = () => Math.floor(state.random.next() * 16).toString(16);
	const part = (length: number) => Array.from({ length }, hex).join('');
	return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

function storeFile(state: SandboxState, base: string, name: string, contentType: string, data: Buffer, conversationId?: string): string {
	const id = state.newId();
	state.files.set(id, { id, name, contentType, data, conversationId, dateAdded: state.now() });
	return `${base}/sandbox/files/${id}/${encodeURIComponent(name)}`;
}

export function registerFileRoutes(app: FastifyInstance, { state }: AppContext): void {
	const v2 = { config: { kind: 'v2' as const } };

	app.post('/conversations/messages/upload', v2, async (request) => {
		if (!request.isMultipart()) {
			throw uploadError(400, 'Send multipart/form-data with the files in parts named "fileAttachment"');
		}
		const files: Array<{ name: string; mimeType: string; data: Buffer }> = [];
		const fields: Json = {};
		const urls: string[] = [];
		const unexpected: string[] = [];
		for await (const part of request.parts()) {
			if (part.type === 'file') {
				const data = await part.toBuffer();
				if (part.fieldname === 'fileAttachment') files.push({ name: part.filename, mimeType: part.mimetype, data });
				else unexpected.push(part.fieldname);
			} else if (part.fieldname === 'attachmentUrls' || part.fieldname === 'attachmentUrls[]') {
				urls.push(String(part.value));
			} else {
				fields[part.fieldname] = String(part.value);
			}
		}
		if (unexpected.length) {
			throw uploadError(400, `Unexpected file part "${unexpected[0]}": files go in parts named "fileAttachment"`);
		}
		const check = new Fields(fields);
		const conversationId = check.string('conversationId', { required: true });
		const locationId = check.string('locationId', { required: true });
		const contactId = check.string('contactId');
		check.check();
		if (locationId !== state.locationId) throw forbidden();
		const conversation = state.conversation(conversationId as string);
		if (!conversation) throw notFound('Conversation');
		if (contactId && !state.contact(contactId)) throw notFound('Contact');
		const refused = files.find((file) => !UPLOAD_EXTENSIONS.includes(extensionOf(file.name)));
		if (refused) {
			throw uploadError(415, `Unsupported file type: "${refused.name}". Allowed: ${UPLOAD_EXTENSIONS.join(', ')}`);
		}
		if (!files.length && !urls.length) throw uploadError(400, 'No files to upload: send them in parts named "fileAttachment"');

		const base = baseUrlOf(request);
		const uploadedFiles: Record<string, string> = {};
		for (const file of files) {
			const contentType = CONTENT_TYPES[extensionOf(file.name)] ?? file.mimeType;
			uploadedFiles[file.name] = storeFile(state, base, file.name, contentType, file.data, conversation.id);
		}
		// URLs are taken as they are (the sandbox does not fetch them).
		for (const url of urls) uploadedFiles[decodeURIComponent(url.split('?')[0].split('/').pop() || url)] = url;
		return { uploadedFiles };
	});

	app.post('/conversations/messages/upload/initiate', v2, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		fields.string('locationId', { required: true });
		const conversationId = fields.string('conversationId', { required: true });
		const filename = fields.string('filename', { required: true });
		const contentType = fields.string('contentType', { required: true });
		fields.string('channel', { required: true });
		const fileSize = fields.number('fileSize', { min: 0 });
		fields.check();
		const conversation = state.conversation(conversationId as string);
		if (!conversation) throw notFound('Conversation');
		if (fileSize !== undefined && fileSize > MAX_LARGE_UPLOAD_BYTES) {
			throw new ApiError(413, { statusCode: 413, message: 'File size exceeds maximum allowed limit' });
		}
		const id = uuid(state);
		const extension = extensionOf(filename as string);
		const upload = {
			id,
			conversationId: conversation.id,
			filename: filename as string,
			contentType: contentType as string,
			filePath: `location/${state.locationId}/conversations/${conversation.id}/${id}${extension ? `.${extension}` : ''}`,
			expiresAt: state.now() + UPLOAD_URL_TTL_MS,
			maxFileSize: MAX_LARGE_UPLOAD_BYTES,
		};
		state.uploads.set(id, upload);
		return {
			uploadUrl: `${baseUrlOf(request)}/sandbox/uploads/${id}`,
			uploadId: id,
			filePath: upload.filePath,
			expiresAt: upload.expiresAt,
			maxFileSize: upload.maxFileSize,
		};
	});

	app.post('/conversations/messages/upload/complete', v2, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		const uploadId = fields.string('uploadId', { required: true });
		const filePath = fields.string('filePath', { required: true });
		fields.string('locationId', { required: true });
		const conversationId = fields.string('conversationId', { required: true });
		const filename = fields.string('filename', { required: true });
		fields.check();
		const upload = state.uploads.get(uploadId as string);
		if (!upload || !upload.data) {
			throw new ApiError(404, {
				statusCode: 404,
				message: 'File not found in storage - upload may have failed or URL expired',
			});
		}
		if (upload.filePath !== filePath) throw new ApiError(400, { statusCode: 400, message: 'filePath does not match the upload' });
		if (upload.conversationId !== conversationId) {
			throw new ApiError(400, { statusCode: 400, message: 'conversationId does not match the upload' });
		}
		state.uploads.delete(upload.id);
		const contentType = upload.receivedContentType || upload.contentType;
		const url = storeFile(state, baseUrlOf(request), filename as string, contentType, upload.data, upload.conversationId);
		return { uploadedFiles: { [filename as string]: url }, metadata: { size: upload.data.length, contentType } };
	});

	// The upload URL (a signed storage URL in the real API): takes the bytes of any content type.
	app.register(async (scope) => {
		scope.removeAllContentTypeParsers();
		scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_LARGE_UPLOAD_BYTES }, (_request, body, done) => done(null, body));
		scope.put('/sandbox/uploads/:uploadId', { config: { kind: 'public' }, bodyLimit: MAX_LARGE_UPLOAD_BYTES }, async (request, reply) => {
			const upload = state.uploads.get(paramsOf(request).uploadId);
			if (!upload) throw new ApiError(404, { statusCode: 404, message: 'Upload not found' });
			if (state.now() > upload.expiresAt) throw new ApiError(403, { statusCode: 403, message: 'The upload URL has expired' });
			const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
			upload.data = data;
			const type = request.headers['content-type'];
			upload.receivedContentType = typeof type === 'string' && type ? type : undefined;
			return reply.code(200).send('');
		});
	});

	app.get('/sandbox/files/:fileId/:fileName', { config: { kind: 'public' } }, async (request, reply) => {
		const file = state.files.get(paramsOf(request).fileId);
		if (!file) throw new ApiError(404, { statusCode: 404, message: 'File not found' });
		return reply.header('content-type', file.contentType).send(file.data);
	});
}
