/**
 * The polling trigger's Simplify option (shared/simplify.ts), polled through n8n's poll machinery
 * against the sandbox: off by default, so workflows saved before the option get the same items;
 * on, each item has the fields a user acts on first and dates in the workflow's time zone.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { createSandbox, type Sandbox } from '../../sandbox';
import { credentials } from '../support/engine';
import { json } from '../support/api';
import { TriggerHarness } from '../support/poll';
import { fakeClock } from '../sandbox/helpers';

describe('Conversations API Trigger: Simplify', () => {
	let sandbox: Sandbox;
	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterEach(() => sandbox.close());
	afterAll(() => nock.disableNetConnect());

	async function setup() {
		// 2026-03-02T12:00:00Z; Berlin is one hour ahead in March.
		const clock = fakeClock(Date.UTC(2026, 2, 2, 12, 0, 0));
		sandbox = await createSandbox({ conversations: 3, rateLimit: false, now: clock.now });
		const baseUrl = await sandbox.listen();
		const credential = credentials.privateIntegrationToken({
			privateIntegrationToken: sandbox.token,
			locationId: sandbox.locationId,
			baseUrl,
		});
		const trigger = (parameters: INodeParameters) => new TriggerHarness({ parameters, credentials: credential, timezone: 'Europe/Berlin' });
		return { clock, trigger };
	}

	it('New Message: off by default (the saved item), on: the fields to act on first, dates in the workflow time zone', async () => {
		const { clock, trigger } = await setup();
		const saved = trigger({ event: 'newMessage' });
		const simplified = trigger({ event: 'newMessage', options: { simplify: true } });
		await saved.poll();
		await simplified.poll();
		clock.advance(60_000);
		const conversation = sandbox.state.listConversations()[0];
		const contact = sandbox.state.contact(conversation.contactId);
		const message = sandbox.state.addMessage(conversation, { direction: 'inbound', messageType: 'TYPE_SMS', body: 'Is my order ready?' });

		const raw = json((await saved.poll()).items) as IDataObject[];
		expect(raw).toHaveLength(1);
		// The item as before the option: the message, its contact's fields and the whole conversation row.
		expect(raw[0]).toMatchObject({ id: message.id, body: 'Is my order ready?', dateAdded: '2026-03-02T12:01:00.000Z' });
		expect(raw[0].conversation).toMatchObject({ id: conversation.id });

		expect(json((await simplified.poll()).items)).toEqual([
			{
				id: message.id,
				body: 'Is my order ready?',
				direction: 'inbound',
				channel: 'SMS',
				status: raw[0].status,
				dateAdded: '2026-03-02T13:01:00.000+01:00',
				contactName: raw[0].contactName,
				email: contact?.email,
				phone: contact?.phone,
				...(raw[0].attachments ? { attachments: raw[0].attachments } : {}),
				contactId: conversation.contactId,
				conversationId: conversation.id,
			},
		]);
		expect(raw[0].contactName).toBeTruthy();
	});

	it('New Conversation, on: no sort cursor, ISO dates', async () => {
		const { clock, trigger } = await setup();
		const simplified = trigger({ event: 'newConversation', options: { simplify: true } });
		await simplified.poll();
		clock.advance(60_000);
		const contact = sandbox.state.addContact({ firstName: 'Ana', lastName: 'Lima', email: 'ana@example.com' });
		const conversation = sandbox.state.addConversation({ contactId: contact.id, type: 'TYPE_PHONE' });

		const items = json((await simplified.poll()).items) as IDataObject[];
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			id: conversation.id,
			contactName: 'Ana Lima',
			contactId: contact.id,
			dateAdded: '2026-03-02T13:01:00.000+01:00',
		});
		expect(items[0]).not.toHaveProperty('sort');
		expect(Object.keys(items[0])[0]).toBe('id');
	});
});
