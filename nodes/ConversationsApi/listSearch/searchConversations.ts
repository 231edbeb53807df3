import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { scopeOf } from '../operations';
import { SearchScan, type SearchRequest } from '../shared/searchScan';
import { credentialLocationId, credentialType } from '../shared/credentials';
import { apiRequest } from '../shared/transport';

/** The pagination token: where the tie-safe scan goes on, and the rows at that point already shown. */
interface Token {
	after?: number;
	returned?: string[];
}

function readToken(text: string | undefined): Token | undefined {
	if (!text) return undefined;
	try {
		const token = JSON.parse(text) as Token;
		return typeof token === 'object' && token !== null ? token : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The location the node's Location ID field names (an agency connection acts on it), else the
 * credential's.
 */
function chosenLocation(context: ILoadOptionsFunctions): string {
	try {
		// The editor's current value (n8n sends it with the search), else the saved node's.
		const raw = context.getCurrentNodeParameter('locationId') ?? context.getNodeParameter('locationId', '');
		const value = raw !== null && typeof raw === 'object' ? (raw as IDataObject).value : raw;
		// An expression (e.g. one item's location) has no value while the user picks.
		return typeof value === 'string' && !value.startsWith('=') ? value.trim() : '';
	} catch {
		return '';
	}
}

/** Conversations of the chosen location (else the credential's), newest first, filtered by the typed text. */
export async function searchConversations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const credentials = await this.getCredentials(credentialType.call(this));
	const locationId = chosenLocation(this) || credentialLocationId(credentials);
	const base: IDataObject = {
		locationId,
		sortBy: 'last_message_date',
		sort: 'desc',
	};
	if (filter) base.query = filter;
	const request: SearchRequest = async (qs) =>
		await apiRequest.call(this, 'GET', '/conversations/search', qs, { ...scopeOf('conversation.getAll'), locationId });
	// Ties on the sort value are paged through as the action node's Get Many does (shared/pagination.ts).
	const scan = new SearchScan(request, base, { start: readToken(paginationToken) });
	// Rows without a sort value (unpageable) show the first page only.
	const conversations: IDataObject[] = await scan.next();
	const results: INodeListSearchItems[] = conversations.map((conversation) => {
		const who = conversation.fullName || conversation.contactName || conversation.email || conversation.phone;
		const last = String(conversation.lastMessageBody ?? '').slice(0, 60);
		return {
			name: [who || conversation.id, last].filter(Boolean).join(' · '),
			value: conversation.id as string,
		};
	});
	return { results, paginationToken: scan.done ? undefined : JSON.stringify(scan.resume) };
}
