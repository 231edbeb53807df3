/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the spec file it checks against. */
/**
 * One agency credential, five sub-accounts of the agency sandbox, one workflow through n8n's
 * engine: every item reads and writes its own sub-account's data, and the node exchanges the
 * company token once per sub-account touched. Also, over real HTTP: location tokens that expire
 * (compressed time), the company token refreshed by n8n, the sandbox's own rate limit per location,
 * and the sub-account where the app is not installed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import './helpers';
import type { INode } from 'n8n-workflow';
import { createAgencySandbox, type AgencySandbox } from '../../sandbox/agency';
import { runNode } from '../support/engine';
import { agencyCredentials } from '../../demo/agency';
import { NODE_TYPE, testNode } from '../support/nodes';
import { runWorkflow } from '../support/workflow';
import { freshProcess } from '../support/process';
import { CREDENTIAL_TYPE } from '../../credentials/constants';

let time = Date.UTC(2026, 10, 29, 12);
let agency: AgencySandbox;
let baseUrl: string;

/** The agency's OAuth2 credential as n8n stores it (the demo's). */
const agencyCredential = () => agencyCredentials(agency, baseUrl);

/** Conversation → Get Many of one conversation of a location (a value or an expression). */
const readOne = (locationId: string) => ({
	resource: 'conversation',
	operation: 'getAll',
	returnAll: false,
	limit: 1,
	locationId,
	filters: {},
	sortOptions: {},
});
const totalExchanges = () => [...agency.exchanges.values()].reduce((sum, count) => sum + count, 0);

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());
beforeEach(async () => {
	agency = await createAgencySandbox({ locations: 5, conversations: 6, locationTokenSeconds: 3600, now: () => time });
	baseUrl = await agency.listen();
});
afterEach(async () => await agency.close());

describe('agency sandbox: one credential, five sub-accounts', () => {
	it("one workflow reads and writes each sub-account's own data; token exchanges = sub-accounts touched", async () => {
		const node = (name: string, parameters: Record<string, unknown>, x: number): INode => ({
			...testNode({ id: name, name, type: NODE_TYPE, parameters: parameters as never, credentialType: CREDENTIAL_TYPE.marketplaceApp }),
			position: [x, 0],
		});
		const workflow = {
			name: 'agency fan-out',
			nodes: [
				node('Read', readOne('={{ $json.locationId }}'), 0),
				node(
					'Write',
					{
						resource: 'conversation',
						operation: 'update',
						conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
						locationId: '={{ $json.locationId }}',
						updateFields: { starred: true },
					},
					200,
				),
			],
			connections: { Read: { main: [[{ node: 'Write', type: 'main', index: 0 }]] } },
		};
		// Ten items over the five sub-accounts, two each, in mixed order.
		const ids = agency.locations.map((location) => location.locationId);
		const input = [...ids, ...ids.slice().reverse()].map((locationId) => ({ locationId }));

		const result = await runWorkflow(workflow as never, { credentials: agencyCredential(), startNode: 'Read', triggerItems: input });

		expect(result.error).toBeUndefined();
		const read = result.json('Read');
		expect(read.map((row) => row.locationId)).toEqual(input.map((item) => item.locationId));
		// Each row is the newest conversation of that sub-account's own data.
		for (const [index, row] of read.entries()) {
			const sandbox = agency.locations.find((location) => location.locationId === input[index].locationId)!;
			expect(sandbox.state.conversation(String(row.id))).toBeDefined();
		}
		// The write landed in each sub-account's own sandbox, and nowhere else.
		for (const sandbox of agency.locations) {
			const starred = read.filter((row) => row.locationId === sandbox.locationId).map((row) => String(row.id));
			for (const id of starred) expect(sandbox.state.conversation(id)?.starred).toBe(true);
		}
		expect(result.json('Write')).toHaveLength(10);
		expect(Object.fromEntries(agency.exchanges)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
		expect(totalExchanges()).toBe(5);
	});

	it('an expired location token is replaced (compressed time), an expired company token is refreshed by n8n', async () => {
		const location = agency.locations[0].locationId;
		const parameters = readOne(location);
		const stored = agencyCredential();
		expect((await runNode({ parameters, credentials: stored })).error).toBeUndefined();
		expect(totalExchanges()).toBe(1);

		// Past the token's hour: the node asks for a new one before the API would refuse the old one.
		time += 3600 * 1000;
		expect((await runNode({ parameters, credentials: stored })).error).toBeUndefined();
		expect(totalExchanges()).toBe(2);

		// The sandbox also expires tokens by itself: revoked tokens answer 401, the node gets one new token.
		agency.revokeLocationTokens();
		expect((await runNode({ parameters, credentials: stored })).error).toBeUndefined();
		expect(totalExchanges()).toBe(3);

		// The company token stops working: n8n refreshes it (saved), then the exchange succeeds.
		agency.expireCompanyToken();
		// As a new process: no location token in memory.
		freshProcess.next();
		const { error, credentialsHelper } = await runNode({ parameters, credentials: stored });
		expect(error).toBeUndefined();
		expect(credentialsHelper.tokenUpdates.map((update) => (update.data.oauthTokenData as { access_token: string }).access_token)).toEqual([
			agency.companyToken.access,
		]);
		expect(totalExchanges()).toBe(4);
	});

	it('the sub-account without the app: an error that says so; the others still run', async () => {
		const { items } = await runNode({
			parameters: readOne('={{ $json.locationId }}'),
			credentials: agencyCredential(),
			input: [{ json: { locationId: agency.notInstalledIds[0] } }, { json: { locationId: agency.locations[1].locationId } }],
			continueOnFail: true,
		});
		expect(items[0].json.error).toBe(
			`The app is not installed on sub-account ${agency.notInstalledIds[0]} (HighLevel refused a token for it: 400)`,
		);
		expect(items[1].json.locationId).toBe(agency.locations[1].locationId);
	});

	it('each sub-account has its own rate limit; installed locations lists only where the app is', async () => {
		await agency.close();
		agency = await createAgencySandbox({ locations: 2, conversations: 3, rateLimit: { max: 3, intervalMs: 10_000 }, now: () => time });
		baseUrl = await agency.listen();
		const [first, second] = agency.locations;
		// Three requests on the first sub-account use up its burst of 3...
		const { error } = await runNode({
			parameters: readOne('={{ $json.locationId }}'),
			credentials: agencyCredential(),
			input: [1, 2, 3].map(() => ({ json: { locationId: first.locationId } })),
		});
		expect(error).toBeUndefined();
		const probe = async (sandbox: typeof first) =>
			await sandbox.app.inject({
				method: 'GET',
				url: `/conversations/search?locationId=${sandbox.locationId}&limit=1`,
				headers: { authorization: `Bearer ${sandbox.token}`, version: '2021-04-15' },
			});
		expect((await probe(first)).statusCode).toBe(429);
		// ...and leave the second one's untouched.
		const other = await probe(second);
		expect(other.statusCode).toBe(200);
		expect(other.headers['x-ratelimit-remaining']).toBe('2');

		const response = await fetch(
			`${baseUrl}/oauth/installedLocations?companyId=${agency.companyId}&appId=${agency.appId}&isInstalled=true`,
			{
				headers: { authorization: `Bearer ${agency.companyToken.access}`, version: '2021-07-28' },
			},
		);
		const body = (await response.json()) as { locations: Array<{ _id: string; isInstalled: boolean }> };
		expect(body.locations.map((location) => location._id)).toEqual([first.locationId, second.locationId]);
	});

	it("answers HighLevel's error bodies: wrong Version, company token on a sub-account API", async () => {
		const version = await fetch(`${baseUrl}/oauth/locationToken`, {
			method: 'POST',
			headers: { authorization: `Bearer ${agency.companyToken.access}`, 'content-type': 'application/x-www-form-urlencoded' },
			body: `companyId=${agency.companyId}&locationId=${agency.locations[0].locationId}`,
		});
		expect(version.status).toBe(400);
		expect(await version.json()).toEqual({ statusCode: 400, message: 'Version header was not found', error: 'Bad Request' });
		const company = await fetch(`${baseUrl}/conversations/search?locationId=${agency.locations[0].locationId}`, {
			headers: { authorization: `Bearer ${agency.companyToken.access}`, version: '2021-04-15' },
		});
		expect(company.status).toBe(401);
		expect(await company.json()).toEqual({ statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' });
	});

	it('answers as apps/oauth.json declares: Version, form body, response fields, and the agency scopes', async () => {
		type Schema = { properties?: Record<string, unknown>; required?: string[] };
		const spec = JSON.parse(readFileSync(path.join(__dirname, '../../specs/highlevel-api/apps/oauth.json'), 'utf8')) as {
			paths: Record<
				string,
				Record<
					string,
					{ security?: Array<Record<string, string[]>>; parameters?: Array<{ name: string; in: string; schema?: { default?: string } }> }
				>
			>;
			components: { schemas: Record<string, Schema> };
		};
		const exchangeOp = spec.paths['/oauth/locationToken'].post;
		const listOp = spec.paths['/oauth/installedLocations'].get;
		expect(exchangeOp.security).toEqual([{ 'Agency-Access-Only': ['oauth.write'] }]);
		expect(listOp.security).toEqual([{ 'Agency-Access-Only': ['oauth.readonly'] }]);
		expect(spec.components.schemas.GetLocationAccessCodeBodyDto.required).toEqual(['companyId', 'locationId']);

		const response = await fetch(`${baseUrl}/oauth/locationToken`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${agency.companyToken.access}`,
				version: '2021-07-28',
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: `companyId=${agency.companyId}&locationId=${agency.locations[0].locationId}`,
		});
		const answer = (await response.json()) as Record<string, unknown>;
		const declared = Object.keys(spec.components.schemas.GetLocationAccessTokenSuccessfulResponseDto.properties ?? {});
		for (const key of ['access_token', 'token_type', 'expires_in', 'scope', 'locationId']) expect(declared).toContain(key);
		expect(Object.keys(answer).filter((key) => !declared.includes(key))).toEqual([]);

		const list = (await (
			await fetch(`${baseUrl}/oauth/installedLocations?companyId=${agency.companyId}&appId=${agency.appId}&isInstalled=true`, {
				headers: { authorization: `Bearer ${agency.companyToken.access}`, version: '2021-07-28' },
			})
		).json()) as { locations: Array<Record<string, unknown>> };
		const row = Object.keys(spec.components.schemas.InstalledLocationSchema.properties ?? {});
		for (const location of list.locations) expect(Object.keys(location).filter((key) => !row.includes(key))).toEqual([]);
	});
});
