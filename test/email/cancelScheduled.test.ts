import { runNode } from '../support/engine';
import { api, json } from '../support/api';

describe('Email > Cancel Scheduled', () => {
	it('sends DELETE /conversations/messages/email/{emailMessageId}/schedule', async () => {
		const response = { status: 200, message: 'Scheduled email message cancelled' };
		const scope = api().delete('/conversations/messages/email/em-7/schedule').query({}).reply(200, response);

		const { items, error } = await runNode({
			parameters: { resource: 'email', operation: 'cancelScheduled', emailMessageId: 'em-7' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([response]);
	});

	it('encodes the ID as one path segment', async () => {
		const scope = api()
			.delete('/conversations/messages/email/a%2F..%2Fb%3Fx%3D1/schedule')
			.query({})
			.reply(200, { status: 200, message: 'ok' });

		const { error } = await runNode({
			parameters: { resource: 'email', operation: 'cancelScheduled', emailMessageId: 'a/../b?x=1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});
});
