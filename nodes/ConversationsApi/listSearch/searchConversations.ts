import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import { PAGE_SIZE } from '../shared/constants';
import { scopeOf } from '../operations';
import { searchSortValue } from '../shared/search';
import { credentialLocationId, credentialType } from '../shared/credentials';
import { apiRequest } from '../shared/transport';

/** Conversations of the credential's location, newest first, filtered by the typed text. */
export async function searchConversations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const credentials = await this.getCredentials(credentialType.call(this));
	const qs: IDataObject = {
		locationId: credentialLocationId(credentials),
		limit: PAGE_SIZE.conversations,
		sortBy: 'last_message_date',
		sort: 'desc',
	};
	if (filter) qs.query = filter;
	if (paginationToken) qs.startAfterDate = paginationToken;

	const response = await apiRequest.call(this, 'GET', '/conversations/search', qs, scopeOf('conversation.getAll'));
	const conversations = (response.conversations as IDataObject[] | undefined) ?? [];
	const results: INodeListSearchItems[] = conversations.map((conversation) => {
		const who =
			conversation.fullName || conversation.contactName || conversation.email || conversation.phone;
		const last = String(conversation.lastMessageBody ?? '').slice(0, 60);
		return {
			name: [who || conversation.id, last].filter(Boolean).join(' · '),
			value: conversation.id as string,
		};
	});
	const last = conversations[conversations.length - 1];
	const next = last ? searchSortValue(last) : undefined;
	return {
		results,
		paginationToken:
			conversations.length === PAGE_SIZE.conversations && next !== undefined ? String(next) : undefined,
	};
}
