import { type Operation } from '../../shared/operation';
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { locationIdField } from '../../shared/fields';
import { maxLength, requireField, sendLocation } from '../../shared/preSend';
import { itemError } from '../../shared/errors';
import { SCOPE } from '../../../../credentials/constants';

/** preSend: an update without any field would change nothing. */
async function requireUpdateFields(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const updateFields = this.getNodeParameter('updateFields', {}) as IDataObject;
	if (!Object.keys(updateFields ?? {}).length) {
		throw itemError.call(this, 'The "Update Fields" field is empty', 'Add at least one field to change in "Update Fields".');
	}
	return requestOptions;
}

const fields: INodeProperties[] = [
	{
		displayName: 'Custom Subtype ID',
		name: 'customSubtypeId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
		description: 'ID of the subscription category to update',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Archived',
				name: 'archived',
				type: 'boolean',
				default: true,
				description: 'Whether the subscription category is archived',
				routing: { send: { type: 'body', property: 'archived' } },
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'Description of the subscription category (at most 100 characters)',
				routing: {
					send: {
						type: 'body',
						property: 'description',
						preSend: [maxLength('updateFields.description', 'Description', 100)],
					},
				},
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Name of the subscription category (at most 100 characters)',
				routing: {
					send: {
						type: 'body',
						property: 'name',
						preSend: [requireField('updateFields.name', 'Name'), maxLength('updateFields.name', 'Name', 100)],
					},
				},
			},
			{
				displayName: 'Resubscription Legal Form ID',
				name: 'resubscriptionLegalFormId',
				type: 'string',
				default: '',
				placeholder: 'e.g. form_123456',
				description: 'Legal form used when contacts resubscribe (optional when archiving)',
				routing: { send: { type: 'body', property: 'resubscription_legal_form_id' } },
			},
		],
	},
	locationIdField,
];

export const update: Operation = {
	option: {
		name: 'Update',
		value: 'update',
		action: 'Update a custom subtype',
		description: 'Rename, describe or archive a subscription category',
		routing: {
			request: { method: 'PUT', url: '/conversations/preferences/custom-subtypes/{customSubtypeId}' },
			send: { preSend: [sendLocation('qs'), requireUpdateFields] },
		},
	},
	fields,
	facts: { scope: SCOPE.write, scopeListed: false, ids: { customSubtypeId: 'Custom subtype' } },
};
