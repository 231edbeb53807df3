/** Test helper: reads back a multipart/form-data request body the way a server would. */

export interface ParsedPart {
	headers: Record<string, string>;
	name: string;
	fileName?: string;
	content: Buffer;
}

/**
 * nock hands a reply function the request body as UTF-8 text, or as hex when the bytes are not
 * UTF-8. A multipart body starts with "--", which hex never does.
 */
export function rawBody(body: unknown): Buffer {
	const text = String(body);
	return text.startsWith('--') ? Buffer.from(text, 'utf8') : Buffer.from(text, 'hex');
}

export function boundaryOf(contentType: string): string {
	const match = /^multipart\/form-data; boundary=(\S+)$/.exec(contentType);
	if (!match) throw new Error(`Not a multipart/form-data content type: ${contentType}`);
	return match[1];
}

export function parseMultipart(body: Buffer, boundary: string): ParsedPart[] {
	const delimiter = Buffer.from(`--${boundary}`);
	const closing = Buffer.from(`--${boundary}--\r\n`);
	if (!body.subarray(body.length - closing.length).equals(closing)) {
		throw new Error('The body does not end with the closing delimiter');
	}
	if (body.indexOf(delimiter) !== 0) throw new Error('The body does not start with the delimiter');

	const parts: ParsedPart[] = [];
	let start = delimiter.length;
	for (;;) {
		if (body.subarray(start, start + 2).toString() === '--') break;
		if (body.subarray(start, start + 2).toString() !== '\r\n') throw new Error('Bad delimiter line');
		start += 2;
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
		if (next < 0) throw new Error('Unterminated part');
		const part = body.subarray(start, next);
		const headerEnd = part.indexOf('\r\n\r\n');
		const headers: Record<string, string> = {};
		for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const disposition = headers['content-disposition'] ?? '';
		parts.push({
			headers,
			name: /; name="([^"]*)"/.exec(disposition)?.[1] ?? '',
			fileName: /; filename="([^"]*)"/.exec(disposition)?.[1],
			content: Buffer.from(part.subarray(headerEnd + 4)),
		});
		start = next + 2 + delimiter.length;
	}
	return parts;
}

/** The text parts as name → values. */
export function textParts(parts: ParsedPart[]): Array<[string, string]> {
	return parts.filter((part) => part.fileName === undefined).map((part) => [part.name, part.content.toString('utf8')]);
}
