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

describe('no ID or filter value can add a query parameter, change the path or inject a header', () => {
	const hostile = [
		'a&locationId=evil',
		'a=b',
		'x?limit=1',
		'frag#ment',
		'a/b',
		'100%25',
		'%0d%0aX-Injected: 1',
		'line\r\nX-Injected: 1',
		'../../locations',
		'..%2F..%2Fadmin',
	];

	/** Records the raw path and the headers of the request nock receives. */
	function recorder(method: 'get' | 'put', path: RegExp, query: Record<string, string> | true, body: unknown) {
		const seen: Array<{ path: string; headers: Record<string, unknown> }> = [];
		const interceptor = method === 'get' ? api().get(path) : api().put(path);
		const scope = interceptor.query(query).reply(function (uri) {
			seen.push({ path: uri, headers: this.req.headers });
			return [200, body];
		});
		return { scope, seen };
	}

	it.each(hostile)('Conversation ID %j is one path segment, no query, no header', async (id) => {
		const { scope, seen } = recorder('get', /^\/conversations\/[^/?#]+$/, {}, { id });

		const { items, error } = await get(id);

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(seen[0].path).toBe(`/conversations/${encodeURIComponent(id.trim())}`);
		expect(Object.keys(seen[0].headers).filter((name) => /inject/i.test(name))).toEqual([]);
		expect(json(items)).toEqual([{ id }]);
	});

	it.each(hostile)('Message ID %j stays in its segment of a two-ID path', async (id) => {
		const { scope, seen } = recorder('get', /^\/conversations\/locations\/loc-TEST-1\/messages\/[^/?#]+\/transcription$/, {}, []);

		const { error } = await runNode({ parameters: { resource: 'call', operation: 'getTranscription', messageId: id } });

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(seen[0].path).toBe(`/conversations/locations/loc-TEST-1/messages/${encodeURIComponent(id.trim())}/transcription`);
	});

	it.each(hostile)('a search filter %j is one query value, no other parameter', async (value) => {
		const query = { locationId: 'loc-TEST-1', limit: '10', query: value, assignedTo: value };
		const { scope, seen } = recorder('get', /^\/conversations\/search$/, query, { conversations: [], total: 0 });

		const { error } = await runNode({
			parameters: {
				resource: 'conversation',
				operation: 'getAll',
				limit: 10,
				filters: { query: value, assignedTo: value },
			},
		});

		expect(error).toBeUndefined();
		// The query matched exactly: locationId, limit and the two filters, nothing else.
		expect(scope.isDone()).toBe(true);
		const search = new URL(`http://x${seen[0].path}`).searchParams;
		expect([...search.keys()].sort()).toEqual(['assignedTo', 'limit', 'locationId', 'query']);
		expect(search.getAll('locationId')).toEqual(['loc-TEST-1']);
		expect(search.get('query')).toBe(value);
		expect(Object.keys(seen[0].headers).filter((name) => /inject/i.test(name))).toEqual([]);
	});

	it.each(hostile)('a Location ID %j cannot reach another path or add a parameter', async (locationId) => {
		const { scope, seen } = recorder('put', /^\/conversations\/preferences\/custom-subtypes\/st-1$/, { locationId }, {});

		const { error } = await runNode({
			parameters: { resource: 'customSubtype', operation: 'update', customSubtypeId: 'st-1', locationId, updateFields: { archived: true } },
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect([...new URL(`http://x${seen[0].path}`).searchParams.keys()]).toEqual(['locationId']);
	});
});
