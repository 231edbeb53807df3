import nock from 'nock';
import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';

const PATH = '/conversations/preferences/unsubscriptions/user-change';

describe('Contact Subscription > Change', () => {
	const done = { success: true };

	it('unsubscribes from the default One on One subtype', async () => {
		const scope = api()
			.post(PATH, {
				locationId: LOCATION_ID,
				contactId: 'c-1',
				email: 'john@example.com',
				subscription_action: { type: 'default', subtype_name: 'One on One', subtype_status: 'unsubscribed' },
			})
			.query({})
			.matchHeader('content-type', /application\/json/)
			.reply(201, done);

		const { items, error } = await runNode({
			parameters: {
				resource: 'contactSubscription',
				operation: 'change',
				contactId: 'c-1',
				email: 'john@example.com',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([done]);
	});

	it('subscribes to a custom subtype, with the legal reason and description', async () => {
		const scope = api()
			.post(PATH, {
				locationId: 'other-loc',
				contactId: 'c-1',
				email: 'john@example.com',
				subscription_action: { type: 'custom', subtype_id: 'st-9', subtype_status: 'subscribed' },
				legal_reason: 'Asked on the phone',
				legal_description: 'Call on 2024-01-15',
			})
			.query({})
			.reply(201, done);

		const { error } = await runNode({
			parameters: {
				resource: 'contactSubscription',
				operation: 'change',
				contactId: 'c-1',
				email: 'john@example.com',
				subscriptionType: 'custom',
				subtypeId: 'st-9',
				subtypeStatus: 'subscribed',
				legalReason: 'Asked on the phone',
				legalDescription: 'Call on 2024-01-15',
				locationId: 'other-loc',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('resubscribes to all with the legal reason', async () => {
		const scope = api()
			.post(PATH, {
				locationId: LOCATION_ID,
				contactId: 'c-1',
				email: 'john@example.com',
				subscription_action: { type: 'resub_all', subtype_status: 'subscribed' },
				legal_reason: 'Customer asked to be resubscribed',
			})
			.query({})
			.reply(201, done);

		const { error } = await runNode({
			parameters: {
				resource: 'contactSubscription',
				operation: 'change',
				contactId: 'c-1',
				email: 'john@example.com',
				subscriptionType: 'resub_all',
				legalReason: 'Customer asked to be resubscribed',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('rejects Resubscribe to All without a legal reason, naming the field; no request is sent', async () => {
		const scope = nock(/.*/).post(/.*/).reply(201, done);

		const { error } = await runNode({
			parameters: {
				resource: 'contactSubscription',
				operation: 'change',
				contactId: 'c-1',
				email: 'john@example.com',
				subscriptionType: 'resub_all',
				legalReason: '  ',
			},
		});

		expect(error?.message).toBe('The "Legal Reason" field is empty');
		expect(scope.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('rejects a custom change without a subtype ID, naming the field; no request is sent', async () => {
		const scope = nock(/.*/).post(/.*/).reply(201, done);

		const { error } = await runNode({
			parameters: {
				resource: 'contactSubscription',
				operation: 'change',
				contactId: 'c-1',
				email: 'john@example.com',
				subscriptionType: 'custom',
				subtypeId: '={{ $json.subtypeId }}',
			},
			input: [{ json: { subtypeId: '' } }],
		});

		expect(error?.message).toBe('The "Custom Subtype ID" field is empty');
		expect(scope.isDone()).toBe(false);
		nock.cleanAll();
	});
});
