/**
 * An agency's OAuth2 connection in real n8n: the package's OAuth2 credential (Connect As: Agency)
 * connected through n8n's own OAuth2 flow against an agency sandbox that plays HighLevel's
 * authorization page and token endpoint, then the agency digest template run with it.
 *
 * The credential's Authorization URL is hidden and fixed to HighLevel's page (n8n 2.x ignores a
 * stored value for hidden OAuth URL fields), so the harness, as the browser, opens that page's path
 * and query on the sandbox: the same request, another host. The token URL follows the credential's
 * Base URL, so n8n itself exchanges the code at the sandbox.
 */
import { createAgencySandbox, type AgencySandbox } from '../../../sandbox/agency';
import { outputItems, type ExecutionDetail } from '../n8n';
import { expect } from '../report';
import { loadTemplate, withCredential, withFields, type WorkflowJson } from '../workflows';
import type { RunningN8n } from './regular';
import {
	AGENCY_SCOPES,
	CREDENTIAL_TYPE as NODE_CREDENTIAL_TYPE,
	OAUTH_AUTHORIZATION_URL,
	OAUTH_SCOPES,
} from '../../../credentials/constants';

const OAUTH2_TYPE = NODE_CREDENTIAL_TYPE.marketplaceApp;
/** The name the template's nodes give the credential. */
const AGENCY_CREDENTIAL_NAME = 'Conversations API agency account';
const MANUAL_TRIGGER = 'When clicking ‘Execute workflow’';
/** n8n's "unchanged, keep the stored value" marker in credential data sent back to it (n8n-workflow's CREDENTIAL_BLANKING_VALUE, the same in 1.x and 2.x). */
const CREDENTIAL_BLANKING_VALUE = '__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6';

type RunTemplate = (n8n: RunningN8n, workflow: WorkflowJson, trigger: string) => Promise<ExecutionDetail>;

const sum = (counts: Map<string, number>) => [...counts.values()].reduce((total, count) => total + count, 0);
/** Counts per sub-account in a stable order (exchanges run concurrently, so the map's order varies). */
const sorted = (counts: Map<string, number>) => JSON.stringify([...counts].sort(([a], [b]) => a.localeCompare(b)));

export async function agencyChecks(n8n: RunningN8n, runTemplate: RunTemplate): Promise<void> {
	const { api, report, suite } = n8n;
	const callback = `${n8n.n8nUrl}/rest/oauth2-credential/callback`;
	// The Marketplace app registers n8n's OAuth Redirect URL (the credential dialog shows it): any other is refused.
	const agency = await createAgencySandbox({ locations: 5, notInstalled: 1, conversations: 12, seed: 7, redirectUris: [callback] });
	const agencyUrl = await agency.listen(0, '127.0.0.1');
	try {
		let credentialId = '';
		const connected = await report.check(
			suite,
			"OAuth2 credential (Connect As: Agency) connected through n8n's own OAuth2 flow",
			async () => {
				// What a user fills in: Connect As, the app's Client ID and Secret, the Base URL (Scope, App ID,
				// Marketplace left at their defaults).
				credentialId = await api.createCredential(AGENCY_CREDENTIAL_NAME, OAUTH2_TYPE, {
					accountType: 'agency',
					clientId: agency.clientId,
					clientSecret: agency.clientSecret,
					baseUrl: agencyUrl,
				});
				// "Connect my account": n8n builds HighLevel's authorization URL with its state.
				const authorization = new URL(await api.request<string>('GET', `/rest/oauth2-credential/auth?id=${credentialId}`));
				const query = Object.fromEntries(authorization.searchParams);
				expect(
					`${authorization.origin}${authorization.pathname}` === OAUTH_AUTHORIZATION_URL.standard,
					`authorization page ${authorization.origin}${authorization.pathname}, expected ${OAUTH_AUTHORIZATION_URL.standard}`,
				);
				const scope = [...OAUTH_SCOPES, ...AGENCY_SCOPES].join(' ');
				expect(
					query.response_type === 'code' && query.client_id === agency.clientId && query.redirect_uri === callback,
					`authorization query ${JSON.stringify({ ...query, state: '…' })}`,
				);
				expect(query.scope === scope, `scope "${query.scope}", expected the agency default "${scope}"`);
				expect(Boolean(query.state), 'no state in the authorization URL');

				// The browser opens the page (on the sandbox), the agency admin consents: a redirect to n8n.
				const page = await fetch(`${agencyUrl}${authorization.pathname}${authorization.search}`, { redirect: 'manual' });
				const location = page.headers.get('location') ?? '';
				await page.arrayBuffer();
				expect(
					page.status === 302 && location.startsWith(`${callback}?`),
					`authorization page answered ${page.status} → ${location || 'nowhere'}`,
				);
				expect(new URL(location).searchParams.get('state') === query.state, "the redirect does not carry n8n's state");

				// The browser follows it to n8n with its cookies: n8n redeems the code at the token URL and stores the token.
				const landing = await api.browse(location);
				expect(
					landing.status === 200 && landing.text.includes('Connection successful'),
					`n8n's callback answered ${landing.status}: ${landing.text.replace(/<[^>]+>|\s+/g, ' ').slice(0, 300)}`,
				);
				const [consent] = agency.authorizations;
				expect(
					agency.authorizations.length === 1 && consent.redeemed,
					`${agency.authorizations.length} consents, redeemed: ${String(consent?.redeemed)}`,
				);

				// The editor's view: "Account connected" is the token data's presence (n8n shows it as `true`).
				const stored = await api.request<{ data?: Record<string, unknown> }>('GET', `/rest/credentials/${credentialId}?includeData=true`);
				expect(
					stored.data?.oauthTokenData === true,
					`n8n's credential shows no token data: ${JSON.stringify(stored.data?.oauthTokenData)}`,
				);
				return `credential ${credentialId}: n8n's authorization URL = HighLevel's page with the agency scopes (${scope.split(' ').length}) and state; sandbox page → n8n's callback → code redeemed once (authorization_code, redirect_uri ${callback.replace(n8n.n8nUrl, '')}); "Connection successful", token stored`;
			},
		);
		if (!connected) return;

		// n8n's editor runs no test for OAuth2 credentials (it shows "Account connected"); the REST
		// API runs the credential's own test, with the stored token when the data says "keep it".
		await report.check(suite, "agency credential's test (POST /rest/credentials/test, the stored agency token)", async () => {
			const stored = await api.request<{ data?: Record<string, unknown> }>('GET', `/rest/credentials/${credentialId}?includeData=true`);
			const data = { ...stored.data, oauthTokenData: CREDENTIAL_BLANKING_VALUE };
			const test = await api.request<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: { id: credentialId, name: AGENCY_CREDENTIAL_NAME, type: OAUTH2_TYPE, data },
			});
			expect(test.status === 'OK', `credential test: ${test.status} ${test.message}`);
			return `${test.status} (${test.message}): GET /oauth/installedLocations with the company token and companyId n8n stored`;
		});

		if (!connected) return;

		// As a user sets up the template: the agency's IDs, the sandbox as API, the connected credential.
		const workflow = withCredential(
			withFields(loadTemplate('agency-digest'), 'Agency settings', {
				companyId: agency.companyId,
				appId: agency.appId,
				apiBaseUrl: agencyUrl,
			}),
			credentialId,
			OAUTH2_TYPE,
			AGENCY_CREDENTIAL_NAME,
		);
		await report.check(
			suite,
			'template agency-digest (manual run, agency OAuth2 credential): one summary of every installed sub-account, one token exchange each',
			async () => {
				const expected = expectedDigest(agency);
				const first = await runTemplate(n8n, workflow, MANUAL_TRIGGER);
				checkDigest(first, expected);
				const installed = agency.locations.map((location) => location.locationId);
				const once = sorted(new Map(installed.map((id) => [id, 1])));
				expect(
					sorted(agency.exchanges) === once,
					`locationToken exchanges ${sorted(agency.exchanges)}, expected one per installed sub-account`,
				);
				const requestsFirst = sum(agency.requests);
				// A second run in the same n8n: the sub-account tokens are still in its memory, no new exchange.
				const second = await runTemplate(n8n, workflow, MANUAL_TRIGGER);
				checkDigest(second, expected);
				expect(sorted(agency.exchanges) === once, `after a second run: exchanges ${sorted(agency.exchanges)}`);
				const requests = sum(agency.requests);
				expect(requests === 2 * requestsFirst, `${requests} Conversations API requests after two runs, ${requestsFirst} after the first`);
				const figures = expected.subAccounts.map((account) => `${account.unread}`).join('+');
				return (
					`executions ${first.id} and ${second.id}: ${expected.subAccounts.length} sub-accounts (the ${agency.notInstalledIds.length} without the app left out), ` +
					`${expected.totalUnread} unread (${figures}), each oldest waiting = the sandbox's; ` +
					`${sum(agency.exchanges)} locationToken exchanges for ${requests} Conversations API requests over both runs`
				);
			},
		);

		await report.check(
			suite,
			'agency-digest after the agency token expired and the sub-account tokens were revoked: n8n refreshes and saves the agency token, one new exchange per sub-account',
			async () => {
				const exchangesBefore = sum(agency.exchanges);
				const refreshBefore = agency.companyToken.refresh;
				// HighLevel's day passed: the stored access token is refused; the sub-account tokens too.
				agency.expireCompanyToken();
				agency.revokeLocationTokens();
				const execution = await runTemplate(n8n, workflow, MANUAL_TRIGGER);
				checkDigest(execution, expectedDigest(agency));
				expect(agency.companyToken.refresh !== refreshBefore, 'the agency token was not refreshed (the refresh grant was not used)');
				const twice = sorted(new Map(agency.locations.map((location) => [location.locationId, 2])));
				expect(sorted(agency.exchanges) === twice, `exchanges ${sorted(agency.exchanges)}, expected two per installed sub-account`);
				// n8n saved the refreshed pair: the credential's test signs with the new access token.
				const stored = await api.request<{ data?: Record<string, unknown> }>('GET', `/rest/credentials/${credentialId}?includeData=true`);
				const test = await api.request<{ status: string; message: string }>('POST', '/rest/credentials/test', {
					credentials: {
						id: credentialId,
						name: AGENCY_CREDENTIAL_NAME,
						type: OAUTH2_TYPE,
						data: { ...stored.data, oauthTokenData: CREDENTIAL_BLANKING_VALUE },
					},
				});
				expect(test.status === 'OK', `credential test after the refresh: ${test.status} ${test.message}`);
				return `execution ${execution.id}: digest exact again; agency token refreshed by n8n (refresh grant) and saved (credential test OK with it); ${sum(agency.exchanges) - exchangesBefore} new locationToken exchanges for ${agency.locations.length} sub-accounts`;
			},
		);
	} finally {
		await agency.close();
	}
}

interface Digest {
	subAccounts: Array<{ subAccount: string; locationId: string; unread: number; oldestWaiting: Record<string, unknown> | null }>;
	totalUnread: number;
}

/** The digest the template must give, from each sub-account sandbox's own state. */
function expectedDigest(agency: AgencySandbox): Digest {
	const subAccounts = agency.locations.map((location, index) => {
		const unread = location.state.listConversations().filter((conversation) => conversation.unreadCount > 0);
		const oldest = [...unread].sort((a, b) => a.lastMessageDate - b.lastMessageDate)[0];
		const contact = oldest ? location.state.contact(oldest.contactId) : undefined;
		return {
			subAccount: `Sub-account ${index + 1}`,
			locationId: location.locationId,
			unread: unread.length,
			oldestWaiting: oldest
				? {
						conversationId: oldest.id,
						contact: contact?.name || contact?.email || contact?.phone || oldest.contactId,
						since: new Date(oldest.lastMessageDate).toISOString(),
						lastMessage: oldest.lastMessageBody,
					}
				: null,
		};
	});
	subAccounts.sort((a, b) => b.unread - a.unread);
	expect(
		subAccounts.some((account) => account.unread > 0),
		'the agency sandbox has no unread conversation: nothing to check',
	);
	return { subAccounts, totalUnread: subAccounts.reduce((total, account) => total + account.unread, 0) };
}

function checkDigest(execution: ExecutionDetail, expected: Digest): void {
	const digests = outputItems(execution, 'Digest');
	expect(digests.length === 1, `execution ${execution.id}: ${digests.length} digest items, expected 1`);
	const actual = JSON.stringify({ subAccounts: digests[0].subAccounts, totalUnread: digests[0].totalUnread });
	expect(
		actual === JSON.stringify(expected),
		`execution ${execution.id}: digest\n${actual.slice(0, 600)}\nexpected\n${JSON.stringify(expected).slice(0, 600)}`,
	);
}
