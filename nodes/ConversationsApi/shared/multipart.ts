import { randomString } from 'n8n-workflow';

/** A text part of a multipart/form-data body. */
export interface MultipartField {
	name: string;
	value: string;
}

/** A file part of a multipart/form-data body. */
export interface MultipartFile {
	name: string;
	fileName: string;
	mimeType: string;
	data: Buffer;
}

export type MultipartPart = MultipartField | MultipartFile;

export interface MultipartBody {
	body: Buffer;
	boundary: string;
	/** The value of the request's Content-Type header. */
	contentType: string;
}

const CRLF = '\r\n';

function isFile(part: MultipartPart): part is MultipartFile {
	return (part as MultipartFile).data !== undefined;
}

/**
 * Escapes a name or file name for a quoted header parameter the way browsers do
 * (WHATWG HTML, multipart/form-data encoding): line breaks and quotes are percent-encoded.
 */
function escapeHeaderParameter(value: string): string {
	return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

function partHeader(part: MultipartPart): string {
	let disposition = `Content-Disposition: form-data; name="${escapeHeaderParameter(part.name)}"`;
	if (!isFile(part)) return `${disposition}${CRLF}${CRLF}`;
	disposition += `; filename="${escapeHeaderParameter(part.fileName)}"`;
	const mimeType = part.mimeType.replace(/[\r\n]/g, '').trim() || 'application/octet-stream';
	return `${disposition}${CRLF}Content-Type: ${mimeType}${CRLF}${CRLF}`;
}

function newBoundary(): string {
	return `----n8nFormBoundary${randomString(24)}`;
}

/**
 * Builds a multipart/form-data body in memory, in the order of `parts`. The body is a Buffer,
 * so it can be sent again as it is (an OAuth2 token refresh retries the request).
 */
export function buildMultipartBody(parts: MultipartPart[], boundary = newBoundary()): MultipartBody {
	const contents = parts.map((part) => (isFile(part) ? part.data : Buffer.from(part.value, 'utf8')));
	// A boundary must not occur inside any part: draw another one in the (unlikely) case it does.
	while (contents.some((content) => content.includes(boundary))) boundary = newBoundary();

	const chunks: Buffer[] = [];
	parts.forEach((part, index) => {
		chunks.push(Buffer.from(`--${boundary}${CRLF}${partHeader(part)}`, 'utf8'));
		chunks.push(contents[index]);
		chunks.push(Buffer.from(CRLF, 'utf8'));
	});
	chunks.push(Buffer.from(`--${boundary}--${CRLF}`, 'utf8'));

	return {
		body: Buffer.concat(chunks),
		boundary,
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}
