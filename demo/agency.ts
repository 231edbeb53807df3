/**
 * Demo of the agency digest template (templates/agency-digest.json): one agency credential, the
 * agency sandbox's sub-accounts (one without the app), one summary of unread conversations.
 */
import { createAgencySandbox, type AgencySandbox } from '../sandbox/agency';
import type { CredentialData } from '../test/support/engine';
import { loadTemplate, runWorkflow, withFields, type WorkflowRunResult } from '../test/support/workflow';
import type { IDataObject } from 'n8n-workflow';

type Print = (line: string) => void;

/** An OAuth2 credential connected as an agency, as n8n stores it, for the agency sandbox. */
export function agencyCredentials(agency: AgencySandbox, baseUrl: string): CredentialData {
	return {
		conversationsOAuth2Api: {
			accountType: 'agency',
			grantType: 'authorizationCode',
			authUrl: 'https://marketplace.gohighlevel.com/v2/oauth/chooselocation',
			accessTokenUrl: `${baseUrl}/oauth/token`,
			clientId: agency.clientId,
			clientSecret: agency.clientSecret,
			scope: '',
			authentication: 'body',
			locationId: '',
			baseUrl,
			oauthTokenData: {
				access_token: agency.companyToken.access,
				refresh_token: agency.companyToken.refresh,
				token_type: 'Bearer',
				userType: 'Company',
				companyId: agency.companyId,
			},
		},
	};
}

/** Runs the agency digest against a fresh agency sandbox; returns the run and the sandbox's facts. */
export async function runAgencyDigest(): Promise<{ result: WorkflowRunResult; agency: AgencySandbox; closing: Promise<void> }> {
	const agency = await createAgencySandbox({ locations: 5, conversations: 12, seed: 7 });
	const baseUrl = await agency.listen(0, '127.0.0.1');
	const workflow = withFields(loadTemplate('agency-digest'), 'Agency settings', {
		companyId: agency.companyId,
		appId: agency.appId,
		apiBaseUrl: baseUrl,
	});
	try {
		const result = await runWorkflow(workflow, { credentials: agencyCredentials(agency, baseUrl) });
		return { result, agency, closing: agency.close() };
	} finally {
		// Closed however the run ended (close() is idempotent).
		void agency.close();
	}
}

export async function agencyDigest(print: Print, number: number): Promise<void> {
	const { result, agency, closing } = await runAgencyDigest();
	await closing;
	const failed = result.error ?? result.nodeError('Unread conversations');
	if (failed) throw new Error(failed.message);
	const [digest] = result.json('Digest');
	const accounts = (digest?.subAccounts ?? []) as IDataObject[];
	const exchanges = [...agency.exchanges.values()].reduce((sum, count) => sum + count, 0);
	print(
		`${number}. Agency digest (Manual Trigger, agency credential): ${accounts.length} sub-accounts with the app installed ` +
			`(${agency.notInstalledIds.length} without it skipped), ${String(digest?.totalUnread)} unread conversations, ${exchanges} token exchanges`,
	);
	for (const account of accounts) {
		const oldest = account.oldestWaiting as IDataObject | null;
		print(
			`   - ${String(account.subAccount)}: ${String(account.unread)} unread` +
				(oldest ? `, oldest waiting since ${String(oldest.since).slice(0, 16).replace('T', ' ')} (${String(oldest.contact)})` : ''),
		);
	}
}
