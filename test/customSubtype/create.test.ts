import nock from 'nock';
import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';

describe('Custom Subtype > Create', () => {
	const created = { id: 'st-1', name: 'Newsletter', channel: 'email', language: 'en' };

	it('sends POST with the location in the query and the subtype in the body', async () => {
		const scope = api()
			.post('/conversations/preferences/custom-subtypes', {
				name: 'Newsletter',
				channel: 'sms',
				language: 'fr',
				description: 'Weekly newsletter',
			})
			.query({ locationId: LOCATION_ID })
			.matchHeader('content-type', /application\/json/)
			.reply(201, created);

		const { items, error } = await runNode({
			parameters: {
				resource: 'customSubtype',
				operation: 'create',
				name: 'Newsletter',
				channel: 'sms',
				language: 'fr',
				additionalFields: { description: 'Weekly newsletter' },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([created]);
	});

	it('sends the defaults (email, en) without a description', async () => {
		const scope = api()
			.post('/conversations/preferences/custom-subtypes', {
				name: 'Newsletter',
				channel: 'email',
				language: 'en',
			})
			.query({ locationId: 'other-loc' })
			.reply(201, created);

		const { error } = await runNode({
			parameters: {
				resource: 'customSubtype',
				operation: 'create',
				name: 'Newsletter',
				locationId: 'other-loc',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('rejects a name over 100 characters, naming the field; no request is sent', async () => {
		const scope = nock(/.*/).post(/.*/).reply(201, created);

		const { error } = await runNode({
			parameters: { resource: 'customSubtype', operation: 'create', name: 'x'.repeat(101) },
		});

		expect(error?.message).toBe('The "Name" field is too long (101 characters, at most 100)');
		expect(scope.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('rejects a description over 100 characters, naming the field; no request is sent', async () => {
		const scope = nock(/.*/).post(/.*/).reply(201, created);

		const { error } = await runNode({
			parameters: {
				resource: 'customSubtype',
				operation: 'create',
				name: 'Newsletter',
				additionalFields: { description: 'd'.repeat(150) },
			},
		});

		expect(error?.message).toContain('"Description"');
		expect(scope.isDone()).toBe(false);
		nock.cleanAll();
	});
});
