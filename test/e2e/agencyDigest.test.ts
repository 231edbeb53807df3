/**
 * The agency digest template (templates/agency-digest.json) through n8n's engine against the
 * agency sandbox: one summary of every installed sub-account's unread conversations and the one
 * waiting longest, computed from each sub-account's own data; one token exchange per sub-account.
 */
import nock from 'nock';
import '../sandbox/helpers';
import { runAgencyDigest } from '../../demo/agency';
import type { IDataObject } from 'n8n-workflow';

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());

describe('agency digest', () => {
	it('summarises every installed sub-account from its own data, one exchange each', async () => {
		const { result, agency, closing } = await runAgencyDigest();
		await closing;

		expect(result.error).toBeUndefined();
		expect(result.executed).toEqual([
			'When clicking ‘Execute workflow’',
			'Agency settings',
			'Installed sub-accounts',
			'One item per sub-account',
			'Unread conversations',
			'Digest',
		]);
		const digests = result.json('Digest');
		expect(digests).toHaveLength(1);
		const accounts = digests[0].subAccounts as IDataObject[];
		expect(accounts.map((account) => account.locationId).sort()).toEqual(agency.locations.map((location) => location.locationId).sort());
		let total = 0;
		for (const location of agency.locations) {
			const unread = location.state.listConversations().filter((conversation) => conversation.unreadCount > 0);
			const oldest = [...unread].sort((a, b) => a.lastMessageDate - b.lastMessageDate)[0];
			const account = accounts.find((candidate) => candidate.locationId === location.locationId) as IDataObject;
			expect(account.unread).toBe(unread.length);
			expect((account.oldestWaiting as IDataObject | null)?.conversationId ?? null).toBe(oldest?.id ?? null);
			total += unread.length;
		}
		expect(total).toBeGreaterThan(0);
		expect(digests[0].totalUnread).toBe(total);
		// Sorted by unread, most first; the sub-account without the app is not listed.
		expect(accounts.map((account) => account.unread)).toEqual(
			[...accounts.map((account) => account.unread)].sort((a, b) => Number(b) - Number(a)),
		);
		expect(accounts.map((account) => account.locationId)).not.toContain(agency.notInstalledIds[0]);
		expect(Object.fromEntries(agency.exchanges)).toEqual(Object.fromEntries(agency.locations.map((location) => [location.locationId, 1])));
	});
});
