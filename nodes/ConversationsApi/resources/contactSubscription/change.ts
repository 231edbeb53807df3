import { type Operation } from '../../shared/operation';
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { contactIdField, locationIdField } from '../../shared/fields';
import { put, requireField, sendIfSet, sendLocation, sendValue } from '../../shared/preSend';
import { itemError } from '../../shared/errors';
import { SCOPE } from '../../../../credentials/constants';

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());

/**
 * preSend: builds `subscription_action` from the Subscription Type, Subtype and Status fields,
 * and checks that a Resubscribe to All names its legal reason.
 */
async function sendSubscriptionAction(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const type = this.getNodeParameter('subscriptionType', 'default') as string;
	const action: IDataObject = { type };
	if (type === 'resub_all') {
		if (!text(this.getNodeParameter('legalReason', ''))) {
			throw itemError.call(
				this,
				'The "Legal Reason" field is empty',
				'A "Resubscribe to All" change needs a legal reason: enter why the contact is resubscribed.',
			);
		}
		action.subtype_status = 'subscribed';
	} else {
		if (type === 'custom') {
			const subtypeId = text(this.getNodeParameter('subtypeId', ''));
			if (!subtypeId) {
				throw itemError.call(
					this,
					'The "Custom Subtype ID" field is empty',
					'Enter the ID of the custom subtype to subscribe or unsubscribe the contact from.',
				);
			}
			action.subtype_id = subtypeId;
		} else {
			action.subtype_name = this.getNodeParameter('subtypeName', 'One on One') as string;
		}
		action.subtype_status = this.getNodeParameter('subtypeStatus', 'unsubscribed') as string;
	}
	put(requestOptions, 'body', 'subscription_action', action);
	return requestOptions;
}

const fields: INodeProperties[] = [
	contactIdField,
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'name@email.com',
		description: 'Email address of the contact the change applies to',
		routing: { send: { type: 'body', property: 'email', preSend: [requireField('email', 'Email')] } },
	},
	{
		displayName: 'Subscription Type',
		name: 'subscriptionType',
		type: 'options',
		options: [
			{
				name: 'Custom Subtype',
				value: 'custom',
				description: 'A subscription category created for the location',
			},
			{
				name: 'Default Subtype',
				value: 'default',
				description: 'A built-in subscription category (One on One)',
			},
			{
				name: 'Resubscribe to All',
				value: 'resub_all',
				description: 'Subscribe the email address to every category again (needs a legal reason)',
			},
		],
		default: 'default',
		description: 'What the change applies to',
		routing: { send: { preSend: [sendSubscriptionAction] } },
	},
	{
		displayName: 'Subtype',
		name: 'subtypeName',
		type: 'options',
		options: [{ name: 'One on One', value: 'One on One' }],
		default: 'One on One',
		description: 'The built-in subscription category',
		displayOptions: { show: { subscriptionType: ['default'] } },
	},
	{
		displayName: 'Custom Subtype ID',
		name: 'subtypeId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
		description: 'ID of the custom subtype (see Custom Subtype > Get Many)',
		displayOptions: { show: { subscriptionType: ['custom'] } },
	},
	{
		displayName: 'Status',
		name: 'subtypeStatus',
		type: 'options',
		options: [
			{ name: 'Subscribed', value: 'subscribed' },
			{ name: 'Unsubscribed', value: 'unsubscribed' },
		],
		default: 'unsubscribed',
		description: 'The subscription status to set',
		displayOptions: {
			show: { subscriptionType: ['default', 'custom'] },
		},
	},
	{
		displayName: 'Legal Reason',
		name: 'legalReason',
		type: 'string',
		default: '',
		placeholder: 'e.g. Contact asked support to be resubscribed',
		description: 'Why the subscription changes. Required for Resubscribe to All; give it too when resubscribing a contact.',
		routing: { send: { preSend: [sendIfSet('legalReason', 'body', 'legal_reason')] } },
	},
	{
		displayName: 'Legal Description',
		name: 'legalDescription',
		type: 'string',
		default: '',
		placeholder: 'e.g. Customer called support on 2024-01-15',
		description: 'Details of the legal reason',
		routing: { send: { preSend: [sendIfSet('legalDescription', 'body', 'legal_description')] } },
	},
	locationIdField,
];

export const change: Operation = {
	option: {
		name: 'Change',
		value: 'change',
		action: 'Change a contact subscription',
		description: "Subscribe or unsubscribe a contact's email address, as an admin or agent",
		routing: {
			request: { method: 'POST', url: '/conversations/preferences/unsubscriptions/user-change' },
			send: { preSend: [sendValue('contactId', 'body', 'contactId'), sendLocation('body'), requireField('contactId', 'Contact')] },
		},
	},
	fields,
	facts: { scope: SCOPE.write, scopeListed: false, ids: { contactId: 'Contact' } },
};
