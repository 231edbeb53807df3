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

export class HighLevelWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighLevel Conversations Webhook Trigger',
		name: 'highLevelWebhookTrigger',
		icon: { light: 'file:../../icons/conversations.svg', dark: 'file:../../icons/conversations.dark.svg' },
		group: ['trigger'],
		version: 1,
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

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receive(this);
	}
}
