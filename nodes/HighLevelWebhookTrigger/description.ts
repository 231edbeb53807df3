import type { INodeProperties } from 'n8n-workflow';
import { CHANNEL_OPTIONS, EVENTS } from './events';
import { HIGHLEVEL_ED25519_PUBLIC_KEY, HIGHLEVEL_LEGACY_RSA_PUBLIC_KEY } from './verify';

const forVerification = (...verification: string[]) => ({ show: { verification } });

export const webhookTriggerProperties: INodeProperties[] = [
	{
		displayName:
			"Paste this node's Production URL where HighLevel sends the events: your Marketplace app's webhook URL (Advanced Settings → Webhooks), a custom conversation provider's Delivery URL, or a HighLevel workflow's Webhook action. There is no API to register it.",
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: EVENTS,
		default: ['InboundMessage'],
		required: true,
		description:
			'The events that start the workflow; others are answered 200 and ignored. Tick the same events in the app (each needs its scope).',
	},
	{
		displayName: 'Verification',
		name: 'verification',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'HighLevel Signature',
				value: 'highLevelSignature',
				description: 'Marketplace app webhooks and custom provider deliveries: Ed25519 in X-GHL-Signature',
			},
			{
				name: 'Shared Secret Header',
				value: 'sharedSecret',
				description: 'HighLevel workflow Webhook actions: a header with a secret you choose (they are not signed)',
			},
			{ name: 'None', value: 'none', description: 'Accept any request' },
		],
		default: 'highLevelSignature',
	},
	{
		displayName: 'Without verification anyone who knows the URL can start this workflow with any data. Use it only for tests.',
		name: 'noneNotice',
		type: 'notice',
		default: '',
		displayOptions: forVerification('none'),
	},
	{
		displayName: 'Public Key',
		name: 'publicKey',
		type: 'string',
		typeOptions: { rows: 3 },
		default: HIGHLEVEL_ED25519_PUBLIC_KEY,
		required: true,
		description:
			"HighLevel's Ed25519 public key (PEM) from its Webhook Integration Guide. Change it only when HighLevel publishes a new one.",
		displayOptions: forVerification('highLevelSignature'),
	},
	{
		displayName: 'Accept Legacy RSA Signature',
		name: 'acceptLegacySignature',
		type: 'boolean',
		default: false,
		description:
			'Whether to also accept a request signed only with the old x-wh-signature (RSA). HighLevel removed it on 1 September 2026; leave off unless you still receive it.',
		displayOptions: forVerification('highLevelSignature'),
	},
	{
		displayName: 'Legacy Public Key',
		name: 'legacyPublicKey',
		type: 'string',
		typeOptions: { rows: 3 },
		default: HIGHLEVEL_LEGACY_RSA_PUBLIC_KEY,
		description: "HighLevel's RSA public key for x-wh-signature (PEM)",
		displayOptions: { show: { verification: ['highLevelSignature'], acceptLegacySignature: [true] } },
	},
	{
		displayName: 'Header Name',
		name: 'headerName',
		type: 'string',
		default: 'X-Webhook-Secret',
		required: true,
		description: "The header the HighLevel workflow's Webhook action sends the secret in",
		displayOptions: forVerification('sharedSecret'),
	},
	{
		displayName: 'Secret',
		name: 'secret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: "A long random value; the same in the Webhook action's header",
		displayOptions: forVerification('sharedSecret'),
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Events that do not match are answered 200 and start nothing',
		options: [
			{
				displayName: 'Channels',
				name: 'channels',
				type: 'multiOptions',
				options: CHANNEL_OPTIONS,
				default: [],
				description: "Messages of these channels only (the event's messageType; for a provider message, its type). None selected: all.",
			},
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				options: [
					{ name: 'Both', value: 'both' },
					{ name: 'Inbound', value: 'inbound' },
					{ name: 'Outbound', value: 'outbound' },
				],
				default: 'both',
				description: 'Messages of this direction only',
			},
			{
				displayName: 'Location IDs',
				name: 'locationIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. ve9EPM428h8vShlRW1KT, GKAWb4yu7A4LSc0skQ6g',
				description:
					"Sub-accounts (comma-separated) whose events start the workflow. An app's one URL receives the events of every sub-account that installed it. Empty: all.",
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		// Off by default, as on the polling trigger: the full item (the payload and what is added) stays the default.
		default: false,
		description:
			"Whether to emit the fields you act on first (event, text, channel, direction, IDs, dates in the workflow's time zone) instead of the payload and all added fields",
	},
];
