/**
 * PUT /contacts/{contactId} of HighLevel's Contacts API, for assigning: `assignedTo` (a user of
 * the location, or null to unassign) becomes the contact's and its conversations' assignee, so
 * conversation rows and the search's `assignedTo` filter show it at once. Other fields of the
 * body are refused here (this stand-in only assigns).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app';
import { jsonBody, notFound, paramsOf, unprocessable } from '../http';
import { contactView } from '../views';

export function registerContactAssignRoutes(app: FastifyInstance, { state }: AppContext): void {
	app.put('/contacts/:contactId', { config: { kind: 'v20210728' as const, scope: 'contacts.write' } }, async (request) => {
		const contact = state.contact(paramsOf(request).contactId);
		if (!contact) throw notFound('Contact');
		const body = jsonBody(request);
		const other = Object.keys(body).filter((key) => key !== 'assignedTo');
		if (other.length) throw unprocessable(other.map((key) => `property ${key} is not supported by the sandbox`));
		if (!('assignedTo' in body)) throw unprocessable(['assignedTo should not be empty']);
		const assignedTo = body.assignedTo;
		if (assignedTo !== null && typeof assignedTo !== 'string') throw unprocessable(['assignedTo must be a string']);
		if (typeof assignedTo === 'string' && !state.user(assignedTo)) {
			throw unprocessable([`assignedTo: no user "${assignedTo}" in this location`]);
		}
		state.assignContact(contact, assignedTo === '' ? null : assignedTo);
		return { succeded: true, contact: contactView(contact, state.assigneeOf(contact)) };
	});
}
