import {
	NodeOperationError,
	WAIT_INDEFINITELY,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { contactIdField } from '../../shared/fields';
import { itemView } from '../../shared/itemExecution';
import type { Operation } from '../../shared/operation';
import {
	emailWithButtons,
	formPage,
	messagePage,
	readForm,
	RECORDED_PAGE,
	textWithLinks,
	type FormField,
	type PageTexts,
	type ResponseLink,
} from '../../shared/responsePage';
import { apiRequest } from '../../shared/transport';
import { SCOPE } from '../../../../credentials/constants';

/**
 * Message → Send and Wait for Response (human in the loop), in n8n's convention: a programmatic
 * operation of the declarative node (`customOperations`) and the node's own waiting webhook. The
 * message goes out as Message → Send sends it (POST /conversations/messages through apiRequest:
 * paced, retried where safe, agency tokens), with links to the execution's waiting webhook; the
 * execution waits. A link's GET only shows a page (link previews of chat apps and mail scanners
 * send GETs); the page's form POSTs the answer, and only that resumes the execution. On a time
 * limit the execution resumes with the node's input items unchanged, as n8n's own nodes do.
 */

/** n8n's name for the operation (n8n-workflow's SEND_AND_WAIT_OPERATION): n8n checks resume links by it. */
const OPERATION = 'sendAndWait';

/** The channels the message can go out on, as Message → Send's Channel names them (SendMessageBodyDto.type). */
const CHANNELS = [
	{ name: 'Email', value: 'Email', description: 'Buttons in the HTML body' },
	{ name: 'Facebook', value: 'FB' },
	{ name: 'Instagram', value: 'IG' },
	{ name: 'Live Chat', value: 'Live_Chat' },
	{ name: 'SMS', value: 'SMS' },
	{ name: 'WhatsApp', value: 'WhatsApp' },
];

const FIELD_TYPES = [
	{ name: 'Date', value: 'date' },
	{ name: 'Dropdown', value: 'dropdown' },
	{ name: 'Email', value: 'email' },
	{ name: 'Number', value: 'number' },
	{ name: 'Text', value: 'text' },
	{ name: 'Textarea', value: 'textarea' },
];

const fields: INodeProperties[] = [
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: CHANNELS,
		default: 'SMS',
		description: 'The channel to send the message on: text channels get the links as plain URLs, an Email gets buttons',
	},
	contactIdField,
	{
		displayName: 'Subject',
		name: 'emailSubject',
		type: 'string',
		default: '',
		placeholder: 'e.g. Approval required',
		description: 'Subject line of the email',
		displayOptions: { show: { channel: ['Email'] } },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. May we book you in for Tuesday at 10:00?',
		description: 'Text of the message; the response links (or, for Email, buttons) are added after it',
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		options: [
			{ name: 'Approval', value: 'approval', description: 'The contact approves (or declines) by following a link' },
			{ name: 'Free Text', value: 'freeText', description: 'The contact answers in a form with one text box' },
			{ name: 'Custom Form', value: 'customForm', description: 'The contact fills in a form with the fields defined here' },
		],
	},
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { responseType: ['approval'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						default: 'single',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Decline', value: 'double' },
						],
					},
					{
						displayName: 'Approve Button Label',
						name: 'approveLabel',
						type: 'string',
						default: 'Approve',
					},
					{
						displayName: 'Decline Button Label',
						name: 'disapproveLabel',
						type: 'string',
						default: 'Decline',
						displayOptions: { show: { approvalType: ['double'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Form Fields',
		name: 'formFields',
		type: 'fixedCollection',
		placeholder: 'Add Form Field',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		displayOptions: { show: { responseType: ['customForm'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Choices',
						name: 'fieldOptions',
						type: 'string',
						default: '',
						placeholder: 'e.g. Monday, Tuesday, Wednesday',
						description: 'The choices of the dropdown, comma-separated',
						displayOptions: { show: { fieldType: ['dropdown'] } },
					},
					{
						displayName: 'Field Label',
						name: 'fieldLabel',
						type: 'string',
						default: '',
						placeholder: 'e.g. Preferred day',
						description: 'Label shown above the field; also the key of the answer in the output',
						required: true,
					},
					{
						displayName: 'Field Type',
						name: 'fieldType',
						type: 'options',
						default: 'text',
						options: FIELD_TYPES,
					},
					{
						displayName: 'Placeholder',
						name: 'placeholder',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Required Field',
						name: 'requiredField',
						type: 'boolean',
						default: false,
						description: 'Whether the form can only be sent with this field filled in',
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Limit Wait Time',
				name: 'limitWaitTime',
				type: 'fixedCollection',
				default: { values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'hours' } },
				description: 'Whether to stop waiting after a time: the execution then goes on with the input items unchanged (no "data")',
				options: [
					{
						displayName: 'Values',
						name: 'values',
						values: [
							{
								displayName: 'Limit Type',
								name: 'limitType',
								type: 'options',
								default: 'afterTimeInterval',
								options: [
									{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Waits for a certain amount of time' },
									{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Waits until a date and time' },
								],
							},
							{
								displayName: 'Amount',
								name: 'resumeAmount',
								type: 'number',
								typeOptions: { minValue: 0, numberPrecision: 2 },
								default: 1,
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							},
							{
								displayName: 'Unit',
								name: 'resumeUnit',
								type: 'options',
								default: 'hours',
								options: [
									{ name: 'Seconds', value: 'seconds' },
									{ name: 'Minutes', value: 'minutes' },
									{ name: 'Hours', value: 'hours' },
									{ name: 'Days', value: 'days' },
								],
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							},
							{
								displayName: 'Max Date and Time',
								name: 'maxDateAndTime',
								type: 'dateTime',
								default: '',
								description: 'When to stop waiting',
								displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
							},
						],
					},
				],
			},
			{
				displayName: 'Message Link Label',
				name: 'messageButtonLabel',
				type: 'string',
				default: 'Respond',
				description: 'Label of the link (or button) to the form, for Free Text and Custom Form',
			},
			{
				displayName: 'Response Form Button Label',
				name: 'responseFormButtonLabel',
				type: 'string',
				default: 'Submit',
				description: 'Label of the button that sends the form',
			},
			{
				displayName: 'Response Form Description',
				name: 'responseFormDescription',
				type: 'string',
				default: '',
				description: 'Text above the form; empty: the message',
			},
			{
				displayName: 'Response Form Title',
				name: 'responseFormTitle',
				type: 'string',
				default: '',
				description: 'Title of the page the link opens',
			},
		],
	},
];

export const sendAndWait: Operation = {
	option: {
		name: 'Send and Wait for Response',
		value: OPERATION,
		action: 'Send message and wait for response',
		description:
			"Send a message to a contact with links to approve, decline or answer a form, and pause the workflow until the contact answers (or a time limit passes). Use it when a person must confirm before the workflow goes on. Returns the answer under data: approved, text or the form's fields, and respondedAt.",
		// Run by `execute` below (customOperations); the request it sends, as the README table lists it.
		routing: { request: { method: 'POST', url: '/conversations/messages' } },
	},
	fields,
	facts: {
		scope: SCOPE.messageWrite,
		scopeListed: true,
		ids: { contactId: 'Contact' },
		sendsMessage: true,
	},
	execute,
};

/** The node's waiting webhooks: the page (GET) and the answer (POST), on the node's ID (n8n's send-and-wait paths). */
export const sendAndWaitWebhooks: IWebhookDescription[] = (['GET', 'POST'] as const).map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

/** What the canvas says while the node waits. */
export const sendAndWaitTooltip = `={{ $parameter["operation"] === "${OPERATION}" ? "The execution goes on when the contact answers (or the time limit passes)" : "" }}`;

const UNIT_MS: Record<string, number> = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

type Parameter = (name: string, fallback: unknown) => unknown;

/** The form a Custom Form response shows, checked: labels set and different, dropdowns with choices. */
function formFields(parameter: Parameter, fail: (message: string, description: string) => Error): FormField[] {
	const defined = (parameter('formFields.values', []) ?? []) as IDataObject[];
	if (!defined.length)
		throw fail('The form has no fields', 'Add at least one field under "Form Fields", or choose the Free Text response type.');
	const seen = new Set<string>();
	return defined.map((field, index) => {
		const label = String(field.fieldLabel ?? '').trim();
		if (!label) throw fail(`Form field ${index + 1} has no label`, 'Enter its "Field Label": it is also the key of the answer.');
		if (seen.has(label) || label === 'respondedAt') {
			throw fail(
				`Form field label "${label}" is used twice`,
				'Each field needs its own label ("respondedAt" is taken): the answer is keyed by it.',
			);
		}
		seen.add(label);
		const type = String(field.fieldType ?? 'text') as FormField['type'];
		const choices = String(field.fieldOptions ?? '')
			.split(',')
			.map((choice) => choice.trim())
			.filter(Boolean);
		if (type === 'dropdown' && !choices.length) {
			throw fail(`The dropdown "${label}" has no choices`, 'Enter its "Choices", comma-separated.');
		}
		return { label, type, required: field.requiredField === true, choices, placeholder: String(field.placeholder ?? '') };
	});
}

/** The page's texts from the Options (the message when no description is set). */
function pageTexts(parameter: Parameter, buttonLabel?: string): PageTexts {
	const options = (parameter('waitOptions', {}) ?? {}) as IDataObject;
	return {
		title: String(options.responseFormTitle ?? ''),
		description: String(options.responseFormDescription || parameter('message', '') || ''),
		buttonLabel: buttonLabel ?? String(options.responseFormButtonLabel || 'Submit'),
	};
}

/** When to stop waiting: the Limit Wait Time option, else never. */
function waitTill(this: IExecuteFunctions, now: number): Date {
	const options = this.getNodeParameter('waitOptions', 0, {}) as IDataObject;
	const limit = (options.limitWaitTime as IDataObject | undefined)?.values as IDataObject | undefined;
	if (!limit) return WAIT_INDEFINITELY;
	const fail = (message: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex: 0, description: 'Check "Limit Wait Time" in the Options.' });
	if (limit.limitType === 'atSpecifiedTime') {
		const at = new Date(String(limit.maxDateAndTime ?? ''));
		if (!limit.maxDateAndTime || Number.isNaN(at.getTime())) throw fail('"Max Date and Time" is not a date');
		if (at.getTime() <= now) throw fail(`"Max Date and Time" (${at.toISOString()}) is in the past: nobody could answer`);
		return at;
	}
	const amount = Number(limit.resumeAmount);
	const unit = UNIT_MS[String(limit.resumeUnit ?? 'hours')];
	if (!Number.isFinite(amount) || amount <= 0 || !unit) throw fail('"Amount" of Limit Wait Time must be a number above 0');
	return new Date(now + amount * unit);
}

/**
 * The execution's waiting URL for this node with the given query: signed by n8n where it signs
 * them (n8n checks the signature before the node sees the request), else `$execution.resumeUrl`
 * on older n8n.
 */
function resumeUrl(this: IExecuteFunctions, query: Record<string, string>): string {
	const context = this as IExecuteFunctions & { setSignatureValidationRequired?: () => void };
	if (typeof context.getSignedResumeUrl === 'function') {
		// n8n 1.x checks signatures only for executions that ask for it; 2.x always does.
		context.setSignatureValidationRequired?.();
		return context.getSignedResumeUrl(query);
	}
	const [base, baseQuery] = String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0)).split('?');
	const search = [baseQuery, ...Object.entries(query).map(([key, value]) => `${key}=${encodeURIComponent(value)}`)].filter(Boolean);
	return `${base.replace(/\/+$/, '')}/${encodeURIComponent(this.getNode().id)}${search.length ? `?${search.join('&')}` : ''}`;
}

/** The links of the message, by response type. */
function responseLinks(this: IExecuteFunctions, responseType: string): ResponseLink[] {
	if (responseType !== 'approval') {
		const options = this.getNodeParameter('waitOptions', 0, {}) as IDataObject;
		return [{ label: String(options.messageButtonLabel || 'Respond'), url: resumeUrl.call(this, {}) }];
	}
	const approval = this.getNodeParameter('approvalOptions.values', 0, {}) as IDataObject;
	const approve = { label: String(approval.approveLabel || 'Approve'), url: resumeUrl.call(this, { approved: 'true' }) };
	if (approval.approvalType !== 'double') return [approve];
	return [approve, { label: String(approval.disapproveLabel || 'Decline'), url: resumeUrl.call(this, { approved: 'false' }) }];
}

/**
 * Sends the message (for the first input item, as n8n's Send and Wait operations do: the execution
 * waits once, for one answer) and puts the execution to wait. Everything the links and the page
 * need is checked first, so a message that could never be answered is not sent.
 */
async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const fail = (message: string, description: string) => new NodeOperationError(this.getNode(), message, { itemIndex: 0, description });
	const parameter: Parameter = (name, fallback) => this.getNodeParameter(name, 0, fallback);
	const channel = String(parameter('channel', 'SMS'));
	const message = String(parameter('message', '') ?? '').trim();
	const responseType = String(parameter('responseType', 'approval'));
	if (!message) throw fail('The "Message" field is empty', 'Enter the text the contact answers; the links are added after it.');
	if (responseType === 'customForm') formFields(parameter, fail);
	const until = waitTill.call(this, Date.now());
	const links = responseLinks.call(this, responseType);

	const item = itemView(this, 0);
	const contact = parameter('contactId', '') as unknown;
	const contactId = String((contact !== null && typeof contact === 'object' ? (contact as IDataObject).value : contact) ?? '').trim();
	if (!contactId) throw fail('The "Contact" field is empty', 'Pick the contact to send the message to, or enter its ID.');
	const body: IDataObject =
		channel === 'Email'
			? {
					type: channel,
					contactId,
					subject: String(parameter('emailSubject', '') || 'Your response is needed'),
					html: emailWithButtons(message, links),
				}
			: { type: channel, contactId, message: textWithLinks(message, links) };
	// A mapped error (it says what to fix) fails the node, or with Continue On Fail is the output: no wait.
	let failure: Error | undefined;
	const sent = await apiRequest
		.call(item, 'POST', '/conversations/messages', {}, { scope: SCOPE.messageWrite, scopeListed: true, body })
		.catch((error: Error) => {
			failure = error;
			return {};
		});
	if (failure) {
		if (this.continueOnFail()) return [[{ json: { error: failure.message }, pairedItem: { item: 0 } }]];
		throw failure;
	}
	await this.putExecutionToWait(until);
	// While it waits, the run shows what was sent; on resume n8n replaces this output with the answer
	// (or, on the time limit, with the input items).
	return [
		[
			{
				json: { ...sent, waitingUntil: until.getTime() === WAIT_INDEFINITELY.getTime() ? null : until.toISOString() },
				pairedItem: { item: 0 },
			},
		],
	];
}

function answerPage(response: ReturnType<IWebhookFunctions['getResponseObject']>, status: number, html: string): IWebhookResponseData {
	response.status(status);
	response.setHeader('Content-Type', 'text/html; charset=utf-8');
	response.setHeader('Cache-Control', 'no-store');
	response.setHeader('X-Robots-Tag', 'noindex');
	response.send(html);
	return { noWebhookResponse: true };
}

const answered = (data: IDataObject): IWebhookResponseData => ({
	webhookResponse: RECORDED_PAGE,
	workflowData: [[{ json: { data: { ...data, respondedAt: new Date().toISOString() } } }]],
});

/**
 * The node's waiting webhook (n8n has checked the link's signature, where it signs them). A GET
 * shows the page and changes nothing; a POST with a valid answer resumes the execution with it.
 * Anything else is answered with a page and resumes nothing.
 */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const response = this.getResponseObject();
	const method = String(request.method).toUpperCase();
	const parameter: Parameter = (name, fallback) => this.getNodeParameter(name, fallback);
	const responseType = String(parameter('responseType', 'approval'));
	const invalid = () => answerPage(response, 400, messagePage('This link is not valid', 'Use the link from the message as it was sent.'));
	if (method !== 'GET' && method !== 'POST') return answerPage(response, 405, messagePage('Not allowed', 'Open the link in a browser.'));

	if (responseType === 'approval') {
		const approved = (request.query as IDataObject | undefined)?.approved;
		if (approved !== 'true' && approved !== 'false') return invalid();
		if (method === 'POST') return answered({ approved: approved === 'true' });
		const approval = parameter('approvalOptions.values', {}) as IDataObject;
		const label = approved === 'true' ? approval.approveLabel || 'Approve' : approval.disapproveLabel || 'Decline';
		return answerPage(response, 200, formPage(pageTexts(parameter, String(label)), []));
	}

	const fail = (message: string, description: string) => new NodeOperationError(this.getNode(), message, { description });
	const form: FormField[] =
		responseType === 'customForm'
			? formFields(parameter, fail)
			: [{ label: 'Response', type: 'textarea', required: true, choices: [], placeholder: '' }];
	const texts = pageTexts(parameter);
	if (method === 'GET') return answerPage(response, 200, formPage(texts, form));
	const answer = readForm(form, this.getBodyData());
	if ('problem' in answer) return answerPage(response, 400, formPage(texts, form, answer.problem));
	return answered(responseType === 'customForm' ? answer.values : { text: answer.values.Response });
}
