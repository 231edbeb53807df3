import {
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { SCOPE } from '../../../credentials/constants';
import { itemError } from './errors';
import { locationIdField, messageIdField } from './fields';
import type { Operation } from './operation';
import { fieldText, requireField } from './preSend';

/**
 * Request options of an operation that answers with a file: the body is kept as raw bytes.
 * HTTP errors come back to `binaryDownload`, which reads the API's JSON error out of the bytes;
 * only 401 still fails the request itself, so that an expired OAuth2 token is refreshed and the
 * request retried.
 */
const fileResponseOptions: Pick<IHttpRequestOptions, 'encoding' | 'json' | 'ignoreHttpStatusErrors'> = {
	encoding: 'arraybuffer',
	json: false,
	ignoreHttpStatusErrors: { ignore: true, except: [401] },
};

/** The node parameter that names the output binary field. */
const BINARY_PROPERTY_PARAMETER = 'binaryPropertyName';

/** "Put Output File in Field": the binary field a downloaded file is written to. */
const outputBinaryField: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: BINARY_PROPERTY_PARAMETER,
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the output binary field to put the file in',
};

export interface BinaryDownloadOptions {
	/** File name when the response names none (e.g. from the item's message ID). */
	fallbackFileName: (this: IExecuteSingleFunctions) => string;
	/** MIME type when the response declares none. */
	fallbackMimeType: string;
	/** Extra metadata for the output item's json (e.g. the message ID). */
	metadata?: (this: IExecuteSingleFunctions) => IDataObject;
}

function headerValue(headers: IDataObject | undefined, name: string): string {
	if (!headers) return '';
	const key = Object.keys(headers).find((header) => header.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	if (Array.isArray(value)) return String(value[0] ?? '');
	return value === undefined || value === null ? '' : String(value);
}

/** The MIME type of a Content-Type header, without its parameters (e.g. `charset`). */
function mimeTypeFromContentType(contentType: string): string {
	const mimeType = contentType.split(';')[0].trim().toLowerCase();
	return /^[\w.+-]+\/[\w.+-]+$/.test(mimeType) ? mimeType : '';
}

/** Only the last path segment of a name, without characters that no file system accepts. */
function safeFileName(name: string): string {
	const base = name.split(/[\\/]/).pop() ?? '';
	// eslint-disable-next-line no-control-regex
	const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim();
	return cleaned === '.' || cleaned === '..' ? '' : cleaned;
}

/**
 * The file name of a Content-Disposition header: `filename*` (RFC 5987, UTF-8) first, then
 * `filename` (quoted or not). Empty when the header names none.
 */
function fileNameFromContentDisposition(disposition: string): string {
	const extended = /filename\*\s*=\s*([^;]+)/i.exec(disposition);
	if (extended) {
		const value = extended[1].trim().replace(/^"(.*)"$/, '$1');
		const encoded = value.replace(/^[\w-]*'[\w-]*'/, '');
		try {
			const decoded = safeFileName(decodeURIComponent(encoded));
			if (decoded) return decoded;
		} catch {
			// A malformed percent-encoding: fall back to the plain `filename` parameter.
		}
	}
	const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(disposition);
	if (!plain) return '';
	const value = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1];
	return safeFileName(value.trim());
}

function responseBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	if (body === undefined || body === null) return Buffer.alloc(0);
	return Buffer.from(JSON.stringify(body), 'utf8');
}

/**
 * postReceive: turns a file response (requested with `fileResponseOptions`) into one item whose binary field (named by "Put Output File in Field") holds the file.
 * The MIME type comes from Content-Type and the file name from Content-Disposition, else from
 * the fallbacks; the item's json carries the file's metadata.
 */
function binaryDownload(options: BinaryDownloadOptions) {
	return async function (
		this: IExecuteSingleFunctions,
		_items: INodeExecutionData[],
		response: IN8nHttpFullResponse,
	): Promise<INodeExecutionData[]> {
		const propertyName = String(this.getNodeParameter(BINARY_PROPERTY_PARAMETER, 'data') ?? '').trim();
		if (!propertyName) {
			throw itemError.call(
				this,
				'The "Put Output File in Field" field is empty',
				'Enter the name of the output binary field to put the file in, e.g. "data".',
			);
		}
		const buffer = responseBuffer(response.body);
		if (response.statusCode >= 400) {
			// The API's JSON error in the raw bytes: routingRequest retries and maps it like every other failure.
			throw Object.assign(new Error(`The API answered ${response.statusCode}`), {
				httpCode: String(response.statusCode),
				response: { status: response.statusCode, data: buffer, headers: response.headers },
			});
		}
		const mimeType = mimeTypeFromContentType(headerValue(response.headers, 'content-type')) || options.fallbackMimeType;
		const fileName =
			fileNameFromContentDisposition(headerValue(response.headers, 'content-disposition')) ||
			safeFileName(options.fallbackFileName.call(this)) ||
			'file';

		const binaryData = await this.helpers.prepareBinaryData(buffer, fileName, mimeType);
		return [
			{
				json: {
					...(options.metadata?.call(this) ?? {}),
					fileName,
					mimeType,
					fileSize: buffer.length,
				},
				binary: { [propertyName]: binaryData },
			},
		];
	};
}

/** What tells one download of a call's file (by its message ID) from another. */
export interface CallFileDownload {
	name: string;
	value: string;
	action: string;
	description: string;
	/** The path, with `{messageId}` and `{locationId}`. */
	url: string;
	/** The file name when the answer names none: `<fileNamePrefix>-<messageId>.<extension>`. */
	fileNamePrefix: string;
	extension: string;
	fallbackMimeType: string;
}

/**
 * A call's file (Call → Get Recording, Download Transcription): one GET by message ID whose
 * answer becomes one item with the file in "Put Output File in Field".
 */
export function callFileDownload(download: CallFileDownload): Operation {
	return {
		option: {
			name: download.name,
			value: download.value,
			action: download.action,
			description: download.description,
			routing: {
				request: { method: 'GET', url: download.url, ...fileResponseOptions },
				send: { preSend: [requireField(BINARY_PROPERTY_PARAMETER, outputBinaryField.displayName)] },
				output: {
					postReceive: [
						binaryDownload({
							fallbackFileName() {
								return `${download.fileNamePrefix}-${fieldText.call(this, 'messageId')}.${download.extension}`;
							},
							fallbackMimeType: download.fallbackMimeType,
							metadata() {
								return { messageId: fieldText.call(this, 'messageId') };
							},
						}),
					],
				},
			},
		},
		fields: [messageIdField, outputBinaryField, locationIdField],
		facts: { scope: SCOPE.messageRead, scopeListed: true, ids: { messageId: 'Message' } },
	};
}
