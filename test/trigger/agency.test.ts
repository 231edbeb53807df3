/**
 * The polling trigger with an agency connection, against the agency sandbox over HTTP: it watches
 * the sub-accounts named in "Sub-Accounts (Agency)", each with its own state and token, one
 * request per idle poll per sub-account, and emits each new message once, from its sub-account.
 */
import nock from 'nock';
import { createAgencySandbox, type AgencySandbox } from '../../sandbox/agency';
import { agencyCredentials } from '../../demo/agency';
import { TriggerHarness } from '../support/poll';

let agency: AgencySandbox;
let baseUrl: string;

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());
beforeEach(async () => {
	agency = await createAgencySandbox({ locations: 3, conversations: 5, rateLimit: false });
	baseUrl = await agency.listen();
});
afterEach(async () => await agency.close());

const counts = () =>
	Object.fromEntries(agency.locations.map((location) => [location.locationId, agency.requests.get(location.locationId) ?? 0]));

describe('trigger with an agency connection', () => {
	it('watches the named sub-accounts: state per sub-account, 1 request per idle poll each, new messages once', async () => {
		const [first, second, third] = agency.locations;
		const harness = new TriggerHarness({
			parameters: {
				authentication: 'oAuth2',
				event: 'newMessage',
				direction: 'inbound',
				locationIds: `${first.locationId}, ${second.locationId}`,
			},
			credentials: agencyCredentials(agency, baseUrl),
		});

		const activation = await harness.poll();
		expect(activation.error).toBeUndefined();
		expect(activation.items).toEqual([]);
		const saved = JSON.parse(harness.database) as Record<string, { locations: Record<string, unknown> }>;
		expect(Object.keys(saved['node:Conversations API Trigger'].locations).sort()).toEqual([first.locationId, second.locationId].sort());

		const before = counts();
		const idle = await harness.poll();
		expect(idle.error).toBeUndefined();
		expect(idle.items).toEqual([]);
		const after = counts();
		expect(after[first.locationId] - before[first.locationId]).toBe(1);
		expect(after[second.locationId] - before[second.locationId]).toBe(1);
		expect(after[third.locationId]).toBe(0);

		const added = await second.simulate({ newConversations: 1 });
		await third.simulate({ newConversations: 1 });
		const busy = await harness.poll();
		expect(busy.error).toBeUndefined();
		expect(busy.items.map((item) => item.json.messageId ?? item.json.id)).toEqual(added.messages);
		expect(busy.items.every((item) => item.json.locationId === second.locationId)).toBe(true);

		expect((await harness.poll()).items).toEqual([]);
		// One exchange per watched sub-account over all polls.
		expect(Object.fromEntries(agency.exchanges)).toEqual({ [first.locationId]: 1, [second.locationId]: 1 });
	});

	it('a sub-account that fails fails the poll without losing what the others had: their events come on the next poll, once', async () => {
		const [first, second] = agency.locations;
		const harness = new TriggerHarness({
			parameters: {
				authentication: 'oAuth2',
				event: 'newMessage',
				direction: 'inbound',
				locationIds: `${first.locationId}, ${second.locationId}`,
			},
			credentials: agencyCredentials(agency, baseUrl),
		});
		expect((await harness.poll()).error).toBeUndefined();

		const added = await first.simulate({ newConversations: 1 });
		// The second sub-account answers 503 to every attempt of this poll (n8n keeps the workflow,
		// and so its static data, in memory from one poll to the next).
		second.faults.failNext(20, 503);
		const failed = await harness.poll();
		expect(failed.error).toBeDefined();
		expect(failed.items).toEqual([]);

		second.faults.setRate(0);
		while (second.faults.draw() !== undefined);
		const next = await harness.poll();
		expect(next.error).toBeUndefined();
		expect(next.items.map((item) => item.json.messageId ?? item.json.id)).toEqual(added.messages);
		expect((await harness.poll()).items).toEqual([]);
	});
});
