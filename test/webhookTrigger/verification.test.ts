/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test: made-up secrets on purpose */
/**
 * Every verification path and attack, through real HTTP into n8n's stand-in webhook server
 * (test/support/webhook.ts: body read into rawBody and parsed as n8n does, the node's webhook() in
 * n8n-core's WebhookContext, an execution through WorkflowExecute when it returns items). Each case
 * asserts the status answered, that the answer says nothing of the reason, and how many executions
 * started.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { HIGHLEVEL_ED25519_PUBLIC_KEY, HIGHLEVEL_LEGACY_RSA_PUBLIC_KEY } from '../../nodes/HighLevelWebhookTrigger/verify';
import { repoRoot } from '../support/workflow';
import { event, newSigner, post, postSigned, serve, useWebhookServers } from './helpers';

useWebhookServers();

const signer = newSigner();
const verified = { events: ['InboundMessage'], publicKey: signer.publicKeyPem };
const UNAUTHORIZED = JSON.stringify({ message: 'Unauthorized' });

/** A body as HighLevel serialises it (with spaces, key order of its own): verified as received. */
const body = (extra = {}) => JSON.stringify(event('InboundMessage', 0, extra), null, 1);

describe('HighLevel signature (Ed25519 over the raw bytes)', () => {
	it('a genuine event: 200, one execution with the payload', async () => {
		const server = await serve(verified);
		const text = body();
		const answer = await postSigned(server.url, signer, text);
		expect(answer).toEqual({ status: 200, text: JSON.stringify({ message: 'Workflow was started' }) });
		const [run] = await server.idle();
		expect(run.error).toBeUndefined();
		expect(run.json('Next')).toEqual([expect.objectContaining({ ...JSON.parse(text), event: 'InboundMessage' })]);
	});

	it('the bytes as received are verified, not a re-serialisation: odd spacing and unicode escapes pass', async () => {
		const server = await serve(verified);
		const text = `{ "type":"InboundMessage" ,"locationId":"loc-1","body":"caf\\u00e9 \u{1F600}","messageId":"m-1","webhookId":"w-odd","timestamp":"${new Date().toISOString()}" }`;
		expect((await postSigned(server.url, signer, text)).status).toBe(200);
		const [run] = await server.idle();
		expect(run.json('Next')[0]).toMatchObject({ body: 'café 😀', webhookId: 'w-odd' });
	});

	/** The body with one byte changed that keeps it valid JSON (so n8n's parser lets it through). */
	function changeOneByte(text: string, target: string, offset: number): Buffer {
		const bytes = Buffer.from(text);
		const at = bytes.indexOf(target) + offset;
		expect(at).toBeGreaterThanOrEqual(offset);
		bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61; // 'a' <-> 'b' (or any letter -> 'a')
		return bytes;
	}

	it.each([
		['the first letter of the message', 'This is a test message', 0],
		['a letter in the middle of the message', 'This is a test message', 11],
		['the last letter of the message', 'This is a test message', 21],
		['a letter of a key', '"locationId"', 1],
		['a letter of the location ID', 'l1C08ntBrFjLS0elLIYU', 5],
		['a letter of the webhookId', '"webhookId": "', 14],
	])('a body changed by one byte (%s): 401, no execution', async (_name, target, offset) => {
		const server = await serve(verified);
		const text = body();
		const answer = await post(server.url, changeOneByte(text, target, offset), { 'x-ghl-signature': signer.sign(text) });
		expect(answer.status).toBe(401);
		expect(answer.text).toBe(UNAUTHORIZED);
		expect(server.executions).toHaveLength(0);
	});

	it('a body with a byte appended (trailing newline): 401', async () => {
		const server = await serve(verified);
		const text = body();
		const answer = await post(server.url, `${text}\n`, { 'x-ghl-signature': signer.sign(text) });
		expect(answer.status).toBe(401);
		expect(server.executions).toHaveLength(0);
	});

	it('signed with another key: 401, no execution', async () => {
		const server = await serve(verified);
		const answer = await postSigned(server.url, newSigner(), body());
		expect(answer).toEqual({ status: 401, text: UNAUTHORIZED });
		expect(server.executions).toHaveLength(0);
	});

	it("with the default key (HighLevel's published one), a body signed by anyone else is refused", async () => {
		const server = await serve({ events: ['InboundMessage'] });
		expect((await postSigned(server.url, signer, body())).status).toBe(401);
		expect(server.executions).toHaveLength(0);
	});

	it.each([
		['no signature header', {}],
		['an empty header', { 'x-ghl-signature': '' }],
		['HighLevel\'s "N/A"', { 'x-ghl-signature': 'N/A' }],
		['not base64', { 'x-ghl-signature': 'not a signature!' }],
		['63 bytes', { 'x-ghl-signature': Buffer.alloc(63, 1).toString('base64') }],
		['64 zero bytes', { 'x-ghl-signature': Buffer.alloc(64).toString('base64') }],
		['an HMAC-looking hex value', { 'x-ghl-signature': 'a'.repeat(64) }],
	])('%s: 401, no execution', async (_name, headers) => {
		const server = await serve(verified);
		const answer = await post(server.url, body(), headers as Record<string, string>);
		expect(answer).toEqual({ status: 401, text: UNAUTHORIZED });
		expect(server.executions).toHaveLength(0);
	});

	it('the signature of another body (a replayed header): 401', async () => {
		const server = await serve(verified);
		const answer = await post(server.url, body(), { 'x-ghl-signature': signer.sign(body()) });
		expect(answer.status).toBe(401);
		expect(server.executions).toHaveLength(0);
	});

	it('a signed body that is not JSON (text/plain): 400, no execution; the same unsigned: 401', async () => {
		const server = await serve(verified);
		const text = '{"type":"InboundMessage",';
		expect(await postSigned(server.url, signer, text, { 'content-type': 'text/plain' })).toEqual({
			status: 400,
			text: JSON.stringify({ message: 'Bad Request' }),
		});
		expect((await post(server.url, text, { 'content-type': 'text/plain' })).status).toBe(401);
		for (const json of ['[1,2]', '"text"', 'null', '42']) {
			expect((await postSigned(server.url, signer, json, { 'content-type': 'text/plain' })).status).toBe(400);
		}
		expect(server.executions).toHaveLength(0);
	});

	it('bad JSON with content-type application/json never reaches the node: n8n answers 422', async () => {
		const server = await serve(verified);
		const text = '{"type":"InboundMessage",';
		const answer = await postSigned(server.url, signer, text);
		expect(answer.status).toBe(422);
		expect(server.executions).toHaveLength(0);
		expect(server.errors).toHaveLength(0);
	});

	it('a body with no content type (no rawBody from the parser) is read with readRawBody and verified', async () => {
		const server = await serve(verified);
		const text = body();
		const answer = await post(server.url, Buffer.from(text), {
			'content-type': 'application/octet-stream',
			'x-ghl-signature': signer.sign(text),
		});
		expect(answer.status).toBe(200);
		expect(await server.idle()).toHaveLength(1);
	});

	it('a Public Key pasted without its BEGIN/END lines works', async () => {
		const bare = signer.publicKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
		const server = await serve({ ...verified, publicKey: bare });
		expect((await postSigned(server.url, signer, body())).status).toBe(200);
	});

	it('a Public Key that is not a key is a node error (500, error execution), not an open door', async () => {
		const server = await serve({ ...verified, publicKey: 'not a key' });
		const answer = await postSigned(server.url, signer, body());
		expect(answer.status).toBe(500);
		expect(server.errors[0].message).toBe("Public Key is not a PEM public key: paste HighLevel's Ed25519 public key (PEM)");
		expect(server.executions).toHaveLength(0);
	});

	it('the default Public Key is the key HighLevel publishes (specs/highlevel-api/webhooks)', () => {
		const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
		const pem = (name: string) => readFileSync(`${repoRoot()}/specs/highlevel-api/webhooks/${name}`, 'utf8').trim();
		expect(HIGHLEVEL_ED25519_PUBLIC_KEY).toBe(pem('highlevel-webhook-ed25519-public-key.pem'));
		expect(HIGHLEVEL_LEGACY_RSA_PUBLIC_KEY).toBe(pem('highlevel-webhook-public-key.pem'));
	});
});

describe('legacy RSA signature (x-wh-signature)', () => {
	const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
	const rsaSign = (text: string) => sign('sha256', Buffer.from(text), rsa.privateKey).toString('base64');

	it('off by default: a body signed only with the legacy header is refused (401)', async () => {
		const server = await serve({ ...verified, legacyPublicKey: rsaPem });
		const text = body();
		expect(await post(server.url, text, { 'x-wh-signature': rsaSign(text) })).toEqual({ status: 401, text: UNAUTHORIZED });
		expect(server.executions).toHaveLength(0);
	});

	it('turned on: a valid legacy signature is accepted, a wrong one refused', async () => {
		const server = await serve({ ...verified, acceptLegacySignature: true, legacyPublicKey: rsaPem });
		const text = body();
		expect((await post(server.url, text, { 'x-wh-signature': rsaSign(text) })).status).toBe(200);
		expect((await post(server.url, body(), { 'x-wh-signature': rsaSign(text) })).status).toBe(401);
		expect(await server.idle()).toHaveLength(1);
	});

	it('turned on: a wrong X-GHL-Signature is not rescued by a valid legacy one', async () => {
		const server = await serve({ ...verified, acceptLegacySignature: true, legacyPublicKey: rsaPem });
		const text = body();
		const answer = await post(server.url, text, {
			'x-ghl-signature': newSigner().sign(text),
			'x-wh-signature': rsaSign(text),
		});
		expect(answer.status).toBe(401);
		expect(server.executions).toHaveLength(0);
	});

	it('turned on: X-GHL-Signature "N/A" with a valid legacy signature is accepted (HighLevel\'s transition)', async () => {
		const server = await serve({ ...verified, acceptLegacySignature: true, legacyPublicKey: rsaPem });
		const text = body();
		expect((await post(server.url, text, { 'x-ghl-signature': 'N/A', 'x-wh-signature': rsaSign(text) })).status).toBe(200);
		expect(await server.idle()).toHaveLength(1);
	});
});

describe('shared secret header (HighLevel workflow Webhook actions)', () => {
	const secretParameters = {
		events: ['InboundMessage'],
		verification: 'sharedSecret',
		headerName: 'X-Webhook-Secret',
		secret: 's3cret-Value-0123456789',
	};

	it('the right secret: 200 and one execution; the header name is case-insensitive', async () => {
		const server = await serve(secretParameters);
		expect((await post(server.url, body(), { 'x-webhook-secret': 's3cret-Value-0123456789' })).status).toBe(200);
		const [run] = await server.idle();
		expect(JSON.stringify(run.json('Next'))).not.toContain('s3cret');
	});

	it.each([
		['missing', {}],
		['wrong', { 'x-webhook-secret': 's3cret-Value-0123456788' }],
		['a prefix', { 'x-webhook-secret': 's3cret-Value' }],
		['longer', { 'x-webhook-secret': 's3cret-Value-01234567890' }],
		['empty', { 'x-webhook-secret': '' }],
		['in another header', { 'x-other': 's3cret-Value-0123456789' }],
	])('a secret that is %s: 401, no execution', async (_name, headers) => {
		const server = await serve(secretParameters);
		expect(await post(server.url, body(), headers as Record<string, string>)).toEqual({ status: 401, text: UNAUTHORIZED });
		expect(server.executions).toHaveLength(0);
	});

	it('an empty Secret is a node error (500, error execution naming the field), never an open door', async () => {
		const server = await serve({ ...secretParameters, secret: '' });
		expect((await post(server.url, body(), { 'x-webhook-secret': '' })).status).toBe(500);
		expect(server.errors.map((error) => error.message)).toEqual(['Secret is empty: set the value the Webhook action sends']);
		expect(server.executions).toHaveLength(0);
	});

	it('a HighLevel signature does not stand in for the secret', async () => {
		const server = await serve(secretParameters);
		expect((await postSigned(server.url, signer, body())).status).toBe(401);
	});
});

describe('no verification', () => {
	it('accepts an unsigned event, and still refuses bad JSON (400)', async () => {
		const server = await serve({ events: ['InboundMessage'], verification: 'none' });
		expect((await post(server.url, body())).status).toBe(200);
		expect((await post(server.url, 'nope', { 'content-type': 'text/plain' })).status).toBe(400);
		expect(await server.idle()).toHaveLength(1);
	});
});
