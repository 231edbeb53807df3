import { type Operation } from '../../shared/operation';
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { contactIdField, conversationField, locationIdField } from '../../shared/fields';
import { buildMultipartBody, type MultipartPart } from '../../shared/multipart';
import { itemError } from '../../shared/errors';
import { getLocationId } from '../../shared/credentials';
import { SCOPE } from '../../../../credentials/constants';

const BINARY_FIELD_LABEL = 'Input Binary Field(s)';

/** The part name the API reads the files from. */
const FILE_PART_NAME = 'fileAttachment';

function listValue(raw: unknown): string[] {
	const values = Array.isArray(raw) ? raw : String(raw ?? '').split(',');
	return values.map((value) => String(value ?? '').trim()).filter((value) => value);
}

function requiredText(this: IExecuteSingleFunctions, parameter: string, label: string): string {
	const raw = this.getNodeParameter(parameter, '', { extractValue: true }) as unknown;
	const value = raw === undefined || raw === null ? '' : String(raw).trim();
	if (!value) {
		throw itemError.call(this, `The "${label}" field is empty`, `Enter a value for "${label}".`);
	}
	return value;
}

/** The files named by "Input Binary Field(s)", as multipart parts named `fileAttachment`. */
async function fileParts(this: IExecuteSingleFunctions): Promise<MultipartPart[]> {
	const names = [...new Set(listValue(this.getNodeParameter('binaryPropertyName', 'data')))];
	if (!names.length) {
		throw itemError.call(
			this,
			`The "${BINARY_FIELD_LABEL}" field is empty`,
			'Enter the name of the binary field that holds the file, e.g. "data" (several: comma-separated).',
		);
	}
	const available = Object.keys(this.getInputData().binary ?? {});
	const parts: MultipartPart[] = [];
	for (const name of names) {
		if (!available.includes(name)) {
			throw itemError.call(
				this,
				`The "${BINARY_FIELD_LABEL}" field names "${name}", but the input item has no binary data "${name}"`,
				available.length
					? `The input item's binary fields: ${available.map((field) => `"${field}"`).join(', ')}.`
					: 'The input item has no binary data at all. Read or download the file in an earlier node.',
			);
		}
		const metadata = this.helpers.assertBinaryData(name);
		const data = await this.helpers.getBinaryDataBuffer(name);
		const fileName = metadata.fileName || (metadata.fileExtension ? `${name}.${metadata.fileExtension}` : name);
		parts.push({
			name: FILE_PART_NAME,
			fileName,
			mimeType: metadata.mimeType || 'application/octet-stream',
			data,
		});
	}
	return parts;
}

/**
 * preSend: builds the multipart/form-data body: one `fileAttachment` part per input file, then
 * `conversationId`, `contactId`, `locationId` and one `attachmentUrls` part per URL.
 */
async function sendUploadForm(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const files = await fileParts.call(this);
	const conversationId = requiredText.call(this, 'conversationId', 'Conversation');
	const contactId = requiredText.call(this, 'contactId', 'Contact');
	const locationId = await getLocationId.call(this);
	const attachmentUrls = listValue(this.getNodeParameter('additionalFields.attachmentUrls', ''));

	const { body, contentType } = buildMultipartBody([
		...files,
		{ name: 'conversationId', value: conversationId },
		{ name: 'contactId', value: contactId },
		{ name: 'locationId', value: locationId },
		...attachmentUrls.map((url) => ({ name: 'attachmentUrls', value: url })),
	]);
	requestOptions.body = body;
	requestOptions.headers = { ...((requestOptions.headers as IDataObject) ?? {}), 'content-type': contentType };
	return requestOptions;
}

const fields: INodeProperties[] = [
	conversationField,
	contactIdField,
	{
		displayName: 'Input Binary Field(s)',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data, invoice',
		hint: 'The name of the input binary field holding the file; several files: their field names, comma-separated',
		description: 'Allowed file types: JPG, JPEG, PNG, MP4, MPEG, ZIP, RAR, PDF, DOC, DOCX, TXT, MP3, WAV',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Attachment URLs',
				name: 'attachmentUrls',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/files/price-list.pdf',
				description: 'URLs of files already online to add beside the uploaded ones, comma-separated or an array',
			},
		],
	},
	locationIdField,
];

export const upload: Operation = {
	option: {
		name: 'Upload',
		value: 'upload',
		action: 'Upload files',
		description: 'Upload files from binary fields to use as message attachments, and get their URLs',
		routing: {
			request: { method: 'POST', url: '/conversations/messages/upload' },
			send: { preSend: [sendUploadForm] },
		},
	},
	fields,
	facts: { scope: SCOPE.messageWrite, scopeListed: true, ids: { conversationId: 'Conversation', contactId: 'Contact' } },
};
