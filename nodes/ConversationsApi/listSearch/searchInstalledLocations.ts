import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
} from 'n8n-workflow';
import { API_VERSION_CONTACTS_USERS_OAUTH } from '../../../credentials/constants';
import { PAGE_SIZE } from '../shared/constants';
import { credentialBaseUrl, credentialType } from '../shared/credentials';
import { failureOf, redact, scrubSecrets } from '../shared/errors';
import { companyIdOf, isAgencyConnection } from '../shared/locationTokens';
import { companyRequest } from '../shared/transport';

/** The Marketplace app's ID: the App ID field, else the part of the Client ID before its dash. */
function appIdOf(credentials: ICredentialDataDecryptedObject): string {
	const given = String(credentials.appId ?? '').trim();
	return (
		given ||
		String(credentials.clientId ?? '')
			.split('-')[0]
			.trim()
	);
}

/**
 * One page of the sub-accounts where the app is installed (GET /oauth/installedLocations, with the
 * company token through n8n's OAuth2 helper: transport.ts's companyRequest). A connection that is
 * no agency's gets an error that says the list needs one.
 */
async function installedLocations(
	context: ILoadOptionsFunctions,
	type: string,
	credentials: ICredentialDataDecryptedObject,
	options: { skip?: number; query?: string } = {},
): Promise<{ locations: IDataObject[]; more: boolean }> {
	if (!isAgencyConnection(type, credentials)) {
		throw new NodeOperationError(context.getNode(), 'The list of sub-accounts needs an agency connection', {
			description: 'Use an OAuth2 credential connected as "Agency", or enter the Location ID.',
		});
	}
	const qs: IDataObject = {
		companyId: companyIdOf(credentials),
		appId: appIdOf(credentials),
		isInstalled: true,
		skip: options.skip ?? 0,
		limit: PAGE_SIZE.installedLocations,
	};
	if (options.query) qs.query = options.query;
	let answer: IDataObject;
	try {
		answer = await companyRequest(context, {
			method: 'GET',
			url: `${credentialBaseUrl(credentials)}/oauth/installedLocations`,
			qs,
			headers: { Accept: 'application/json', Version: API_VERSION_CONTACTS_USERS_OAUTH },
			json: true,
		});
	} catch (error) {
		const failure = failureOf(scrubSecrets(error, [String(((credentials.oauthTokenData ?? {}) as IDataObject).access_token ?? '')]));
		const says = failure.apiMessages.length ? ` HighLevel says: "${redact(failure.apiMessages.join('; '))}".` : '';
		throw new NodeOperationError(
			context.getNode(),
			`Could not list the sub-accounts where the app is installed (${failure.status ?? failure.code ?? 'no answer'})`,
			{
				description: `The agency token needs the oauth.readonly scope, and the App ID must be the Marketplace app's (the credential's App ID field).${says}`,
			},
		);
	}
	const locations = Array.isArray(answer?.locations) ? (answer.locations as IDataObject[]) : [];
	return {
		locations: locations.filter((location) => location.isInstalled !== false),
		more: locations.length >= PAGE_SIZE.installedLocations,
	};
}

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
	const page = await installedLocations(this, type, await this.getCredentials(type), { skip, query: filter });
	const results = page.locations.map((location: IDataObject) => ({
		name: String(location.name || location._id),
		value: String(location._id),
		description: location.address ? String(location.address) : undefined,
	}));
	return { results, paginationToken: page.more ? String(skip + results.length) : undefined };
}
