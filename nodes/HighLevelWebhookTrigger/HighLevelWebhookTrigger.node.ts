import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { webhookTriggerProperties } from './description';
import { receive } from './receive';
import { ReplayMemory } from './replay';

export class HighLevelWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighLevel Conversations Webhook Trigger',
		name: 'highLevelWebhookTrigger',
		icon: { light: 'file:../../icons/conversations.svg', dark: 'file:../../icons/conversations.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1 (the node reads the raw bytes itself, whatever n8n parsed), but n8n (1.x
		// and 2.x) evaluates an expression on every request to a webhook node of version 1 (whether
		// to skip parsing the body), which in n8n 2.x takes an expression isolate per delivery even
		// with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true; from 1.1 on, nothing is evaluated.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			"Starts a workflow the moment HighLevel (LeadConnector) sends a conversation event: verified by HighLevel's signature, each event once",
		defaults: {
			name: 'HighLevel Webhook Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'highlevel',
			},
		],
		properties: webhookTriggerProperties,
	};

	/**
	 * HighLevel has no API to register a webhook (the URL is pasted into the app's settings), so
	 * activation registers nothing and deactivation keeps the replay record: events seen before a
	 * deactivation are still recognised after it.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	/** Receives one request; n8n calls it with the request's context as `this`. */
	webhook: (this: IWebhookFunctions) => Promise<IWebhookResponseData>;

	constructor() {
		// The events this process accepted, shared by every request it receives: n8n loads each
		// node type once per process (a new instance is what a restart leaves: nothing remembered).
		const memory = new ReplayMemory();
		this.webhook = async function (this: IWebhookFunctions) {
			return await receive(this, memory);
		};
	}
}
