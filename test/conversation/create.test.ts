import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';

describe('Conversation > Create', () => {
	const created = {
		success: true,
		conversation: { id: 'conv-9', contactId: 'c-1', locationId: LOCATION_ID, deleted: false },
	};

	it('sends POST /conversations/ with the contact and the credential location', async () => {
		const scope = api()
			.post('/conversations/', { contactId: 'c-1', locationId: LOCATION_ID })
			.matchHeader('content-type', /application\/json/)
			.reply(201, created);

		const { items, error } = await runNode({
			parameters: { resource: 'conversation', operation: 'create', contactId: 'c-1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([created.conversation]);
	});

	it('uses the node Location ID over the credential one', async () => {
		const scope = api().post('/conversations/', { contactId: 'c-1', locationId: 'other-loc' }).reply(201, created);

		await runNode({
			parameters: {
				resource: 'conversation',
				operation: 'create',
				contactId: 'c-1',
				locationId: 'other-loc',
			},
		});

		expect(scope.isDone()).toBe(true);
	});
});
