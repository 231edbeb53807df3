import nock from 'nock';
import { LOCATION_ID, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

const PATH = '/conversations/providers/live-chat/typing';

describe('Live Chat > Send Typing Indicator', () => {
	it('sends POST .../live-chat/typing with isTyping as the text "true"', async () => {
		const scope = api()
			.post(PATH, { locationId: LOCATION_ID, isTyping: 'true', visitorId: 'v-1', conversationId: 'conv-1' })
			.query({})
			.matchHeader('content-type', /application\/json/)
			.reply(201, { success: true });

		const { items, error } = await runNode({
			parameters: {
				resource: 'liveChat',
				operation: 'sendTyping',
				conversationId: rl('conv-1'),
				visitorId: 'v-1',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ success: true }]);
	});

	it('sends "false" to hide the indicator, with the node Location ID', async () => {
		const scope = api()
			.post(PATH, { locationId: 'other-loc', isTyping: 'false', visitorId: 'v-1', conversationId: 'conv-1' })
			.query({})
			.reply(201, { success: true });

		const { error } = await runNode({
			parameters: {
				resource: 'liveChat',
				operation: 'sendTyping',
				conversationId: rl('conv-1'),
				visitorId: 'v-1',
				isTyping: false,
				locationId: 'other-loc',
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('rejects a visitor or conversation that is blank for the item, naming the field; no request is sent', async () => {
		const scope = nock(/.*/).post(/.*/).reply(201, { success: true });

		const noVisitor = await runNode({
			parameters: {
				resource: 'liveChat',
				operation: 'sendTyping',
				conversationId: rl('conv-1'),
				visitorId: '={{ $json.visitor }}',
			},
			input: [{ json: { visitor: ' ' } }],
		});
		const noConversation = await runNode({
			parameters: {
				resource: 'liveChat',
				operation: 'sendTyping',
				conversationId: rl('={{ $json.conversation }}'),
				visitorId: 'v-1',
			},
			input: [{ json: { conversation: '' } }],
		});

		expect(noVisitor.error?.message).toBe('The "Visitor ID" field is empty');
		expect(noConversation.error?.message).toBe('The "Conversation" field is empty');
		expect(scope.isDone()).toBe(false);
		nock.cleanAll();
	});
});
