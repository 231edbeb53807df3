import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';

const subtypes = (count: number) =>
	Array.from({ length: count }, (_, i) => ({
		id: `st-${i}`,
		name: `Newsletter ${i}`,
		channel: 'email',
		locationId: LOCATION_ID,
	}));

describe('Custom Subtype > Get Many', () => {
	it('sends GET with the credential location and outputs one item per subtype of the list property', async () => {
		const list = subtypes(3);
		const scope = api()
			.get('/conversations/preferences/custom-subtypes')
			.query({ locationId: LOCATION_ID })
			.reply(200, { customSubtypes: list, total: 3 });

		const { items, error } = await runNode({
			parameters: { resource: 'customSubtype', operation: 'getAll', returnAll: true },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual(list);
	});

	it('accepts a bare array body, uses the node Location ID and cuts to Limit', async () => {
		const list = subtypes(5);
		const scope = api().get('/conversations/preferences/custom-subtypes').query({ locationId: 'other-loc' }).reply(200, list);

		const { items, error } = await runNode({
			parameters: { resource: 'customSubtype', operation: 'getAll', limit: 2, locationId: 'other-loc' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual(list.slice(0, 2));
	});

	it('outputs a body without a single list as it is', async () => {
		const body = { success: true, email: subtypes(1), sms: subtypes(2) };
		const scope = api().get('/conversations/preferences/custom-subtypes').query({ locationId: LOCATION_ID }).reply(200, body);

		const { items, error } = await runNode({
			parameters: { resource: 'customSubtype', operation: 'getAll', returnAll: true },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([body]);
	});

	it('outputs nothing for an empty list', async () => {
		const scope = api().get('/conversations/preferences/custom-subtypes').query({ locationId: LOCATION_ID }).reply(200, { subtypes: [] });

		const { items, error } = await runNode({
			parameters: { resource: 'customSubtype', operation: 'getAll', returnAll: true },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toEqual([]);
	});
});
