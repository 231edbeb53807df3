/**
 * Conversation → Get Many against an independent fake of the API (test/support/fakeApi.ts),
 * through n8n's engine: Return All returns every row exactly once whatever the ties (10,000 rows
 * tied in threes, 250 on one sort value, 250 on one sort value and creation time), in a fixed and a
 * reshuffled tie order; it stops at `total` without an extra empty page and still stops safely
 * when `total` is missing or wrong; a 429 in the middle loses and repeats nothing; Limit reads only
 * what it needs; rows without a sort value get an error that names the fields.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { credentials, runNode } from '../support/engine';
import { json } from '../support/api';
import { FakeApi, type FakeApiOptions } from '../support/fakeApi';

const T0 = Date.UTC(2026, 5, 1);
let fake: FakeApi;

async function getMany(options: FakeApiOptions, fill: (api: FakeApi) => void, parameters: IDataObject = { returnAll: true }) {
	fake = new FakeApi(options);
	const baseUrl = await fake.listen();
	fill(fake);
	const result = await runNode({
		parameters: { resource: 'conversation', operation: 'getAll', ...parameters },
		credentials: credentials.privateIntegrationToken({ privateIntegrationToken: fake.token, locationId: fake.locationId, baseUrl }),
	});
	const ids = json(result.items).map((item) => String((item as IDataObject).id));
	const searches = fake.requests.filter((request) => request.path === '/conversations/search');
	return { ...result, ids, searches };
}

/** `count` conversations, `group` of them sharing each last message date (creation dates distinct unless `sameCreation`). */
function tied(count: number, group: number, sameCreation = false) {
	return (api: FakeApi) => {
		for (let i = 0; i < count; i++) {
			const conversation = api.addConversation(`c${String(i).padStart(5, '0')}`, sameCreation ? T0 : T0 + i);
			conversation.lastMessageDate = T0 + 10_000_000 - Math.floor(i / group) * 1000;
		}
	};
}

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterEach(async () => await fake.close());
afterAll(() => nock.disableNetConnect());

describe('Conversation → Get Many: Return All with ties, against an independent fake', () => {
	for (const tieOrder of ['fixed', 'shuffled'] as const) {
		it(`10,000 rows tied in threes (${tieOrder} order): every row exactly once, stopping at total`, async () => {
			const { ids, error, searches } = await getMany({ tieOrder }, tied(10_000, 3));
			expect(error).toBeUndefined();
			expect(ids).toHaveLength(10_000);
			expect(new Set(ids).size).toBe(10_000);
			// Each page reads its boundary rows again (ties): a few pages more than 100, and no empty page.
			expect(searches.length).toBeLessThanOrEqual(104);
			expect(searches.every((request) => request.query.limit === '100')).toBe(true);
		});

		it(`250 rows on one sort value (${tieOrder} order): every row once, read by creation-date ranges`, async () => {
			const { ids, error, items } = await getMany({ tieOrder }, tied(250, 250));
			expect(error).toBeUndefined();
			expect(ids.sort()).toEqual(Array.from({ length: 250 }, (_, i) => `c${String(i).padStart(5, '0')}`));
			expect(json(items).some((item) => (item as IDataObject).warning !== undefined)).toBe(false);
		});

		it(`250 rows on one sort value and one creation time (${tieOrder} order): what the API shows, each once, with a visible warning when not all`, async () => {
			const { ids, error, items } = await getMany({ tieOrder, seed: 7 }, tied(250, 250, true));
			expect(error).toBeUndefined();
			expect(new Set(ids).size).toBe(ids.length);
			if (tieOrder === 'shuffled') {
				expect(ids).toHaveLength(250);
			} else {
				expect(ids).toHaveLength(100);
				expect((json(items)[0] as IDataObject).warning).toBe(
					`250 conversations share the sort value ${T0 + 10_000_000} and the creation time ${new Date(T0).toISOString()}; the API's search can page through only 100 of them, so some may be missing`,
				);
			}
		});
	}

	it('10,000 rows without ties: 100 requests (one per 100 rows, none empty), every row once', async () => {
		const { ids, searches } = await getMany({}, tied(10_000, 1));
		expect(new Set(ids).size).toBe(10_000);
		expect(ids).toHaveLength(10_000);
		expect(searches).toHaveLength(100);
	});

	it('one tie cut exactly at a page boundary in otherwise untied rows: found again through total', async () => {
		const { ids, searches } = await getMany({}, (api) => {
			tied(1_000, 1)(api);
			// Rows 99, 100 and 101 share one value: the first page ends inside the tie.
			for (const id of ['c00100', 'c00101']) api.conversations.get(id)!.lastMessageDate = api.conversations.get('c00099')!.lastMessageDate;
		});
		expect(new Set(ids).size).toBe(1_000);
		expect(ids).toHaveLength(1_000);
		expect(searches.length).toBeLessThanOrEqual(12);
	});

	it('ascending order, 1,000 rows tied in threes and a block of 250 on one value: every row once', async () => {
		const { ids, searches } = await getMany(
			{},
			(api) => {
				tied(1_000, 3)(api);
				for (let i = 0; i < 250; i++)
					api.addConversation(`b${String(i).padStart(3, '0')}`, T0 + 50_000 + i).lastMessageDate = T0 + 5_000_000;
			},
			{ returnAll: true, sortOptions: { sort: 'asc' } },
		);
		expect(ids).toHaveLength(1_250);
		expect(new Set(ids).size).toBe(1_250);
		expect(searches.every((request) => request.query.sort === 'asc')).toBe(true);
	});

	it('total missing: stops at the short page; every row once', async () => {
		const { ids, searches } = await getMany({ total: 'missing' }, tied(1_000, 3));
		expect(new Set(ids).size).toBe(1_000);
		expect(ids).toHaveLength(1_000);
		expect(searches.length).toBeLessThanOrEqual(12);
	});

	it('total too large: goes on to the short page; every row once', async () => {
		const { ids } = await getMany({ total: (exact) => exact + 500 }, tied(1_000, 3));
		expect(ids).toHaveLength(1_000);
		expect(new Set(ids).size).toBe(1_000);
	});

	it('total smaller than the rows already read: ignored; every row once', async () => {
		const { ids } = await getMany({ total: () => 50 }, tied(1_000, 3));
		expect(ids).toHaveLength(1_000);
		expect(new Set(ids).size).toBe(1_000);
	});

	it('a 429 in the middle of the paging: waited for and sent again; every row once', async () => {
		fake = new FakeApi();
		const { ids, searches } = await getMany({}, (api) => {
			tied(1_000, 3)(api);
			api.fail429.add(4);
			api.fail429.add(5);
		});
		expect(searches.filter((request) => request.status === 429)).toHaveLength(2);
		expect(ids).toHaveLength(1_000);
		expect(new Set(ids).size).toBe(1_000);
	});

	it('Limit reads only what it needs: 150 rows tied in threes are two requests, the second for 50 plus the boundary rows it reads again', async () => {
		const { ids, searches } = await getMany({}, tied(1_000, 3), { returnAll: false, limit: 150 });
		expect(ids).toHaveLength(150);
		expect(new Set(ids).size).toBe(150);
		expect(searches.map((request) => request.query.limit)).toEqual(['100', '51']);
		expect(searches[1].query.startAfterDate).toBe(String(T0 + 10_000_000 - 33 * 1000 + 1));
	});

	it('rows shaped like the spec (no sort value): Return All past one page fails with an error naming the fields; Limit 100 works', async () => {
		const failed = await getMany({ rows: 'spec' }, tied(150, 1));
		expect(failed.error?.message).toContain(
			'The search rows carry no sort value (`sort`, `lastMessageDate`, `dateUpdated` or `dateAdded`)',
		);
		await fake.close();
		const limited = await getMany({ rows: 'spec' }, tied(150, 1), { returnAll: false, limit: 100 });
		expect(limited.error).toBeUndefined();
		expect(limited.ids).toHaveLength(100);
	});
});
