import { LOCATION_ID, runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

const update = (feedback: string) => ({
	resource: 'conversation',
	operation: 'update',
	conversationId: rl('conv-1'),
	updateFields: { feedback },
});

describe('Bad input', () => {
	it('n8n itself refuses to run with a required field left empty, naming it', async () => {
		const { error } = await runNode({
			parameters: { resource: 'conversation', operation: 'create', contactId: '' },
		});

		expect(error?.message).toMatch(/Parameter "Contact" is required/);
	});

	it('a required field that an expression leaves empty fails with the field named, before any request', async () => {
		const { error } = await runNode({
			parameters: { resource: 'conversation', operation: 'create', contactId: '={{ $json.contact }}' },
			input: [{ json: { contact: '' } }],
		});

		expect(error?.message).toBe('The "Contact" field is empty');
	});

	it('invalid JSON in a JSON field fails with the field named and the parse error', async () => {
		const { error } = await runNode({ parameters: update('{"rating": 5') });

		expect(error?.message).toBe('The "Feedback (JSON)" field is not valid JSON');
		expect(error?.description).toMatch(/JSON/);
	});

	it('JSON of the wrong shape is refused', async () => {
		const { error } = await runNode({ parameters: update('[1, 2]') });

		expect(error?.message).toBe('The "Feedback (JSON)" field must be a JSON object');
	});

	it('with Continue On Fail, the bad item becomes an error item and the others still run', async () => {
		const scope = api()
			.put('/conversations/conv-1', { locationId: LOCATION_ID, feedback: { n: 1 } })
			.reply(200, { success: true, conversation: { id: 'conv-1', n: 1 } })
			.put('/conversations/conv-1', { locationId: LOCATION_ID, feedback: { n: 3 } })
			.reply(200, { success: true, conversation: { id: 'conv-1', n: 3 } });

		const { items, error } = await runNode({
			parameters: {
				...update('={{ $json.feedback }}'),
			},
			input: [{ json: { feedback: '{"n": 1}' } }, { json: { feedback: '{"n": 2' } }, { json: { feedback: '{"n": 3}' } }],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(items).toHaveLength(3);
		expect(items[0].json).toEqual({ id: 'conv-1', n: 1 });
		expect(items[2].json).toEqual({ id: 'conv-1', n: 3 });
		expect(items[1].error?.message).toBe('The "Feedback (JSON)" field is not valid JSON');
		expect(json([items[1]])).toEqual([{ error: 'The "Feedback (JSON)" field is not valid JSON' }]);
	});

	it('without Continue On Fail, the error says which item failed', async () => {
		api()
			.put('/conversations/conv-1')
			.reply(200, { success: true, conversation: { id: 'conv-1' } });

		const { error } = await runNode({
			parameters: update('={{ $json.feedback }}'),
			input: [{ json: { feedback: '{}' } }, { json: { feedback: 'not json' } }],
		});

		expect(error?.message).toBe('The "Feedback (JSON)" field is not valid JSON');
		expect((error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(1);
	});
});
