import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { credentialType } from '../shared/credentials';
import { installedLocations } from '../shared/locationTokens';
import { companyRequest } from '../shared/transport';

/**
 * The sub-accounts where the Marketplace app is installed (agency connections), filtered by the
 * typed text: for a Location ID picker and the webhook trigger's location filter.
 */
export async function searchInstalledLocations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const type = credentialType.call(this);
	const skip = Math.max(0, Number(paginationToken ?? 0) || 0);
	const page = await installedLocations(this, companyRequest(this), type, await this.getCredentials(type), { skip, query: filter });
	const results = page.locations.map((location: IDataObject) => ({
		name: String(location.name || location._id),
		value: String(location._id),
		description: location.address ? String(location.address) : undefined,
	}));
	return { results, paginationToken: page.more ? String(skip + results.length) : undefined };
}
