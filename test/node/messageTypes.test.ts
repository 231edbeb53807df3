/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads a generated file and the spec it is generated from. */
/**
 * shared/messageTypes.ts is generated from the vendored spec by scripts/messageTypes.js
 * (`./dev messageTypes`): it must be what the script writes, so the options the node offers are the
 * spec's enums, each once, named for people.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LAST_MESSAGE_TYPES, MESSAGE_LIST_TYPES } from '../../nodes/ConversationsApi/shared/messageTypes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require('../../scripts/messageTypes.js') as { render: () => string; TARGET: string };

const ROOT = path.resolve(__dirname, '../..');

describe('message types (generated from the spec)', () => {
	it('the file is what ./dev messageTypes writes from the vendored spec', () => {
		expect(readFileSync(path.join(ROOT, generator.TARGET), 'utf8')).toBe(generator.render());
	});

	it("the options are the spec's enums, in name order, with readable names", () => {
		const spec = JSON.parse(readFileSync(path.join(ROOT, 'specs/highlevel-api/apps/conversations.json'), 'utf8')) as {
			paths: Record<string, { get: { parameters: Array<{ name: string; schema?: { enum?: string[] } }> } }>;
		};
		const enumOf = (route: string, name: string) =>
			spec.paths[route].get.parameters.find((parameter) => parameter.name === name)?.schema?.enum;
		expect(LAST_MESSAGE_TYPES.map((option) => option.value).sort()).toEqual(
			[...new Set(enumOf('/conversations/search', 'lastMessageType'))].sort(),
		);
		expect(MESSAGE_LIST_TYPES.map((option) => option.value).sort()).toEqual(
			[...new Set(enumOf('/conversations/{conversationId}/messages', 'type'))].sort(),
		);
		for (const options of [LAST_MESSAGE_TYPES, MESSAGE_LIST_TYPES]) {
			const names = options.map((option) => option.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
		}
		const named = Object.fromEntries(LAST_MESSAGE_TYPES.map((option) => [option.value, option.name]));
		expect(named).toMatchObject({
			TYPE_WHATSAPP: 'WhatsApp',
			TYPE_TIKTOK_COMMENT: 'TikTok Comment',
			TYPE_IVR_CALL: 'IVR Call',
			TYPE_LIVE_CHAT: 'Live Chat',
		});
	});
});
