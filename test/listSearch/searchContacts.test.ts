import nock from 'nock';
import { createSandbox, type Sandbox } from '../../sandbox';
import { BASE_URL, LOCATION_ID, TOKEN, credentials, runListSearch } from '../support/engine';

/** The Contacts API as nock: its own Version header (2021-07-28), the token, JSON. */
const contactsApi = () =>
	nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TOKEN}`, version: '2021-07-28', accept: 'application/json' } });

const contact = (i: number) => ({
	id: `contact-${i}`,
	contactName: `Contact ${i}`,
	email: `c${i}@example.com`,
	phone: `+1415555${String(i).padStart(4, '0')}`,
});

describe('List search: contacts (the Contact picker\'s "From List")', () => {
	it('searches the location by the typed text (POST /contacts/search) and names each contact with its email and phone', async () => {
		const scope = contactsApi()
			.post('/contacts/search', { locationId: LOCATION_ID, page: 1, pageLimit: 20, query: 'ana' })
			.reply(200, {
				contacts: [
					{ id: 'c-1', contactName: 'Ana Lima', email: 'ana@example.com', phone: '+14155550100' },
					{ id: 'c-2', firstName: 'Ana', lastName: 'Souza' },
					{ id: 'c-3' },
				],
				total: 3,
			});

		const result = await runListSearch({ method: 'searchContacts', parameters: {}, filter: ' ana ' });

		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({
			results: [
				{ name: 'Ana Lima · ana@example.com · +14155550100', value: 'c-1' },
				{ name: 'Ana Souza', value: 'c-2' },
				{ name: 'c-3', value: 'c-3' },
			],
			paginationToken: undefined,
		});
	});

	it('a full page hands back the next page number; the last page ends the list', async () => {
		const scope = contactsApi()
			.post('/contacts/search', { locationId: LOCATION_ID, page: 1, pageLimit: 20 })
			.reply(200, { contacts: Array.from({ length: 20 }, (_, i) => contact(i)), total: 25 })
			.post('/contacts/search', { locationId: LOCATION_ID, page: 2, pageLimit: 20 })
			.reply(200, { contacts: Array.from({ length: 5 }, (_, i) => contact(20 + i)), total: 25 });

		const first = await runListSearch({ method: 'searchContacts', parameters: {} });
		expect(first.results).toHaveLength(20);
		expect(first.paginationToken).toBe('2');
		const second = await runListSearch({ method: 'searchContacts', parameters: {}, paginationToken: first.paginationToken });
		expect(second.results.map((item) => item.value)).toEqual(['contact-20', 'contact-21', 'contact-22', 'contact-23', 'contact-24']);
		expect(second.paginationToken).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('without the contacts.readonly scope (403) it says to enter the ID instead, and how to get the scope', async () => {
		const scope = contactsApi()
			.post('/contacts/search', { locationId: LOCATION_ID, page: 1, pageLimit: 20 })
			.reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' });

		await expect(runListSearch({ method: 'searchContacts', parameters: {} })).rejects.toMatchObject({
			message: 'Listing contacts needs the contacts.readonly scope: choose "By ID" and enter the contact ID',
			description: "Or add contacts.readonly to the Private Integration (or the Marketplace app and its credential's Scope) and reconnect.",
		});
		expect(scope.isDone()).toBe(true);
	});

	it('another failure keeps its own message (401: the token)', async () => {
		contactsApi().post('/contacts/search').reply(401, { statusCode: 401, message: 'Invalid JWT' });
		await expect(runListSearch({ method: 'searchContacts', parameters: {} })).rejects.toMatchObject({
			message: expect.not.stringContaining('contacts.readonly'),
		});
	});

	describe('against the sandbox', () => {
		let sandbox: Sandbox;
		beforeAll(() => nock.enableNetConnect('127.0.0.1'));
		afterEach(() => sandbox.close());
		afterAll(() => nock.disableNetConnect());

		it('finds contacts by part of the name, the email or the phone', async () => {
			sandbox = await createSandbox({ conversations: 0, rateLimit: false });
			const ana = sandbox.state.addContact({ firstName: 'Ana', lastName: 'Lima', email: 'ana@example.com', phone: '+1 (415) 555-0100' });
			const bo = sandbox.state.addContact({ firstName: 'Bo', lastName: 'Berg', email: 'bo@shop.example', phone: '+14155557321' });
			const baseUrl = await sandbox.listen();
			const credential = credentials.privateIntegrationToken({
				privateIntegrationToken: sandbox.token,
				locationId: sandbox.locationId,
				baseUrl,
			});
			const find = async (filter: string) =>
				(await runListSearch({ method: 'searchContacts', parameters: {}, filter, credentials: credential })).results.map(
					(item) => item.value,
				);

			expect(await find('lima')).toEqual([ana.id]);
			expect(await find('SHOP.example')).toEqual([bo.id]);
			expect(await find('(415) 555-7321')).toEqual([bo.id]);
			expect((await runListSearch({ method: 'searchContacts', parameters: {}, filter: 'ana', credentials: credential })).results).toEqual([
				{ name: 'Ana Lima · ana@example.com · +1 (415) 555-0100', value: ana.id },
			]);
		});

		it('a token without contacts.readonly (the sandbox answers 403) gets the hint to enter the ID', async () => {
			sandbox = await createSandbox({
				conversations: 0,
				rateLimit: false,
				tokens: { 'pit-conversations-only': ['conversations.readonly'] },
			});
			const baseUrl = await sandbox.listen();
			const credential = credentials.privateIntegrationToken({
				privateIntegrationToken: 'pit-conversations-only',
				locationId: sandbox.locationId,
				baseUrl,
			});
			await expect(runListSearch({ method: 'searchContacts', parameters: {}, credentials: credential })).rejects.toMatchObject({
				message: 'Listing contacts needs the contacts.readonly scope: choose "By ID" and enter the contact ID',
			});
		});
	});
});
