import type { INodeParameters } from 'n8n-workflow';
import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';

const cases: Array<[string, INodeParameters, (scope: ReturnType<typeof api>) => unknown]> = [
	[
		'Contact Subscription > Change',
		{
			resource: 'contactSubscription',
			operation: 'change',
			contactId: 'c-1',
			email: 'a@example.com',
			subscriptionType: 'default',
			subtypeName: 'One on One',
			subtypeStatus: 'unsubscribed',
		},
		(s) => s.post('/conversations/preferences/unsubscriptions/user-change'),
	],
	[
		'Contact Subscription > Get Status',
		{ resource: 'contactSubscription', operation: 'getStatus', contactId: 'c-1' },
		(s) => s.get('/conversations/preferences/unsubscriptions/status').query({ locationId: LOCATION_ID, contactId: 'c-1' }),
	],
	[
		'Custom Subtype > Create',
		{ resource: 'customSubtype', operation: 'create', name: 'News', channel: 'email', language: 'en' },
		(s) => s.post('/conversations/preferences/custom-subtypes').query(true),
	],
	[
		'Custom Subtype > Get Many',
		{ resource: 'customSubtype', operation: 'getAll', returnAll: true },
		(s) => s.get('/conversations/preferences/custom-subtypes').query(true),
	],
	[
		'Custom Subtype > Update',
		{ resource: 'customSubtype', operation: 'update', customSubtypeId: 'st-1', updateFields: { name: 'News' } },
		(s) => s.put('/conversations/preferences/custom-subtypes/st-1').query(true),
	],
];

describe('A 200 answer with no body', () => {
	describe.each(cases)('%s', (_name, parameters, request) => {
		it.each([
			['no body at all', undefined],
			['an empty text', ''],
		])('%s: one object per item', async (_what, body) => {
			const scope = api();
			(request(scope) as { times(n: number): { reply(status: number, body?: string): unknown } }).times(2).reply(200, body);
			const { items, error } = await runNode({ parameters, input: [{ json: { n: 1 } }, { json: { n: 2 } }] });
			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			const expected = parameters.operation === 'getAll' ? [] : [{ success: true }, { success: true }];
			expect(json(items)).toEqual(expected);
		});
	});
});
