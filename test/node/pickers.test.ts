/**
 * The pickers (shared/fields.ts) through n8n's engine: a conversation by the URL pasted from
 * HighLevel's web app (its own domain or a white-label one), and the Contact picker, whose value may
 * be a picked contact, an ID, or, in workflows saved before the picker, a plain string.
 */
import { NodeHelpers, type NodeParameterValueType } from 'n8n-workflow';
import { runNode } from '../support/engine';
import { api, json } from '../support/api';
import { CONVERSATION_URL_REGEX, conversationField } from '../../nodes/ConversationsApi/shared/fields';

const byUrl = (value: string) => ({ __rl: true, mode: 'url', value });

describe('Conversation by URL', () => {
	it.each([
		['HighLevel', 'https://app.gohighlevel.com/v2/location/GkPr7zXyTq2mN8vLs4Wd/conversations/conversations/tDtDnQdgm2LXpyiqYvZ6'],
		[
			'a white-label domain, with a query string',
			'https://app.myagency.io/v2/location/GkPr7zXyTq2mN8vLs4Wd/conversations/conversations/tDtDnQdgm2LXpyiqYvZ6?tab=details',
		],
		['a trailing slash', 'http://crm.example.com/v2/location/abc/conversations/conversations/tDtDnQdgm2LXpyiqYvZ6/'],
	])('the ID is taken from a URL of %s', async (_, url) => {
		const scope = api().get('/conversations/tDtDnQdgm2LXpyiqYvZ6').reply(200, { id: 'tDtDnQdgm2LXpyiqYvZ6' });
		const { items, error } = await runNode({ parameters: { resource: 'conversation', operation: 'get', conversationId: byUrl(url) } });
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ id: 'tDtDnQdgm2LXpyiqYvZ6' }]);
	});

	it("the editor refuses a URL that is not a conversation's (the mode's validation regex)", () => {
		const mode = conversationField.modes?.find((candidate) => candidate.name === 'url');
		const regex = new RegExp(`^${CONVERSATION_URL_REGEX}$`);
		expect(mode?.validation).toEqual([
			{
				type: 'regex',
				properties: { regex: CONVERSATION_URL_REGEX, errorMessage: expect.stringContaining('Not a HighLevel conversation URL') },
			},
		]);
		expect(regex.test('https://app.gohighlevel.com/v2/location/abc/contacts/detail/xyz')).toBe(false);
		expect(regex.test('https://app.gohighlevel.com/v2/location/abc/conversations/conversations/')).toBe(false);
		expect(regex.test('tDtDnQdgm2LXpyiqYvZ6')).toBe(false);
	});

	it("at run time a URL that is not a conversation's fails naming the field, and sends nothing", async () => {
		const { error } = await runNode({
			parameters: {
				resource: 'conversation',
				operation: 'get',
				conversationId: byUrl('https://app.gohighlevel.com/v2/location/abc/contacts/detail/xyz'),
			},
		});
		expect(error?.message).toMatch(/conversationId|Conversation/);
	});
});

describe('Contact picker', () => {
	const send = (contactId: NodeParameterValueType) => ({ resource: 'message', operation: 'send', type: 'SMS', message: 'Hi', contactId });
	const expectSend = () =>
		api()
			.post('/conversations/messages', { type: 'SMS', contactId: 'c-42', message: 'Hi' })
			.reply(201, { messageId: 'm-1', conversationId: 'conv-1' });

	it.each([
		['a contact picked from the list', { __rl: true, mode: 'list', value: 'c-42', cachedResultName: 'Ana Lima · ana@example.com' }],
		['an ID', { __rl: true, mode: 'id', value: 'c-42' }],
		['a plain string, as saved before the picker', 'c-42'],
		['a plain expression, as saved before the picker', '={{ $json.contact }}'],
	])('Send takes %s', async (_, contactId) => {
		const scope = expectSend();
		const { items, error } = await runNode({ parameters: send(contactId), input: [{ json: { contact: 'c-42' } }] });
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(json(items)).toEqual([{ messageId: 'm-1', conversationId: 'conv-1' }]);
	});

	it('the editor shows the picker for every operation that takes a contact', async () => {
		const { ConversationsApi } = await import('../../nodes/ConversationsApi/ConversationsApi.node');
		const description = new ConversationsApi().description;
		const shown = (resource: string, operation: string) =>
			description.properties.some(
				(property) =>
					property.name === 'contactId' &&
					property.type === 'resourceLocator' &&
					NodeHelpers.displayParameter({ resource, operation }, property, null, description),
			);
		for (const [resource, operation] of [
			['message', 'send'],
			['message', 'addInbound'],
			['conversation', 'create'],
			['attachment', 'upload'],
			['contactSubscription', 'change'],
			['contactSubscription', 'getStatus'],
		]) {
			expect([resource, operation, shown(resource, operation)]).toEqual([resource, operation, true]);
		}
	});
});
