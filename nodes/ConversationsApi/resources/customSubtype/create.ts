import { type Operation } from '../../shared/operation';
import type { INodeProperties } from 'n8n-workflow';
import { locationIdField } from '../../shared/fields';
import { maxLength, requireField, sendLocation } from '../../shared/preSend';
import { SCOPE } from '../../../../credentials/constants';

const fields: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Newsletter Subscription',
		description: 'Name of the subscription category (at most 100 characters)',
		routing: {
			send: {
				type: 'body',
				property: 'name',
				preSend: [requireField('name', 'Name'), maxLength('name', 'Name', 100)],
			},
		},
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'SMS', value: 'sms' },
		],
		default: 'email',
		required: true,
		description: 'Channel the subscription category applies to',
		routing: { send: { type: 'body', property: 'channel' } },
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'en',
		required: true,
		placeholder: 'e.g. en',
		description: 'Language code of the name and description',
		routing: {
			send: { type: 'body', property: 'language', preSend: [requireField('language', 'Language')] },
		},
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				placeholder: 'e.g. Weekly newsletter',
				description: 'Description of the subscription category (at most 100 characters)',
				routing: {
					send: {
						type: 'body',
						property: 'description',
						preSend: [maxLength('additionalFields.description', 'Description', 100)],
					},
				},
			},
		],
	},
	locationIdField,
];

export const create: Operation = {
	option: {
		name: 'Create',
		value: 'create',
		action: 'Create a custom subtype',
		description: 'Create an email or SMS subscription category contacts can unsubscribe from',
		routing: {
			request: { method: 'POST', url: '/conversations/preferences/custom-subtypes' },
			send: { preSend: [sendLocation('qs')] },
		},
	},
	fields,
	facts: { scope: SCOPE.write, scopeListed: false },
};
