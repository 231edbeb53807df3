/**
 * A stand-in for HighLevel's POST /contacts/search (Contacts API, Version 2021-07-28), for the
 * contact picker: `locationId`, `query` (name, email or phone, case-insensitive, partial),
 * `page` (from 1) and `pageLimit`; answers `contacts` and `total`. The spec leaves the body schema
 * empty: these names are HighLevel's documented ones, and unknown properties are refused (422) as
 * the API's DTO validation does.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app';
import { Fields, jsonBody } from '../http';
import { contactView } from '../views';

const KNOWN = new Set(['locationId', 'query', 'page', 'pageLimit', 'filters', 'sort']);

export function registerContactSearchRoutes(app: FastifyInstance, { state }: AppContext): void {
	app.post('/contacts/search', { config: { kind: 'contacts' as const, scope: 'contacts.readonly' } }, async (request) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		fields.string('locationId', { required: true });
		const query = (fields.string('query') ?? '').trim().toLowerCase();
		const page = fields.number('page', { min: 1 }) ?? 1;
		const pageLimit = fields.number('pageLimit', { min: 1, max: 500 }) ?? 20;
		for (const name of Object.keys(body)) if (!KNOWN.has(name)) fields.problem(`property ${name} should not exist`);
		fields.check();
		const digits = query.replace(/\D/g, '');
		const matches = [...state.contacts.values()]
			.filter((contact) => {
				if (!query) return true;
				const text = [contact.name, contact.firstName, contact.lastName, contact.email].filter(Boolean).join(' ').toLowerCase();
				return text.includes(query) || (digits.length >= 3 && (contact.phone ?? '').replace(/\D/g, '').includes(digits));
			})
			.sort((a, b) => b.dateAdded - a.dateAdded || a.id.localeCompare(b.id));
		const start = (Math.floor(page) - 1) * Math.floor(pageLimit);
		return { contacts: matches.slice(start, start + Math.floor(pageLimit)).map((contact) => contactView(contact)), total: matches.length };
	});
}
