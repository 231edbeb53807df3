/**
 * Message → Send and Wait for Response through the real engine: the message sent by
 * WorkflowExecute (exact request, links signed by n8n-core), the execution put to wait until the
 * limit, then the node's webhook() in n8n-core's WebhookContext over real HTTP (support/waiting.ts:
 * n8n 2.41's waiting-webhook handling, signature check included), and the resume through
 * WorkflowExecute with the answer, or with the input on the time limit.
 */
import { Container } from '@n8n/di';
import nock from 'nock';
import { ExecuteContext, generateUrlSignature, InstanceSettings, prepareUrlForSigning, WAITING_TOKEN_QUERY_PARAM } from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';
import { api, json, rl } from '../support/api';
import { BASE_URL, credentials, OAUTH_TOKEN } from '../support/engine';
import { EXECUTION_ID, NODE_ID, startWaiting, WAITING_BASE, type WaitingExecution } from '../support/waiting';
import { stopRecordingUnmatched, unmatchedRequests } from './support';

const sent = { conversationId: 'conv-1', messageId: 'msg-1', traceId: 't-1' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const SLACK_BOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';
const BOT_AGENTS = [
	SLACK_BOT,
	'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
	'WhatsApp/2.23.20.0 A',
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
	'',
];

let execution: WaitingExecution | undefined;
afterEach(async () => {
	stopRecordingUnmatched();
	await execution?.close();
	execution = undefined;
});
beforeAll(() => nock.enableNetConnect('127.0.0.1'));

/** The request body the API received, captured. */
function capture(path = '/conversations/messages', reply: IDataObject = sent, status = 201) {
	const bodies: IDataObject[] = [];
	const scope = api()
		.post(path, (body: IDataObject) => {
			bodies.push(body);
			return true;
		})
		.reply(status, reply);
	return { bodies, scope };
}

/** The URLs in a text. */
const linksIn = (text: string) => [...text.matchAll(/https?:\/\/\S+/g)].map(([url]) => url);

const base = { contactId: rl('c-1'), message: 'Can we book you for Tuesday at 10:00?' };

describe('Message > Send and Wait for Response', () => {
	describe('sending', () => {
		it('sends an SMS on the conversation channel with a signed link per answer and waits until the limit', async () => {
			const { bodies, scope } = capture();
			const before = Date.now();
			execution = await startWaiting({
				parameters: {
					...base,
					channel: 'SMS',
					responseType: 'approval',
					approvalOptions: { values: { approvalType: 'double', approveLabel: 'Yes, book it', disapproveLabel: 'No thanks' } },
					waitOptions: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } } },
				},
			});
			const after = Date.now();
			expect(scope.isDone()).toBe(true);
			expect(bodies).toHaveLength(1);
			const [approve, decline] = linksIn(String(bodies[0].message));
			expect(bodies[0]).toEqual({
				type: 'SMS',
				contactId: 'c-1',
				message: `Can we book you for Tuesday at 10:00?\n\nYes, book it: ${approve}\nNo thanks: ${decline}`,
			});
			// n8n-core's signed URLs: the execution, the node's ID (its webhook path), the answer, the signature.
			const secret = Container.get(InstanceSettings).hmacSignatureSecret;
			for (const [link, approved] of [
				[approve, 'true'],
				[decline, 'false'],
			] as const) {
				const url = new URL(link);
				expect(`${url.origin}${url.pathname}`).toBe(`${WAITING_BASE}/${EXECUTION_ID}/${NODE_ID}`);
				expect(url.searchParams.get('approved')).toBe(approved);
				expect(url.searchParams.get(WAITING_TOKEN_QUERY_PARAM)).toBe(generateUrlSignature(prepareUrlForSigning(url), secret));
			}
			const { first } = execution.run;
			expect(first.status).toBe('waiting');
			expect(first.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 45 * 60_000);
			expect(first.waitTill!.getTime()).toBeLessThanOrEqual(after + 45 * 60_000);
			expect(json(execution.run.sent)).toEqual([{ ...sent, waitingUntil: first.waitTill!.toISOString() }]);
		});

		it.each([
			['WhatsApp', 'WhatsApp'],
			['Live Chat', 'Live_Chat'],
			['Facebook', 'FB'],
			['Instagram', 'IG'],
		])('sends on %s with the link in the text, waiting with no limit when none is set', async (_name, channel) => {
			const { bodies } = capture();
			execution = await startWaiting({
				parameters: { ...base, channel, responseType: 'freeText', waitOptions: { messageButtonLabel: 'Answer here' } },
			});
			const [link] = linksIn(String(bodies[0].message));
			expect(bodies).toEqual([
				{ type: channel, contactId: 'c-1', message: `Can we book you for Tuesday at 10:00?\n\nAnswer here: ${link}` },
			]);
			expect(new URL(link).pathname).toBe(`/webhook-waiting/${EXECUTION_ID}/${NODE_ID}`);
			// n8n's "indefinitely": 3000-01-01.
			expect(execution.run.first.waitTill!.toISOString()).toBe('3000-01-01T00:00:00.000Z');
			expect(json(execution.run.sent)).toEqual([{ ...sent, waitingUntil: null }]);
		});

		it('sends an Email with the links as buttons in its HTML body, the text escaped', async () => {
			const { bodies } = capture();
			execution = await startWaiting({
				parameters: {
					...base,
					message: 'Quote <b>#12</b> & terms\nReply by Friday',
					channel: 'Email',
					emailSubject: 'Your quote',
					responseType: 'approval',
					approvalOptions: { values: { approvalType: 'double' } },
				},
			});
			expect(Object.keys(bodies[0]).sort()).toEqual(['contactId', 'html', 'subject', 'type']);
			expect(bodies[0]).toMatchObject({ type: 'Email', contactId: 'c-1', subject: 'Your quote' });
			const html = String(bodies[0].html);
			expect(html).toContain('Quote &lt;b&gt;#12&lt;/b&gt; &amp; terms<br>Reply by Friday');
			const buttons = [...html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map(([, href, label]) => [
				label,
				new URL(href.replace(/&amp;/g, '&')).searchParams.get('approved'),
			]);
			expect(buttons).toEqual([
				['Approve', 'true'],
				['Decline', 'false'],
			]);
		});

		it('sends through the agency connection as the sub-account named in Location ID (its location token)', async () => {
			nock(BASE_URL, { reqheaders: { authorization: `Bearer ${OAUTH_TOKEN}` } })
				.post('/oauth/locationToken', 'companyId=comp-1&locationId=loc-A')
				.reply(200, { access_token: 'location-token-A', token_type: 'Bearer', expires_in: 86399, locationId: 'loc-A' });
			const delivered = nock(BASE_URL, { reqheaders: { authorization: 'Bearer location-token-A' } })
				.post('/conversations/messages', (body: IDataObject) => body.type === 'SMS' && body.contactId === 'c-1')
				.reply(201, sent);
			execution = await startWaiting({
				parameters: { ...base, channel: 'SMS', responseType: 'approval', locationId: { __rl: true, mode: 'id', value: 'loc-A' } },
				credentials: credentials.agency(),
			});
			expect(delivered.isDone()).toBe(true);
			expect(execution.run.first.status).toBe('waiting');
		});

		it.each([
			[
				'a wait limit of 0',
				{ waitOptions: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0, resumeUnit: 'hours' } } } },
				'Amount',
			],
			[
				'a limit date in the past',
				{ waitOptions: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2020-01-01T00:00:00Z' } } } },
				'is in the past',
			],
			['a custom form without fields', { responseType: 'customForm' }, 'The form has no fields'],
			[
				'a dropdown without choices',
				{ responseType: 'customForm', formFields: { values: [{ fieldLabel: 'Day', fieldType: 'dropdown' }] } },
				'has no choices',
			],
			[
				'two fields with one label',
				{ responseType: 'customForm', formFields: { values: [{ fieldLabel: 'Day' }, { fieldLabel: 'Day' }] } },
				'is used twice',
			],
			['an empty message', { message: '  ' }, 'The "Message" field is empty'],
		])('refuses %s before sending anything', async (_case, parameters, message) => {
			const unmatched = unmatchedRequests();
			execution = await startWaiting({ parameters: { ...base, channel: 'SMS', ...parameters } });
			expect(execution.run.first.status).toBe('error');
			expect(execution.run.first.data.resultData.error?.message).toContain(message);
			expect(unmatched).toEqual([]);
		});

		it('a refused send fails the node and does not wait; with Continue On Fail the error is output, no wait', async () => {
			api().post('/conversations/messages').reply(400, { statusCode: 400, message: 'Contact has no phone number' });
			execution = await startWaiting({ parameters: { ...base, channel: 'SMS' } });
			expect(execution.run.first.status).toBe('error');
			expect(execution.run.first.waitTill).toBeUndefined();
			expect(execution.run.first.data.resultData.error?.message).toMatch(/Contact has no phone number|400/);
			await execution.close();

			api().post('/conversations/messages').reply(400, { statusCode: 400, message: 'Contact has no phone number' });
			execution = await startWaiting({ parameters: { ...base, channel: 'SMS' }, continueOnFail: true });
			expect(execution.run.first.waitTill).toBeUndefined();
			expect(execution.run.first.status).toBe('success');
			expect(String((execution.run.sent[0].json as IDataObject).error)).toMatch(/Contact has no phone number|400/);
		});

		it('on an n8n without signed resume URLs, the link is $execution.resumeUrl with the node and the answer', async () => {
			let owner: object = ExecuteContext.prototype;
			while (!Object.prototype.hasOwnProperty.call(owner, 'getSignedResumeUrl')) owner = Object.getPrototypeOf(owner) as object;
			const signed = Object.getOwnPropertyDescriptor(owner, 'getSignedResumeUrl')!;
			delete (owner as Record<string, unknown>).getSignedResumeUrl;
			try {
				const { bodies } = capture();
				execution = await startWaiting({ parameters: { ...base, channel: 'SMS', responseType: 'approval' } });
				const [link] = linksIn(String(bodies[0].message));
				const url = new URL(link);
				expect(`${url.origin}${url.pathname}`).toBe(`${WAITING_BASE}/${EXECUTION_ID}/${NODE_ID}`);
				expect(url.searchParams.get('approved')).toBe('true');
			} finally {
				Object.defineProperty(owner, 'getSignedResumeUrl', signed);
			}
		});
	});

	describe('answering', () => {
		async function approval(approvalType: 'single' | 'double') {
			const { bodies } = capture();
			execution = await startWaiting({
				parameters: { ...base, channel: 'SMS', responseType: 'approval', approvalOptions: { values: { approvalType } } },
				input: [{ json: { quoteId: 12 } }],
			});
			return linksIn(String(bodies[0].message));
		}

		it('approve: a GET (any, a preview bot or not) shows a page whose form posts; only the POST resumes, with approved true', async () => {
			const [approve] = await approval('single');
			for (const agent of BOT_AGENTS) {
				const page = await execution!.fetch(approve, { headers: { 'user-agent': agent } });
				expect(page.status).toBe(200);
				expect(page.contentType).toContain('text/html');
				expect(page.body).toContain('<form method="post"');
				expect(page.body).not.toMatch(/<form[^>]*action=/);
				expect(page.body).toContain('>Approve</button>');
			}
			expect(execution!.resumes).toHaveLength(0);
			expect(execution!.status).toBe('waiting');

			const answer = await execution!.fetch(approve, { method: 'POST', headers: FORM, body: '' });
			expect(answer.status).toBe(200);
			expect(answer.body).toContain('Got it, thanks');
			expect(execution!.status).toBe('finished');
			expect(execution!.resumes).toHaveLength(1);
			expect(execution!.resumes[0].status).toBe('success');
			const [item] = json(execution!.output!) as Array<{ data: { approved: boolean; respondedAt: string } }>;
			expect(item).toEqual({ data: { approved: true, respondedAt: expect.any(String) } });
			expect(Date.now() - Date.parse(item.data.respondedAt)).toBeLessThan(60_000);
		});

		it('decline: the POST of the decline link resumes with approved false', async () => {
			const [approve, decline] = await approval('double');
			expect((await execution!.fetch(decline)).body).toContain('>Decline</button>');
			await execution!.fetch(decline, { method: 'POST', headers: FORM, body: '' });
			expect(json(execution!.output!)).toEqual([{ data: { approved: false, respondedAt: expect.any(String) } }]);
			// The execution is over: the other link answers nothing more.
			const later = await execution!.fetch(approve, { method: 'POST', headers: FORM, body: '' });
			expect(later.body).toBe('No action required');
			expect(execution!.resumes).toHaveLength(1);
		});

		it('free text: the GET shows a text box; an empty answer is refused and resumes nothing; the text resumes', async () => {
			const { bodies } = capture();
			execution = await startWaiting({
				parameters: {
					...base,
					channel: 'WhatsApp',
					responseType: 'freeText',
					waitOptions: { responseFormTitle: 'Your booking', responseFormButtonLabel: 'Send answer' },
				},
			});
			const [link] = linksIn(String(bodies[0].message));
			const page = await execution.fetch(link, { headers: { 'user-agent': SLACK_BOT } });
			expect(page.body).toContain('<h1>Your booking</h1>');
			expect(page.body).toContain('<p>Can we book you for Tuesday at 10:00?</p>');
			expect(page.body).toContain('<textarea id="field-0" name="field-0" required></textarea>');
			expect(page.body).toContain('>Send answer</button>');

			const empty = await execution.fetch(link, { method: 'POST', headers: FORM, body: 'field-0=%20%20' });
			expect(empty.status).toBe(400);
			expect(empty.body).toContain('&quot;Response&quot; is required.');
			expect(execution.status).toBe('waiting');

			const answer = await execution.fetch(link, { method: 'POST', headers: FORM, body: 'field-0=Tuesday+works%2C+thanks+%3Cb%3E' });
			expect(answer.status).toBe(200);
			expect(json(execution.output!)).toEqual([{ data: { text: 'Tuesday works, thanks <b>', respondedAt: expect.any(String) } }]);
		});

		it('custom form: the fields defined in the node are shown and checked; the answer is keyed by their labels', async () => {
			const { bodies } = capture();
			execution = await startWaiting({
				parameters: {
					...base,
					channel: 'Live_Chat',
					responseType: 'customForm',
					formFields: {
						values: [
							{ fieldLabel: 'Preferred day', fieldType: 'dropdown', fieldOptions: 'Monday, Tuesday', requiredField: true },
							{ fieldLabel: 'Guests', fieldType: 'number', requiredField: true },
							{ fieldLabel: 'Email', fieldType: 'email' },
							{ fieldLabel: 'Notes', fieldType: 'textarea', placeholder: 'Anything else?' },
						],
					},
				},
			});
			const [link] = linksIn(String(bodies[0].message));
			const page = await execution.fetch(link);
			expect(page.body).toContain(
				'<select id="field-0" name="field-0" required><option value=""></option><option value="Monday">Monday</option><option value="Tuesday">Tuesday</option></select>',
			);
			expect(page.body).toContain('<input id="field-1" name="field-1" type="number" step="any" required>');
			expect(page.body).toContain('<textarea id="field-3" name="field-3" placeholder="Anything else?"></textarea>');

			for (const [body, problem] of [
				['field-0=Sunday&field-1=2', '&quot;Preferred day&quot; must be one of the choices offered.'],
				['field-0=Monday&field-1=two', '&quot;Guests&quot; must be a number.'],
				['field-0=Monday', '&quot;Guests&quot; is required.'],
				['field-0=Monday&field-1=2&field-2=not-an-address', '&quot;Email&quot; must be an email address.'],
			]) {
				const refused = await execution.fetch(link, { method: 'POST', headers: FORM, body });
				expect(refused.status).toBe(400);
				expect(refused.body).toContain(problem);
			}
			expect(execution.status).toBe('waiting');

			await execution.fetch(link, { method: 'POST', headers: FORM, body: 'field-0=Tuesday&field-1=3&field-2=&field-3=Window+seat' });
			expect(json(execution.output!)).toEqual([
				{ data: { 'Preferred day': 'Tuesday', Guests: 3, Email: null, Notes: 'Window seat', respondedAt: expect.any(String) } },
			]);
		});

		it('timeout: at the limit the execution resumes with the input items unchanged (no data)', async () => {
			const { bodies } = capture();
			execution = await startWaiting({
				parameters: {
					...base,
					channel: 'SMS',
					waitOptions: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 30, resumeUnit: 'seconds' } } },
				},
				input: [{ json: { quoteId: 12 } }],
			});
			const waitTill = execution.run.first.waitTill!.getTime();
			expect(waitTill - Date.now()).toBeLessThanOrEqual(30_000);
			expect(waitTill - Date.now()).toBeGreaterThan(20_000);
			const run = await execution.timeOut();
			expect(run.status).toBe('success');
			expect(json(execution.output!)).toEqual([{ quoteId: 12 }]);
			// A late answer resumes nothing.
			const [link] = linksIn(String(bodies[0].message));
			expect((await execution.fetch(link, { method: 'POST', headers: FORM, body: '' })).body).toBe('No action required');
			expect(execution.resumes).toHaveLength(1);
		});
	});

	describe('bad requests', () => {
		it('an unsigned, re-signed or altered link is refused (401) before the node runs; the execution still waits', async () => {
			const { bodies } = capture();
			execution = await startWaiting({
				parameters: { ...base, channel: 'SMS', responseType: 'approval', approvalOptions: { values: { approvalType: 'double' } } },
			});
			const [approve, decline] = linksIn(String(bodies[0].message));
			const unsigned = new URL(decline);
			unsigned.searchParams.delete(WAITING_TOKEN_QUERY_PARAM);
			const altered = decline.replace('approved=false', 'approved=true');
			const forged = approve.replace(/signature=[0-9a-f]+/, `signature=${'0'.repeat(64)}`);
			for (const link of [unsigned.toString(), altered, forged]) {
				for (const method of ['GET', 'POST']) {
					const answer = await execution.fetch(link, { method, headers: FORM, body: method === 'POST' ? '' : undefined });
					expect(answer.status).toBe(401);
				}
			}
			expect(execution.webhookCalls).toBe(0);
			expect(execution.status).toBe('waiting');
			// The real link still works.
			await execution.fetch(approve, { method: 'POST', headers: FORM, body: '' });
			expect(json(execution.output!)).toEqual([{ data: { approved: true, respondedAt: expect.any(String) } }]);
		});

		it('a validly signed link without a valid answer (approved=maybe, none) is answered 400 by the node and resumes nothing', async () => {
			capture();
			execution = await startWaiting({ parameters: { ...base, channel: 'SMS', responseType: 'approval' } });
			const secret = Container.get(InstanceSettings).hmacSignatureSecret;
			for (const query of ['?approved=maybe', '']) {
				const url = new URL(`${WAITING_BASE}/${EXECUTION_ID}/${NODE_ID}${query}`);
				url.searchParams.set(WAITING_TOKEN_QUERY_PARAM, generateUrlSignature(prepareUrlForSigning(url), secret));
				for (const method of ['GET', 'POST']) {
					const answer = await execution.fetch(url.toString(), { method, headers: FORM, body: method === 'POST' ? '' : undefined });
					expect(answer.status).toBe(400);
					expect(answer.body).toContain('This link is not valid');
				}
			}
			expect(execution.webhookCalls).toBe(4);
			expect(execution.status).toBe('waiting');
		});
	});
});
