import type { IDataObject } from 'n8n-workflow';
import { LOCATION_ID, OAUTH_TOKEN, credentials, runListSearch, runLoadOptions } from '../support/engine';
import { api } from '../support/api';
import { TRIGGER_TYPE } from '../support/nodes';
import { ConversationsApiTrigger } from '../../nodes/ConversationsApiTrigger/ConversationsApiTrigger.node';

const USERS = [
	{ id: 'u-2', name: 'Sue Support', email: 'sue@example.com' },
	{ id: 'u-1', name: '', firstName: 'Sam', lastName: 'Sales', email: 'sam@example.com' },
	{ id: 'u-3', name: 'Gone', email: 'gone@example.com', deleted: true },
	{ id: '', name: 'No ID' },
];

interface MappedError {
	message: string;
	description?: string | null;
}

describe("User pickers (GET /users/?locationId=, Version 2021-07-28, through n8n-core's LoadOptionsContext)", () => {
	it('"From List" of Assign\'s User: the location\'s users by name and email, filtered by the typed text', async () => {
		const scope = api({ version: '2021-07-28' }).get('/users/').query({ locationId: LOCATION_ID }).times(2).reply(200, { users: USERS });

		const all = await runListSearch({ method: 'searchUsers', parameters: {} });
		const filtered = await runListSearch({ method: 'searchUsers', parameters: {}, filter: 'SUE@' });

		expect(scope.isDone()).toBe(true);
		expect(all).toEqual({
			results: [
				{ name: 'Sam Sales <sam@example.com>', value: 'u-1' },
				{ name: 'Sue Support <sue@example.com>', value: 'u-2' },
			],
		});
		expect(filtered.results).toEqual([{ name: 'Sue Support <sue@example.com>', value: 'u-2' }]);
	});

	it('the Assigned To filters: "Unassigned" first (the search\'s value for nobody), then the users; OAuth2 reads the token\'s location', async () => {
		const scope = api({ token: OAUTH_TOKEN, version: '2021-07-28' })
			.get('/users/')
			.query({ locationId: 'loc-FROM-TOKEN' })
			.reply(200, { users: USERS });

		const options = await runLoadOptions({ method: 'getAssignees', parameters: {}, credentials: credentials.oAuth2() });

		expect(scope.isDone()).toBe(true);
		expect(options).toEqual([
			{ name: 'Unassigned', value: 'unassigned', description: 'Conversations assigned to nobody' },
			{ name: 'Sam Sales <sam@example.com>', value: 'u-1' },
			{ name: 'Sue Support <sue@example.com>', value: 'u-2' },
		]);
	});

	it('Followers and Mentions list the users without "Unassigned"', async () => {
		api({ version: '2021-07-28' }).get('/users/').query(true).reply(200, { users: USERS });

		const options = await runLoadOptions({ method: 'getUsers', parameters: {} });

		expect(options.map((option) => option.value)).toEqual(['u-1', 'u-2']);
	});

	it("the trigger's Assigned To filter has the same list", async () => {
		api({ version: '2021-07-28' })
			.get('/users/')
			.query(true)
			.reply(200, { users: [USERS[0]] });

		const options = await runLoadOptions({
			method: 'getAssignees',
			parameters: {},
			nodeType: new ConversationsApiTrigger(),
			typeName: TRIGGER_TYPE,
		});

		expect(options.map((option) => option.value)).toEqual(['unassigned', 'u-2']);
	});

	it('403: names users.readonly, and that the ID can be entered instead', async () => {
		api({ version: '2021-07-28' })
			.get('/users/')
			.query(true)
			.reply(403, { statusCode: 403, message: 'The token is not authorized for this scope.' });

		const failure = (await runListSearch({ method: 'searchUsers', parameters: {} }).catch((error: unknown) => error)) as MappedError;

		expect(failure.message).toBe(
			`Access denied (403): this operation needs the scope "users.readonly", or the token has no access to location "${LOCATION_ID}"`,
		);
		expect(failure.description).toMatch(
			/^Add "users.readonly" to the Private Integration's scopes.*Without this scope, enter the user's ID instead \(By ID, or an expression\)\.$/,
		);
	});

	it('an answer without a users list is an empty list, not a crash', async () => {
		api({ version: '2021-07-28' })
			.get('/users/')
			.query(true)
			.reply(200, {} as IDataObject);

		expect(await runListSearch({ method: 'searchUsers', parameters: {} })).toEqual({ results: [] });
	});
});
