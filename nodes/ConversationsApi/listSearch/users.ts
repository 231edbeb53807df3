import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions, IPollFunctions } from 'n8n-workflow';
import { credentialLocationId, credentialType } from '../shared/credentials';
import { apiRequest } from '../shared/transport';
import { API_VERSION_CONTACTS_USERS_OAUTH, SCOPE } from '../../../credentials/constants';

/** The location's users, for the user pickers (Assign's user, the Assigned To filters). */

/** The value the conversation search's `assignedTo` takes for conversations assigned to nobody. */
const UNASSIGNED = 'unassigned';

interface User {
	id: string;
	label: string;
}

/** GET /users/?locationId= (Users API, Version 2021-07-28, scope users.readonly): all users of the location. */
async function locationUsers(this: ILoadOptionsFunctions | IPollFunctions): Promise<User[]> {
	const credentials = await this.getCredentials(credentialType.call(this));
	const answer = await apiRequest.call(
		this,
		'GET',
		'/users/',
		{ locationId: credentialLocationId(credentials) },
		{
			scope: SCOPE.usersRead,
			scopeListed: true,
			version: API_VERSION_CONTACTS_USERS_OAUTH,
			// The picker cannot list without the scope: the ID can still be entered.
			advice: "Without this scope, enter the user's ID instead (By ID, or an expression).",
		},
	);
	const users = Array.isArray(answer.users) ? (answer.users as IDataObject[]) : [];
	return users
		.filter((user) => typeof user.id === 'string' && user.id && user.deleted !== true)
		.map((user) => {
			const name = String(user.name ?? '').trim() || [user.firstName, user.lastName].filter(Boolean).join(' ');
			const email = String(user.email ?? '').trim();
			return { id: user.id as string, label: [name, email && `<${email}>`].filter(Boolean).join(' ') || (user.id as string) };
		})
		.sort((a, b) => a.label.localeCompare(b.label));
}

/** Resource locator "From List": the location's users, filtered by name or email. */
export async function searchUsers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const wanted = String(filter ?? '')
		.trim()
		.toLowerCase();
	const users = await locationUsers.call(this);
	return {
		results: users
			.filter((user) => !wanted || user.label.toLowerCase().includes(wanted) || user.id.toLowerCase() === wanted)
			.map((user) => ({ name: user.label, value: user.id })),
	};
}

/** Options of a multi-select of users (the Assigned To filters), "Unassigned" first. */
export async function getAssignees(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const users = await locationUsers.call(this);
	return [
		{ name: 'Unassigned', value: UNASSIGNED, description: 'Conversations assigned to nobody' },
		...users.map((user) => ({ name: user.label, value: user.id })),
	];
}

/** Options of a multi-select of users (Followers, Mentions). */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await locationUsers.call(this)).map((user) => ({ name: user.label, value: user.id }));
}
