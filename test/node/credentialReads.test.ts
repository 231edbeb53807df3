/**
 * n8n loads a credential from its database and decrypts it on every read, so the node's own code
 * (preSends, routingRequest, apiRequest, error context) reads it once per item, whatever number of
 * its helpers need it (shared/credentials.ts `itemCredentials`; before: 2, 3 and 6 per item in
 * these three cases). n8n itself reads it once per run (RoutingNode) and once per request it signs
 * (n8n's `httpRequestWithAuthentication`); those reads are counted apart. A Private Integration
 * Token's requests are signed by the node (shared/transport.ts `ownToken`): n8n signs none of them,
 * so it reads nothing per request (before: one read per request and page).
 */
import { LOCATION_ID, credentials, runNode, type NodeRunResult } from '../support/engine';
import { api, rl } from '../support/api';

const ITEMS = 4;

/**
 * Credential reads of a run of `ITEMS` items, less n8n's: one per request it signed, and one per
 * run where n8n's RoutingNode runs the node (a declarative operation; not a programmatic one).
 */
function ownReads(result: NodeRunResult, { routed = true } = {}): number {
	return result.credentialsHelper.reads - (routed ? 1 : 0) - result.credentialsHelper.signs;
}

const input = Array.from({ length: ITEMS }, (_, index) => ({ json: { id: `conv-${index}` } }));

describe('Credential reads', () => {
	it('Conversation → Get: one per item (the location for the rate budget, the agency check)', async () => {
		const scope = api()
			.get(/^\/conversations\/conv-\d$/)
			.times(ITEMS)
			.reply(200, { id: 'x' });
		const result = await runNode({
			parameters: { resource: 'conversation', operation: 'get', conversationId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
			input,
		});
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(ownReads(result)).toBe(ITEMS);
		expect(result.credentialsHelper.signs).toBe(0);
	});

	it('Custom Subtype → Get Many: one per item, the location in the query included', async () => {
		const scope = api()
			.get('/conversations/preferences/custom-subtypes')
			.query({ locationId: LOCATION_ID })
			.times(ITEMS)
			.reply(200, { customSubtypes: [], total: 0 });
		const result = await runNode({ parameters: { resource: 'customSubtype', operation: 'getAll', returnAll: true }, input });
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(ownReads(result)).toBe(ITEMS);
		expect(result.credentialsHelper.signs).toBe(0);
	});

	it('Conversation → Assign: one per item for its three requests', async () => {
		const conversation = { id: 'conv-1', contactId: 'contact-1', assignedTo: null };
		const reads = api()
			.get('/conversations/conv-1')
			.times(ITEMS * 2)
			.reply(200, conversation);
		const writes = api({ version: '2021-07-28' })
			.put('/contacts/contact-1', { assignedTo: 'user-1' })
			.times(ITEMS)
			.reply(200, { contact: { id: 'contact-1', assignedTo: 'user-1' } });
		const result = await runNode({
			parameters: { resource: 'conversation', operation: 'assign', conversationId: rl('conv-1'), userId: rl('user-1') },
			input,
			credentials: credentials.privateIntegrationToken(),
		});
		expect(result.error).toBeUndefined();
		expect(reads.isDone() && writes.isDone()).toBe(true);
		// A programmatic operation (customOperations): RoutingNode does not run, so no read per run.
		expect(ownReads(result, { routed: false })).toBe(ITEMS);
		expect(result.credentialsHelper.signs).toBe(0);
	});

	it('Conversation → Get Many, Return All over 3 pages: one per item, not one per page', async () => {
		const rows = (from: number, count: number) =>
			Array.from({ length: count }, (_, index) => ({ id: `c${from + index}`, sort: [1_000_000 - from - index] }));
		const scope = api()
			.get('/conversations/search')
			.query(true)
			.reply(200, { conversations: rows(0, 100), total: 250 })
			.get('/conversations/search')
			.query(true)
			.reply(200, { conversations: rows(100, 100), total: 250 })
			.get('/conversations/search')
			.query(true)
			.reply(200, { conversations: rows(200, 50), total: 250 });
		const result = await runNode({
			parameters: { resource: 'conversation', operation: 'getAll', returnAll: true },
			credentials: credentials.privateIntegrationToken(),
		});
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.items.map((item) => item.json.id)).toEqual(rows(0, 250).map((row) => row.id));
		expect(ownReads(result)).toBe(1);
		expect(result.credentialsHelper.signs).toBe(0);
	});
});
