import { LOCATION_ID, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

describe('Conversation > Update', () => {
	it('sends PUT /conversations/{conversationId} with the chosen fields and outputs the conversation', async () => {
		const conversation = { id: 'conv-1', locationId: LOCATION_ID, starred: true, unreadCount: 0 };
		const scope = api()
			.put('/conversations/conv-1', {
				locationId: LOCATION_ID,
				starred: true,
				unreadCount: 0,
				feedback: { rating: 5 },
			})
			.reply(200, { success: true, conversation });

		const { items, error } = await runNode({
			parameters: {
				resource: 'conversation',
				operation: 'update',
				conversationId: rl('conv-1'),
				updateFields: { starred: true, unreadCount: 0, feedback: '{"rating": 5}' },
			},
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([conversation]);
	});
	describe('Simplify (version 1.2: on by default; versions 1 and 1.1 keep the raw output)', () => {
		const raw = {
			id: 'conv-1',
			locationId: LOCATION_ID,
			contactId: 'contact-1',
			fullName: 'Ann Example',
			starred: true,
			unreadCount: 0,
			lastMessageType: 'TYPE_EMAIL',
			dateUpdated: 1767225600000,
			deleted: false,
			inbox: true,
			followers: [],
			scoring: [],
		};

		const updateAt = (typeVersion: number) => {
			const scope = api()
				.put('/conversations/conv-1', { locationId: LOCATION_ID, starred: true })
				.reply(200, { success: true, conversation: raw });
			return {
				scope,
				run: runNode({
					parameters: { resource: 'conversation', operation: 'update', conversationId: rl('conv-1'), updateFields: { starred: true } },
					typeVersion,
					timezone: 'UTC',
				}),
			};
		};

		it('1.2: the fields a model or a person acts on, dates as ISO text', async () => {
			const { scope, run } = updateAt(1.2);
			const { items, error } = await run;

			expect(error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expect(json(items)).toEqual([
				{
					id: 'conv-1',
					contactName: 'Ann Example',
					channel: 'Email',
					unreadCount: 0,
					starred: true,
					contactId: 'contact-1',
					dateUpdated: '2026-01-01T00:00:00.000Z',
					locationId: LOCATION_ID,
				},
			]);
		});

		it.each([1, 1.1])('%s: the raw conversation, as saved workflows had it', async (typeVersion) => {
			const { items } = await updateAt(typeVersion).run;

			expect(json(items)).toEqual([raw]);
		});
	});
});
