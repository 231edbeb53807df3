/**
 * Who sent a request: HighLevel's signature over the raw body bytes (Ed25519 in `X-GHL-Signature`;
 * optionally the removed RSA `x-wh-signature`), or a shared secret in a header. Every check works
 * on the bytes n8n received, never on a re-serialised body, and says only yes or no.
 */
import { createHash, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'crypto';

/** HighLevel's published Ed25519 key (Webhook Integration Guide): the Public Key field's default. */
export const HIGHLEVEL_ED25519_PUBLIC_KEY = [
	'-----BEGIN PUBLIC KEY-----',
	'MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=',
	'-----END PUBLIC KEY-----',
].join('\n');

/** The RSA key of the legacy `x-wh-signature` (HighLevel stopped using it on 1 September 2026). */
export const HIGHLEVEL_LEGACY_RSA_PUBLIC_KEY = [
	'-----BEGIN PUBLIC KEY-----',
	'MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAokvo/r9tVgcfZ5DysOSC',
	'Frm602qYV0MaAiNnX9O8KxMbiyRKWeL9JpCpVpt4XHIcBOK4u3cLSqJGOLaPuXw6',
	'dO0t6Q/ZVdAV5Phz+ZtzPL16iCGeK9po6D6JHBpbi989mmzMryUnQJezlYJ3DVfB',
	'csedpinheNnyYeFXolrJvcsjDtfAeRx5ByHQmTnSdFUzuAnC9/GepgLT9SM4nCpv',
	'uxmZMxrJt5Rw+VUaQ9B8JSvbMPpez4peKaJPZHBbU3OdeCVx5klVXXZQGNHOs8gF',
	'3kvoV5rTnXV0IknLBXlcKKAQLZcY/Q9rG6Ifi9c+5vqlvHPCUJFT5XUGG5RKgOKU',
	'J062fRtN+rLYZUV+BjafxQauvC8wSWeYja63VSUruvmNj8xkx2zE/Juc+yjLjTXp',
	'IocmaiFeAO6fUtNjDeFVkhf5LNb59vECyrHD2SQIrhgXpO4Q3dVNA5rw576PwTzN',
	'h/AMfHKIjE4xQA1SZuYJmNnmVZLIZBlQAF9Ntd03rfadZ+yDiOXCCs9FkHibELhC',
	'HULgCsnuDJHcrGNd5/Ddm5hxGQ0ASitgHeMZ0kcIOwKDOzOU53lDza6/Y09T7sYJ',
	'PQe7z0cvj7aE4B+Ax1ZoZGPzpJlZtGXCsu9aTEGEnKzmsFqwcSsnw3JB31IGKAyk',
	'T1hhTiaCeIY/OwwwNUY2yvcCAwEAAQ==',
	'-----END PUBLIC KEY-----',
].join('\n');

export const SIGNATURE_HEADER = 'x-ghl-signature';
export const LEGACY_SIGNATURE_HEADER = 'x-wh-signature';

/** An Ed25519 signature is 64 bytes. */
const ED25519_SIGNATURE_BYTES = 64;

/** Parsed keys by their text: parsing a PEM costs more than verifying a signature. */
const parsedKeys = new Map<string, KeyObject>();

/**
 * A public key from the field's text: a PEM block, or its base64 body alone (keys are often pasted
 * without the BEGIN/END lines). A string says what is wrong when it is not a key of that type.
 */
export function publicKeyOf(text: string, type: 'ed25519' | 'rsa', fieldName: string): KeyObject | string {
	const cached = parsedKeys.get(text);
	if (cached) return cached;
	const trimmed = text.trim();
	const pem = trimmed.includes('-----BEGIN')
		? trimmed
		: `-----BEGIN PUBLIC KEY-----\n${trimmed.replace(/\s+/g, '')}\n-----END PUBLIC KEY-----`;
	let key: KeyObject;
	try {
		key = createPublicKey(pem);
	} catch {
		return `${fieldName} is not a PEM public key`;
	}
	if (key.asymmetricKeyType !== type) {
		return `${fieldName} is a ${String(key.asymmetricKeyType)} key, not ${type === 'rsa' ? 'RSA' : 'Ed25519'}`;
	}
	if (parsedKeys.size > 16) parsedKeys.clear();
	parsedKeys.set(text, key);
	return key;
}

/** A header's one value, trimmed; undefined when absent, empty, repeated, or HighLevel's `N/A`. */
export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	if (!trimmed || trimmed.toUpperCase() === 'N/A') return undefined;
	return trimmed;
}

/** Strict base64 (standard alphabet, padding optional): anything else is not a signature. */
function base64Bytes(text: string): Buffer | undefined {
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
	return Buffer.from(text, 'base64');
}

/** Ed25519 over the raw body (`X-GHL-Signature`). */
export function verifyEd25519(rawBody: Buffer, signature: string, key: KeyObject): boolean {
	const bytes = base64Bytes(signature);
	if (!bytes || bytes.length !== ED25519_SIGNATURE_BYTES) return false;
	try {
		return verify(null, rawBody, key, bytes);
	} catch {
		return false;
	}
}

/** RSA-SHA256 over the raw body (the legacy `x-wh-signature`). */
export function verifyLegacyRsa(rawBody: Buffer, signature: string, key: KeyObject): boolean {
	const bytes = base64Bytes(signature);
	if (!bytes) return false;
	try {
		return verify('sha256', rawBody, key, bytes);
	} catch {
		return false;
	}
}

/**
 * Constant-time comparison of a received secret with the configured one. Both are hashed first,
 * so neither the time nor an early length check tells how much of a guess was right.
 */
export function secretMatches(received: string | undefined, expected: string): boolean {
	if (received === undefined) return false;
	const a = createHash('sha256').update(received, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}

/** A short fingerprint of the raw body: the replay key of an event that carries no `webhookId`. */
export function bodyFingerprint(rawBody: Buffer): string {
	return `sha256:${createHash('sha256').update(rawBody).digest('base64url')}`;
}
