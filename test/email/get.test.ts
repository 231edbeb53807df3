import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';

describe('Email > Get', () => {
	const email = {
		id: 'em-1',
		threadId: 'th-1',
		locationId: LOCATION_ID,
		contactId: 'c-1',
		conversationId: 'conv-1',
		dateAdded: '2024-03-27T18:13:49.000Z',
		subject: 'Order confirm',
		body: 'Hi there',
		direction: 'outbound',
		status: 'delivered',
		contentType: 'text/html',
		from: 'Shop <shop@example.com>',
		to: ['john@example.com'],
	};

	it('sends GET /conversations/messages/email/{emailMessageId} and outputs the email', async () => {
		const scope = api().get('/conversations/messages/email/em-1').query({}).reply(200, email);

		const { items, error } = await runNode({
			parameters: { resource: 'email', operation: 'get', emailMessageId: 'em-1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([email]);
	});

	it('sends an ID with slashes, dots and a query as one encoded path segment', async () => {
		const scope = api().get('/conversations/messages/email/a%2F..%2Fb%3Fx%3D1').query({}).reply(200, { id: 'a/../b?x=1' });

		const { items, error } = await runNode({
			parameters: { resource: 'email', operation: 'get', emailMessageId: 'a/../b?x=1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ id: 'a/../b?x=1' }]);
	});

	it('fails the empty-ID item, naming the field, and keeps the others with Continue On Fail', async () => {
		const scope = api().get('/conversations/messages/email/em-2').query({}).reply(200, { id: 'em-2' });

		const { items, error } = await runNode({
			parameters: { resource: 'email', operation: 'get', emailMessageId: '={{ $json.id }}' },
			input: [{ json: { id: '' } }, { json: { id: 'em-2' } }],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toHaveLength(2);
		expect(json(items)).toEqual([{ error: 'The "Email Message ID" field is empty' }, { id: 'em-2' }]);
	});
});
