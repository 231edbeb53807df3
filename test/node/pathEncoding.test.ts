import { runNode } from '../support/engine';
import { api, json, rl } from '../support/api';

const get = (conversationId: string) =>
	runNode({ parameters: { resource: 'conversation', operation: 'get', conversationId: rl(conversationId) } });

describe('IDs in paths', () => {
	it.each([
		['a/../b', '/conversations/a%2F..%2Fb'],
		['x?y=z', '/conversations/x%3Fy%3Dz'],
		['%2F', '/conversations/%252F'],
		['a#b c', '/conversations/a%23b%20c'],
		['..\\admin', '/conversations/..%5Cadmin'],
	])('%s stays one encoded segment: %s', async (id, path) => {
		const scope = api().get(path).reply(200, { id });

		const { items, error } = await get(id);

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ id }]);
	});

	it.each(['.', '..'])('the dot segment %s is refused before any request', async (id) => {
		const { error } = await get(id);

		expect(error?.message).toBe(`The "Conversation" field is not a valid ID: "${id}"`);
	});

	it('an empty ID is refused with the field named', async () => {
		const { error } = await get('   ');

		expect(error?.message).toBe('The "Conversation" field is empty');
	});

	it('a base URL that is not http(s) is refused with the fix', async () => {
		const { error } = await runNode({
			parameters: { resource: 'conversation', operation: 'get', conversationId: rl('c') },
			credentials: {
				conversationsApi: { privateIntegrationToken: 't', locationId: 'l', baseUrl: 'ftp://example.com' },
			},
		});

		expect(error?.message).toMatch(/Base URL is not an http\(s\) URL/);
	});
});
