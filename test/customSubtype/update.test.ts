import nock from 'nock';
import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';

describe('Custom Subtype > Update', () => {
	const updated = { id: 'st-1', name: 'Offers', archived: true };

	it('sends PUT /conversations/preferences/custom-subtypes/{customSubtypeId} with the chosen fields', async () => {
		const scope = api()
			.put('/conversations/preferences/custom-subtypes/st-1', {
				name: 'Offers',
				description: 'Special offers',
				archived: true,
				resubscription_legal_form_id: 'form_123456',
			})
			.query({ locationId: LOCATION_ID })
			.reply(200, updated);

		const { items, error } = await runNode({
			parameters: {
				resource: 'customSubtype',
				operation: 'update',
				customSubtypeId: 'st-1',
				updateFields: {
					name: 'Offers',
					description: 'Special offers',
					archived: true,
					resubscriptionLegalFormId: 'form_123456',
				},
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([updated]);
	});

	it('encodes the ID as one path segment', async () => {
		const scope = api()
			.put('/conversations/preferences/custom-subtypes/a%2F..%2Fb%3Fx%3D1', { archived: false })
			.query({ locationId: LOCATION_ID })
			.reply(200, updated);

		const { error } = await runNode({
			parameters: {
				resource: 'customSubtype',
				operation: 'update',
				customSubtypeId: 'a/../b?x=1',
				updateFields: { archived: false },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('rejects a name over 100 characters, naming the field; no request is sent', async () => {
		const scope = nock(/.*/).put(/.*/).reply(200, updated);

		const { error } = await runNode({
			parameters: {
				resource: 'customSubtype',
				operation: 'update',
				customSubtypeId: 'st-1',
				updateFields: { name: 'n'.repeat(101) },
			},
		});

		expect(error?.message).toBe('The "Name" field is too long (101 characters, at most 100)');
		expect(scope.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('rejects an update without fields and an empty ID, naming the field', async () => {
		const scope = nock(/.*/).put(/.*/).reply(200, updated);

		const noFields = await runNode({
			parameters: { resource: 'customSubtype', operation: 'update', customSubtypeId: 'st-1' },
		});
		const noId = await runNode({
			parameters: {
				resource: 'customSubtype',
				operation: 'update',
				customSubtypeId: ' ',
				updateFields: { archived: true },
			},
		});

		expect(noFields.error?.message).toBe('The "Update Fields" field is empty');
		expect(noId.error?.message).toBe('The "Custom Subtype ID" field is empty');
		expect(scope.isDone()).toBe(false);
		nock.cleanAll();
	});
});
