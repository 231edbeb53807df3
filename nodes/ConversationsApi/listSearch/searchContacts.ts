import { NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodeListSearchResult } from 'n8n-workflow';
import { PAGE_SIZE } from '../shared/constants';
import { credentialLocationId, credentialType } from '../shared/credentials';
import { apiRequest } from '../shared/transport';
import { API_VERSION_CONTACTS_USERS_OAUTH, SCOPE } from '../../../credentials/constants';

/** What the picker shows for a contact: its name, then how to reach it. */
function contactLabel(contact: IDataObject): string {
	const name = String(contact.contactName ?? '').trim() || [contact.firstName, contact.lastName].filter(Boolean).join(' ').trim();
	const reach = [contact.email, contact.phone].filter(Boolean).join(' · ');
	return [name, reach].filter(Boolean).join(' · ') || String(contact.id);
}

/** A 403 (no contacts.readonly) becomes what to do instead: the editor shows this message in the list. */
function withScopeHint(context: ILoadOptionsFunctions, error: unknown): unknown {
	if ((error as { httpCode?: string }).httpCode !== '403') return error;
	return new NodeOperationError(
		context.getNode(),
		'Listing contacts needs the contacts.readonly scope: choose "By ID" and enter the contact ID',
		{
			description: "Or add contacts.readonly to the Private Integration (or the Marketplace app and its credential's Scope) and reconnect.",
		},
	);
}

/**
 * Contacts of the credential's location found by name, email or phone (the Contacts API's
 * POST /contacts/search). Without the contacts.readonly scope the API answers 403: the picker then
 * says to enter the ID instead, which needs no extra scope.
 */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const credentials = await this.getCredentials(credentialType.call(this));
	const page = Math.max(1, Number(paginationToken) || 1);
	const body: IDataObject = { locationId: credentialLocationId(credentials), page, pageLimit: PAGE_SIZE.contactsSearch };
	if (filter?.trim()) body.query = filter.trim();
	const answer = await apiRequest
		.call(
			this,
			'POST',
			'/contacts/search',
			{},
			{
				scope: SCOPE.contactsRead,
				scopeListed: true,
				body,
				version: API_VERSION_CONTACTS_USERS_OAUTH,
			},
		)
		.catch(async (error: unknown) => await Promise.reject(withScopeHint(this, error)));
	const contacts = Array.isArray(answer.contacts) ? (answer.contacts as IDataObject[]) : [];
	const total = Number(answer.total);
	const more = contacts.length === PAGE_SIZE.contactsSearch && (!Number.isFinite(total) || page * PAGE_SIZE.contactsSearch < total);
	return {
		results: contacts.filter((contact) => contact.id).map((contact) => ({ name: contactLabel(contact), value: String(contact.id) })),
		paginationToken: more ? String(page + 1) : undefined,
	};
}
