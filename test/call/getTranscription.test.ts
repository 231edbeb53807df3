import { runNode } from '../support/engine';
import { api, json } from '../support/api';

const sentences = [
	{
		mediaChannel: 1,
		sentenceIndex: 0,
		startTime: 0,
		endTime: 3400,
		transcript: 'This call may be recorded for quality assurance purposes.',
		confidence: 0.93,
	},
	{
		mediaChannel: 2,
		sentenceIndex: 1,
		startTime: 3600,
		endTime: 5100,
		transcript: 'Hi, I am calling about my invoice.',
		confidence: 0.88,
	},
];

describe('Call > Get Transcription', () => {
	it('sends GET /conversations/locations/{locationId}/messages/{messageId}/transcription and outputs one item per sentence', async () => {
		const scope = api().get('/conversations/locations/loc-TEST-1/messages/msg-1/transcription').reply(200, sentences);

		const { items, error } = await runNode({
			parameters: { resource: 'call', operation: 'getTranscription', messageId: 'msg-1' },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual(sentences);
	});

	it('uses the node Location ID and encodes the IDs as single path segments', async () => {
		const scope = api().get('/conversations/locations/other-loc/messages/a%2Fb/transcription').reply(200, [sentences[0]]);

		const { items, error } = await runNode({
			parameters: {
				resource: 'call',
				operation: 'getTranscription',
				messageId: 'a/b',
				locationId: 'other-loc',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([sentences[0]]);
	});

	it('a Message ID that is blank for an item is an error naming the field', async () => {
		const { error } = await runNode({
			parameters: { resource: 'call', operation: 'getTranscription', messageId: '={{ $json.id }}' },
		});

		expect(error?.message).toBe('The "Message ID" field is empty');
	});
});
