import { LOCATION_ID, runNode } from '../support/engine';
import { api, json } from '../support/api';
import { stopRecordingUnmatched, unmatchedRequests } from './support';

const message = {
	id: 'msg-1',
	type: 2,
	messageType: 'TYPE_SMS',
	locationId: LOCATION_ID,
	contactId: 'c-1',
	conversationId: 'conv-1',
	dateAdded: '2026-03-01T09:30:00.000Z',
	body: 'Hi there',
	direction: 'outbound',
	contentType: 'text/plain',
};

describe('Message > Get', () => {
	afterEach(stopRecordingUnmatched);

	it('sends GET /conversations/messages/{messageId} and outputs the message (flat, as in the spec)', async () => {
		const scope = api().get('/conversations/messages/msg-1').reply(200, message);

		const { items, error } = await runNode({
			parameters: { resource: 'message', operation: 'get', messageId: 'msg-1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([message]);
	});

	it('unwraps a message answered inside `message`', async () => {
		const scope = api().get('/conversations/messages/msg-1').reply(200, { message });

		const { items } = await runNode({
			parameters: { resource: 'message', operation: 'get', messageId: 'msg-1' },
		});

		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([message]);
	});

	it('encodes the ID as one path segment', async () => {
		const scope = api().get('/conversations/messages/a%2Fb%3Fc').reply(200, { id: 'a/b?c' });

		const { items } = await runNode({
			parameters: { resource: 'message', operation: 'get', messageId: 'a/b?c' },
		});

		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ id: 'a/b?c' }]);
	});

	it('fails on an empty Message ID without sending a request', async () => {
		const unmatched = unmatchedRequests();

		const { error } = await runNode({
			parameters: { resource: 'message', operation: 'get', messageId: ' ' },
		});

		expect(error?.message).toBe('The "Message ID" field is empty');
		expect(unmatched).toEqual([]);
	});
});
