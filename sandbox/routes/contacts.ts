/** A minimal stand-in for HighLevel's Contacts API: upsert and get (for templates and demos). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app';
import { Fields, jsonBody, notFound, paramsOf } from '../http';
import { contactView } from '../views';

export function registerContactRoutes(app: FastifyInstance, { state }: AppContext): void {
	const write = { config: { kind: 'contacts' as const, scope: 'contacts.write' } };
	const read = { config: { kind: 'contacts' as const, scope: 'contacts.readonly' } };

	app.post('/contacts/upsert', write, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		fields.string('locationId', { required: true });
		const email = fields.string('email');
		const phone = fields.string('phone');
		const firstName = fields.string('firstName');
		const lastName = fields.string('lastName');
		const name = fields.string('name');
		const companyName = fields.string('companyName');
		const source = fields.string('source');
		const tags = fields.strings('tags');
		if (!email?.trim() && !phone?.trim()) fields.problem('email or phone should not be empty');
		if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) fields.problem('email must be an email');
		fields.check();
		const { contact, created } = state.upsertContact({ email, phone, firstName, lastName, name, companyName, source, tags });
		return { new: created, contact: contactView(contact), traceId: state.newId() };
	});

	app.get('/contacts/:contactId', read, async (request) => {
		const contact = state.contact(paramsOf(request).contactId);
		if (!contact) throw notFound('Contact');
		return { contact: contactView(contact, state.assigneeOf(contact)) };
	});
}
