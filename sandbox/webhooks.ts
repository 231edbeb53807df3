/* eslint-disable @n8n/community-nodes/no-restricted-globals -- sandbox: a dev tool, never shipped (delivery retries use timers) */
/**
 * The sandbox as HighLevel's webhook sender (dev tool, never shipped):
 *
 * - its own Ed25519 key pair (from the seed, so reproducible); bodies are signed over their exact
 *   bytes in `X-GHL-Signature`, as HighLevel does; the public key is printed by the CLI and served
 *   at `GET /sandbox/webhooks/public-key`;
 * - a registered app webhook URL receives `InboundMessage` / `OutboundMessage` for every message the
 *   sandbox's state sees sent or received, and `ConversationUnreadUpdate` for every unread/star change;
 * - custom conversation providers (ID → Delivery URL): a message sent on a provider's channel
 *   (`type: Custom` with its `conversationProviderId`, or an email with it) is posted to the
 *   Delivery URL as a signed `ProviderOutboundMessage` and stays `pending` until the provider sets
 *   its status;
 * - HighLevel's retry policy: any answer that is not 2xx (or no answer) is retried with the same
 *   body and `webhookId`, up to 12 times, with exponential backoff and jitter (10 s, 20 s, 40 s, ...
 *   scaled by `timeScale`, so tests pass hours in milliseconds);
 * - fault injection: duplicates (the same signed request twice, concurrently), tampered bodies
 *   (one byte changed after signing), stale timestamps (signed, 25 hours old), reordering (events
 *   held and sent in reverse order, in groups).
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'crypto';
import type { FastifyInstance } from 'fastify';
import { Fields, jsonBody } from './http';
import type { Random } from './random';
import type { Conversation, Message, SandboxState, StateChange } from './state';

/** Retries after the first attempt (HighLevel: up to 12). */
export const MAX_RETRIES = 12;
/** The first retry's delay before scaling; each next one doubles (± 20 % jitter). */
export const FIRST_RETRY_MS = 10_000;

/** The webhook's `messageType` for the API's message types. */
const WEBHOOK_MESSAGE_TYPES: Record<string, string> = {
	TYPE_SMS: 'SMS',
	TYPE_EMAIL: 'Email',
	TYPE_CALL: 'CALL',
	TYPE_IVR_CALL: 'CALL',
	TYPE_FACEBOOK: 'FB',
	TYPE_INSTAGRAM: 'IG',
	TYPE_WHATSAPP: 'WhatsApp',
	TYPE_LIVE_CHAT: 'Live Chat',
	TYPE_WEBCHAT: 'Live Chat',
	TYPE_GMB: 'GMB',
	TYPE_REVIEW: 'GMB',
	TYPE_RCS: 'RCS',
	TYPE_TIKTOK: 'TIKTOK',
	TYPE_CUSTOM_PROVIDER_SMS: 'SMS',
	TYPE_CUSTOM_PROVIDER_EMAIL: 'Email',
};

export interface WebhookFaults {
	/** Share of events delivered twice at once (seeded). */
	duplicates?: number;
	/** Share of events whose body is changed by one byte after signing. */
	tampered?: number;
	/** Share of events signed with a timestamp 25 hours old. */
	stale?: number;
	/** Hold events and send each group of this many in reverse order (0 or 1: off). */
	reorderGroup?: number;
}

export interface WebhookOptions {
	/** Multiplies every retry delay (1 = real time; 0.001 turns hours into seconds). Default 1. */
	timeScale?: number;
	faults?: WebhookFaults;
}

export interface DeliveryAttempt {
	at: number;
	/** The HTTP status, or 0 when no answer came. */
	status: number;
}

export interface Delivery {
	event: string;
	url: string;
	webhookId: string;
	/** The exact bytes signed (a tampered delivery sends other bytes with this signature). */
	body: string;
	payload: Record<string, unknown>;
	signature: string;
	attempts: DeliveryAttempt[];
	/** Settled: answered 2xx, or retries exhausted. */
	done: boolean;
	delivered: boolean;
	fault?: 'duplicate' | 'tampered' | 'stale';
	/** The order its first attempt was sent in (differs from the order of events when reordering). */
	sentAs?: number;
}

type Target = { kind: 'app' } | { kind: 'provider'; providerId: string };

/** An Ed25519 private key from a 32-byte seed (PKCS#8 DER: fixed prefix + seed). */
function keyFromSeed(seed: Buffer): KeyObject {
	const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
	return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

const iso = (ms: number) => new Date(ms).toISOString();

export class SandboxWebhooks {
	readonly publicKeyPem: string;
	/** Every delivery, in the order the events happened. */
	readonly deliveries: Delivery[] = [];
	/** The registered app webhook URL (undefined: none). */
	appUrl?: string;
	/** Custom conversation providers: ID → Delivery URL. */
	readonly providers = new Map<string, string>();

	private readonly privateKey: KeyObject;
	private readonly timeScale: number;
	private faults: WebhookFaults;
	private readonly pending = new Set<Promise<void>>();
	private held: Array<() => void> = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private closed = false;
	private forced: Array<'duplicate' | 'tampered' | 'stale'> = [];
	private sent = 0;

	constructor(
		private readonly state: SandboxState,
		private readonly random: Random,
		seed: number,
		options: WebhookOptions = {},
	) {
		this.privateKey = keyFromSeed(createHash('sha256').update(`sandbox-webhooks:${seed}`).digest());
		this.publicKeyPem = createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString().trim();
		this.timeScale = options.timeScale ?? 1;
		this.faults = options.faults ?? {};
		state.listeners.push((change) => this.onChange(change));
	}

	/** Registers the app's webhook URL (HighLevel: the app's Advanced Settings). */
	register(url: string | undefined): void {
		this.appUrl = url;
	}

	/** Registers a custom conversation provider and its Delivery URL. */
	registerProvider(conversationProviderId: string, deliveryUrl: string): void {
		this.providers.set(conversationProviderId, deliveryUrl);
	}

	setFaults(faults: WebhookFaults): void {
		this.faults = faults;
	}

	/** The next events get these faults, in order (then the configured rates apply again). */
	injectNext(...faults: Array<'duplicate' | 'tampered' | 'stale'>): void {
		this.forced.push(...faults);
	}

	/** Signs bytes as the sandbox's HighLevel does: base64 Ed25519. */
	sign(body: string | Buffer): string {
		return sign(null, Buffer.from(body), this.privateKey).toString('base64');
	}

	/** Sends an event now (to the app URL, or to a provider's Delivery URL); returns its delivery. */
	emit(event: string, payload: Record<string, unknown>, target: Target = { kind: 'app' }): Delivery | undefined {
		const url = target.kind === 'app' ? this.appUrl : this.providers.get(target.providerId);
		if (!url || this.closed) return undefined;
		const fault = this.forced.shift() ?? this.drawFault();
		const now = this.state.now();
		const body = JSON.stringify({
			...payload,
			webhookId: this.uuid(),
			timestamp: iso(fault === 'stale' ? now - 25 * 60 * 60 * 1000 : now),
		});
		const signature = this.sign(body);
		const parsed = JSON.parse(body) as Record<string, unknown>;
		const delivery: Delivery = {
			event,
			url,
			webhookId: String(parsed.webhookId),
			body,
			payload: parsed,
			signature,
			attempts: [],
			done: false,
			delivered: false,
			fault,
		};
		this.deliveries.push(delivery);
		const start = () => {
			delivery.sentAs = ++this.sent;
			this.track(this.attempt(delivery, 0));
			if (fault === 'duplicate') this.track(this.attempt(delivery, 0));
		};
		const group = this.faults.reorderGroup ?? 0;
		if (group > 1) {
			this.held.unshift(start);
			if (this.held.length >= group) this.flush();
		} else start();
		return delivery;
	}

	/** Sends the events held for reordering. */
	flush(): void {
		const held = this.held;
		this.held = [];
		for (const start of held) start();
	}

	/** Resolves when every delivery has been answered 2xx or has used up its retries. */
	async idle(): Promise<void> {
		this.flush();
		while (this.pending.size) await Promise.all([...this.pending]);
	}

	close(): void {
		this.closed = true;
		this.held = [];
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	// ---------------------------------------------------------------------------------------

	private onChange(change: StateChange): void {
		if (change.kind === 'unread') {
			const { conversation } = change;
			this.emit('ConversationUnreadUpdate', {
				type: 'ConversationUnreadUpdate',
				locationId: conversation.locationId,
				id: conversation.id,
				contactId: conversation.contactId,
				unreadCount: conversation.unreadCount,
				starred: conversation.starred,
				inbox: conversation.inbox,
				deleted: conversation.deleted,
			});
			return;
		}
		const { message, conversation } = change;
		const providerUrl = message.conversationProviderId ? this.providers.get(message.conversationProviderId) : undefined;
		if (providerUrl && message.throughProvider) {
			// HighLevel hands the message to the provider and waits for its status.
			message.status = 'pending';
			this.emit('ProviderOutboundMessage', this.providerPayload(message, conversation), {
				kind: 'provider',
				providerId: message.conversationProviderId as string,
			});
		}
		this.emit(message.direction === 'inbound' ? 'InboundMessage' : 'OutboundMessage', this.messagePayload(message));
	}

	private messagePayload(message: Message): Record<string, unknown> {
		const email = message.emailId ? this.state.email(message.emailId) : undefined;
		return {
			type: message.direction === 'inbound' ? 'InboundMessage' : 'OutboundMessage',
			locationId: message.locationId,
			attachments: message.attachments,
			body: message.body,
			contactId: message.contactId,
			contentType: message.contentType,
			conversationId: message.conversationId,
			dateAdded: iso(message.dateAdded),
			direction: message.direction,
			messageType: WEBHOOK_MESSAGE_TYPES[message.messageType] ?? message.messageType,
			status: message.status,
			messageId: message.id,
			...(message.userId ? { userId: message.userId } : {}),
			...(message.direction === 'outbound' && message.source ? { source: message.source } : {}),
			...(message.conversationProviderId ? { conversationProviderId: message.conversationProviderId } : {}),
			...(message.meta?.callDuration !== undefined ? { callDuration: message.meta.callDuration } : {}),
			...(message.meta?.callStatus !== undefined ? { callStatus: message.meta.callStatus } : {}),
			...(email
				? {
						emailMessageId: email.id,
						threadId: email.threadId,
						from: email.from,
						to: email.to,
						cc: email.cc,
						bcc: email.bcc,
						subject: email.subject,
						provider: email.provider,
					}
				: {}),
		};
	}

	private providerPayload(message: Message, conversation: Conversation): Record<string, unknown> {
		const contact = this.state.contact(conversation.contactId);
		const email = message.emailId ? this.state.email(message.emailId) : undefined;
		const common = {
			contactId: message.contactId,
			locationId: message.locationId,
			messageId: message.id,
			attachments: message.attachments,
			...(message.userId ? { userId: message.userId } : {}),
		};
		if (email) {
			return {
				...common,
				emailMessageId: email.id,
				type: 'Email',
				emailTo: email.to,
				emailFrom: email.from,
				html: email.body,
				subject: email.subject,
			};
		}
		return { ...common, type: 'SMS', phone: contact?.phone ?? '', message: message.body };
	}

	private drawFault(): Delivery['fault'] {
		const { duplicates = 0, tampered = 0, stale = 0 } = this.faults;
		if (!duplicates && !tampered && !stale) return undefined;
		const draw = this.random.next();
		if (draw < duplicates) return 'duplicate';
		if (draw < duplicates + tampered) return 'tampered';
		if (draw < duplicates + tampered + stale) return 'stale';
		return undefined;
	}

	private uuid(): string {
		const hex = Array.from({ length: 32 }, () => this.random.int(0, 15).toString(16)).join('');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
	}

	private track(work: Promise<void>): void {
		this.pending.add(work);
		void work.finally(() => this.pending.delete(work));
	}

	/** One attempt, then (on failure) the next after the backoff, with the same body and webhookId. */
	private async attempt(delivery: Delivery, retry: number): Promise<void> {
		if (this.closed) return;
		const bytes = Buffer.from(delivery.body);
		// Tampering happens on the way, once: HighLevel's retries carry the genuine bytes.
		if (delivery.fault === 'tampered' && retry === 0) {
			// One letter changed after signing (so the body is still JSON: only the signature can tell).
			let at = Math.floor(bytes.length / 2);
			while (at < bytes.length && !/[A-Za-z]/.test(String.fromCharCode(bytes[at]))) at++;
			bytes[at] = bytes[at] === 0x78 ? 0x79 : 0x78;
		}
		let status = 0;
		try {
			const response = await fetch(delivery.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-ghl-signature': delivery.signature },
				body: bytes,
			});
			status = response.status;
			await response.arrayBuffer();
		} catch {
			status = 0;
		}
		delivery.attempts.push({ at: this.state.now(), status });
		if (status >= 200 && status < 300) {
			delivery.delivered = true;
			delivery.done = true;
			return;
		}
		if (retry >= MAX_RETRIES || this.closed) {
			delivery.done = true;
			return;
		}
		const delay = FIRST_RETRY_MS * 2 ** retry * (0.8 + 0.4 * this.random.next()) * this.timeScale;
		await new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, delay);
			this.timers.add(timer);
		});
		await this.attempt(delivery, retry + 1);
	}
}

/**
 * `GET /sandbox/webhooks/public-key` (no token: the PEM to paste into the trigger's Public Key),
 * `POST /sandbox/webhooks` `{ url }` (the app's webhook URL; empty: none), `POST /sandbox/providers`
 * `{ conversationProviderId, deliveryUrl }`.
 */
export function registerWebhookRoutes(app: FastifyInstance, webhooks: SandboxWebhooks): void {
	app.get('/sandbox/webhooks/public-key', { config: { kind: 'public' } }, async (_request, reply) =>
		reply.type('application/x-pem-file').send(`${webhooks.publicKeyPem}\n`),
	);
	app.post('/sandbox/webhooks', { config: { kind: 'sandbox' } }, async (request) => {
		const fields = new Fields(jsonBody(request));
		const url = fields.string('url');
		fields.check();
		webhooks.register(url || undefined);
		return { url: webhooks.appUrl ?? null, publicKey: webhooks.publicKeyPem };
	});
	app.post('/sandbox/providers', { config: { kind: 'sandbox' } }, async (request) => {
		const fields = new Fields(jsonBody(request));
		const id = fields.string('conversationProviderId', { required: true });
		const deliveryUrl = fields.string('deliveryUrl', { required: true });
		fields.check();
		webhooks.registerProvider(id as string, deliveryUrl as string);
		return { conversationProviderId: id, deliveryUrl };
	});
}
