import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';

describe('Contact Subscription > Get Status', () => {
	const statuses = {
		contactId: 'c-1',
		emails: [{ email: 'john@example.com', subscriptions: [{ type: 'default', name: 'One on One', status: 'subscribed' }] }],
	};

	it('sends GET .../unsubscriptions/status with location, contact and email', async () => {
		const scope = api()
			.get('/conversations/preferences/unsubscriptions/status')
			.query({ locationId: LOCATION_ID, contactId: 'c-1', email: 'john@example.com' })
			.reply(200, statuses);

		const { items, error } = await runNode({
			parameters: {
				resource: 'contactSubscription',
				operation: 'getStatus',
				contactId: 'c-1',
				email: 'john@example.com',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([statuses]);
	});

	it('leaves the email out when it is empty, and uses the node Location ID', async () => {
		const scope = api()
			.get('/conversations/preferences/unsubscriptions/status')
			.query({ locationId: 'other-loc', contactId: 'c-1' })
			.reply(200, statuses);

		const { error } = await runNode({
			parameters: {
				resource: 'contactSubscription',
				operation: 'getStatus',
				contactId: 'c-1',
				email: '',
				locationId: 'other-loc',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});
});
