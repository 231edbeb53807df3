import { runNode } from '../support/engine';
import { api, json, rl } from '../support/api';
import { messages } from './support';

/** The live API's shape: the page nested in `messages`. */
const nested = (page: object[], lastMessageId: string, nextPage: boolean) => ({
	messages: { lastMessageId, nextPage, messages: page },
});

/** The spec's shape: the page at the top level. */
const flat = (page: object[], lastMessageId: string, nextPage: boolean) => ({
	lastMessageId,
	nextPage,
	messages: page,
});

describe('Message > Get Many', () => {
	it('sends the type filter comma-joined and outputs one item per message (live, nested shape)', async () => {
		const page = messages(0, 3);
		const scope = api()
			.get('/conversations/conv-1/messages')
			.query({ limit: '10', type: 'TYPE_SMS,TYPE_EMAIL' })
			.reply(200, nested(page, 'msg-2', false));

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'getAll',
				conversationId: rl('conv-1'),
				limit: 10,
				filters: { type: ['TYPE_SMS', 'TYPE_EMAIL'] },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual(page);
	});

	it('Return All follows lastMessageId across pages while nextPage is true (nested shape)', async () => {
		const first = messages(0, 100);
		const second = messages(100, 100);
		const third = messages(200, 12);
		const scope = api()
			.get('/conversations/conv-1/messages')
			.query({ limit: '100' })
			.reply(200, nested(first, 'msg-99', true))
			.get('/conversations/conv-1/messages')
			.query({ limit: '100', lastMessageId: 'msg-99' })
			.reply(200, nested(second, 'msg-199', true))
			.get('/conversations/conv-1/messages')
			.query({ limit: '100', lastMessageId: 'msg-199' })
			.reply(200, nested(third, 'msg-211', false));

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'getAll',
				conversationId: rl('conv-1'),
				returnAll: true,
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toHaveLength(212);
		expect(json(items)).toEqual([...first, ...second, ...third]);
	});

	it("Return All reads the spec's flat shape too", async () => {
		const first = messages(0, 100);
		const second = messages(100, 40);
		const scope = api()
			.get('/conversations/conv-1/messages')
			.query({ limit: '100' })
			.reply(200, flat(first, 'msg-99', true))
			.get('/conversations/conv-1/messages')
			.query({ limit: '100', lastMessageId: 'msg-99' })
			.reply(200, flat(second, 'msg-139', false));

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'getAll',
				conversationId: rl('conv-1'),
				returnAll: true,
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([...first, ...second]);
	});

	it('Limit across a page boundary asks only for the missing count', async () => {
		const first = messages(0, 100);
		const second = messages(100, 30);
		const scope = api()
			.get('/conversations/conv-1/messages')
			.query({ limit: '100' })
			.reply(200, nested(first, 'msg-99', true))
			.get('/conversations/conv-1/messages')
			.query({ limit: '30', lastMessageId: 'msg-99' })
			.reply(200, nested(second, 'msg-129', true));

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'getAll',
				conversationId: rl('conv-1'),
				limit: 130,
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([...first, ...second]);
	});

	it('Limit across a page boundary works with the flat shape', async () => {
		const first = messages(0, 100);
		const second = messages(100, 5);
		const scope = api()
			.get('/conversations/conv-1/messages')
			.query({ limit: '100' })
			.reply(200, flat(first, 'msg-99', true))
			.get('/conversations/conv-1/messages')
			.query({ limit: '5', lastMessageId: 'msg-99' })
			.reply(200, flat(second, 'msg-104', true));

		const { items } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'getAll',
				conversationId: rl('conv-1'),
				limit: 105,
			},
		});

		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([...first, ...second]);
	});

	it('stops at an empty conversation', async () => {
		const scope = api()
			.get('/conversations/conv-1/messages')
			.query({ limit: '100' })
			.reply(200, nested([], '', false));

		const { items, error } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'getAll',
				conversationId: rl('conv-1'),
				returnAll: true,
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toEqual([]);
	});

	it('an empty type filter sends no type', async () => {
		const page = messages(0, 2);
		const scope = api()
			.get('/conversations/conv-1/messages')
			.query({ limit: '50' })
			.reply(200, nested(page, 'msg-1', false));

		const { items } = await runNode({
			parameters: {
				resource: 'message',
				operation: 'getAll',
				conversationId: rl('conv-1'),
				filters: { type: [] },
			},
		});

		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual(page);
	});
});
