/**
 * The pages and message bodies of Message → Send and Wait for Response: the links the message
 * carries, the page a link opens (a GET only shows it; its form POSTs the answer), the answer
 * read from the POST, and the page that says it was recorded. Plain HTML without scripts, every
 * value escaped.
 */

/** One link of the message: its label and the execution's waiting URL it opens. */
export interface ResponseLink {
	label: string;
	url: string;
}

/** A field of a Custom Form response, as defined in the node. */
export interface FormField {
	label: string;
	type: 'text' | 'textarea' | 'number' | 'email' | 'date' | 'dropdown';
	required: boolean;
	/** Dropdown choices. */
	choices: string[];
	placeholder: string;
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The message as text channels (SMS, WhatsApp, chat, social) get it: the text, then one line per link. */
export function textWithLinks(message: string, links: ResponseLink[]): string {
	return [message.trim(), '', ...links.map((link) => `${link.label}: ${link.url}`)].join('\n');
}

const BUTTON = [
	'display:inline-block',
	'margin:0 8px 8px 0',
	'padding:10px 20px',
	'border-radius:6px',
	'background:#155eef',
	'color:#ffffff',
	'font-weight:600',
	'text-decoration:none',
].join(';');

/** The message as an Email's HTML body: the text (line breaks kept), then a button per link. */
export function emailWithButtons(message: string, links: ResponseLink[]): string {
	const text = escapeHtml(message.trim()).replace(/\r?\n/g, '<br>');
	const buttons = links
		.map((link) => `<a href="${escapeHtml(link.url)}" target="_blank" rel="noopener" style="${BUTTON}">${escapeHtml(link.label)}</a>`)
		.join('\n');
	return `<div style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1d2939"><p>${text}</p>\n<p>${buttons}</p></div>`;
}

function page(title: string, body: string): string {
	return [
		'<!DOCTYPE html>',
		'<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
		'<meta name="robots" content="noindex, nofollow">',
		`<title>${escapeHtml(title)}</title>`,
		'<style>body{font-family:Arial,Helvetica,sans-serif;background:#f5f6f8;color:#1d2939;margin:0;padding:24px}',
		'main{max-width:480px;margin:40px auto;background:#fff;border-radius:10px;padding:24px;box-shadow:0 1px 4px rgba(0,0,0,.1)}',
		'h1{font-size:20px;margin:0 0 12px}p{white-space:pre-wrap}label{display:block;font-weight:600;margin:14px 0 4px}',
		'input,select,textarea{width:100%;box-sizing:border-box;padding:8px;border:1px solid #c8ccd4;border-radius:6px;font-size:15px}',
		'textarea{min-height:110px}button{margin-top:18px;padding:10px 22px;border:0;border-radius:6px;background:#155eef;color:#fff;font-size:15px;font-weight:600;cursor:pointer}',
		'.error{color:#b42318;font-weight:600}</style></head>',
		`<body><main>${body}</main></body></html>`,
	].join('\n');
}

/** The page's texts: its title, the text above the form and the submit button's label. */
export interface PageTexts {
	title: string;
	description: string;
	buttonLabel: string;
}

/**
 * The page a link opens: the texts and a form that POSTs to the same URL (no `action`: the
 * browser posts to the page's own URL, its query and signature included). Nothing is answered
 * by opening it, so a link preview (a bot's GET) answers nothing.
 */
export function formPage(texts: PageTexts, fields: FormField[], error = ''): string {
	const inputs = fields.map((field, index) => fieldHtml(field, `field-${index}`)).join('\n');
	return page(
		texts.title || 'Your response',
		[
			texts.title ? `<h1>${escapeHtml(texts.title)}</h1>` : '',
			texts.description ? `<p>${escapeHtml(texts.description)}</p>` : '',
			error ? `<p class="error">${escapeHtml(error)}</p>` : '',
			'<form method="post" enctype="application/x-www-form-urlencoded">',
			inputs,
			`<button type="submit">${escapeHtml(texts.buttonLabel)}</button>`,
			'</form>',
		]
			.filter(Boolean)
			.join('\n'),
	);
}

function fieldHtml(field: FormField, name: string): string {
	const required = field.required ? ' required' : '';
	const label = `<label for="${name}">${escapeHtml(field.label)}${field.required ? ' *' : ''}</label>`;
	const placeholder = field.placeholder ? ` placeholder="${escapeHtml(field.placeholder)}"` : '';
	if (field.type === 'textarea') return `${label}<textarea id="${name}" name="${name}"${placeholder}${required}></textarea>`;
	if (field.type === 'dropdown') {
		const options = field.choices.map((choice) => `<option value="${escapeHtml(choice)}">${escapeHtml(choice)}</option>`).join('');
		return `${label}<select id="${name}" name="${name}"${required}><option value=""></option>${options}</select>`;
	}
	const type = field.type === 'text' ? 'text' : field.type;
	const step = field.type === 'number' ? ' step="any"' : '';
	return `${label}<input id="${name}" name="${name}" type="${type}"${step}${placeholder}${required}>`;
}

/** A short page that only says something (the answer was recorded, the link is not valid). */
export function messagePage(title: string, text: string): string {
	return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);
}

export const RECORDED_PAGE = messagePage('Got it, thanks', 'Your response was recorded. This page can be closed now.');

/**
 * The answer in a POSTed form body, by field label, or the first problem found (a required
 * field left empty, a number that is not one, a choice that is not offered).
 */
export function readForm(fields: FormField[], body: unknown): { values: Record<string, string | number | null> } | { problem: string } {
	const posted = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
	const values: Record<string, string | number | null> = {};
	for (const [index, field] of fields.entries()) {
		const raw = posted[`field-${index}`];
		const text = (Array.isArray(raw) ? String(raw[0] ?? '') : typeof raw === 'string' ? raw : '').trim();
		if (!text) {
			if (field.required) return { problem: `"${field.label}" is required.` };
			values[field.label] = null;
			continue;
		}
		if (field.type === 'number') {
			const number = Number(text);
			if (!Number.isFinite(number)) return { problem: `"${field.label}" must be a number.` };
			values[field.label] = number;
		} else if (field.type === 'dropdown' && !field.choices.includes(text)) {
			return { problem: `"${field.label}" must be one of the choices offered.` };
		} else if (field.type === 'email' && !/^[^\s@]+@[^\s@]+$/.test(text)) {
			return { problem: `"${field.label}" must be an email address.` };
		} else {
			values[field.label] = text;
		}
	}
	return { values };
}
