import nock from 'nock';
import { runNode } from '../support/engine';
import { api, json } from '../support/api';

describe('Email > Update Status (v3)', () => {
	const updated = { success: true, message: 'Updated email message successfully' };

	it('sends PUT .../status with Version v3, the status, the counters and the recipients', async () => {
		const scope = api({ version: 'v3' })
			.put('/conversations/messages/email/em-1/status', {
				status: 'failed',
				events: { delivered: 1, opened: 2, permanent_fail: 1 },
				recipients: [
					{ emailId: 'john@example.com', status: 'delivered' },
					{ emailId: 'jane@example.com', status: 'failed', failReason: 'Mailbox not found' },
				],
			})
			.query({})
			.matchHeader('content-type', /application\/json/)
			.reply(200, updated);

		const { items, error } = await runNode({
			parameters: {
				resource: 'email',
				operation: 'updateStatus',
				emailMessageId: 'em-1',
				status: 'failed',
				events: { delivered: 1, opened: 2, permanentFail: 1 },
				recipients: {
					recipient: [
						{ emailId: 'john@example.com', status: 'delivered', failReason: '' },
						{ emailId: 'jane@example.com', status: 'failed', failReason: 'Mailbox not found' },
					],
				},
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([updated]);
	});

	it('sends only the status when nothing else is given', async () => {
		const scope = api({ version: 'v3' })
			.put('/conversations/messages/email/em-2/status', { status: 'delivered' })
			.query({})
			.reply(200, updated);

		const { items, error } = await runNode({
			parameters: { resource: 'email', operation: 'updateStatus', emailMessageId: 'em-2' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([updated]);
	});

	it('fails, naming the field, for a recipient without an email; no request is sent', async () => {
		const scope = nock(/.*/).put(/.*/).reply(200, updated);

		const { error } = await runNode({
			parameters: {
				resource: 'email',
				operation: 'updateStatus',
				emailMessageId: 'em-3',
				recipients: { recipient: [{ emailId: ' ', status: 'delivered' }] },
			},
		});

		expect(error?.message).toContain('"Recipients"');
		expect(scope.isDone()).toBe(false);
		nock.cleanAll();
	});
});
