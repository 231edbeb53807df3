/** A stand-in for HighLevel's Users API: the users of the location (for the user pickers). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app';
import { Fields, notFound, paramsOf, queryOf, type Json } from '../http';
import type { SandboxUser } from '../state';

/** UserSchema of the spec (apps/users.json). */
function userView(user: SandboxUser, locationId: string): Json {
	return {
		id: user.id,
		name: user.name,
		firstName: user.firstName,
		lastName: user.lastName,
		email: user.email,
		phone: '',
		extension: '',
		roles: { type: 'account', role: 'user', locationIds: [locationId] },
	};
}

export function registerUserRoutes(app: FastifyInstance, { state }: AppContext): void {
	const users = { config: { kind: 'v20210728' as const, scope: 'users.readonly' } };

	app.get('/users/', users, async (request) => {
		const fields = new Fields(queryOf(request));
		fields.string('locationId', { required: true });
		fields.check();
		return { users: state.users.map((user) => userView(user, state.locationId)) };
	});

	app.get('/users/:userId', users, async (request) => {
		const user = state.user(paramsOf(request).userId);
		if (!user) throw notFound('User');
		return userView(user, state.locationId);
	});
}
