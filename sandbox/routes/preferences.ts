/** Preferences: custom subtypes, and contacts' email subscription statuses. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app';
import { badRequest, Fields, jsonBody, notFound, paramsOf, queryOf, type Json } from '../http';
import type { SubscriptionStatus } from '../state';
import { customSubtypeView } from '../views';

export const DEFAULT_SUBTYPE = 'One on One';

export function registerPreferenceRoutes(app: FastifyInstance, { state }: AppContext): void {
	const v2 = { config: { kind: 'v2' as const } };

	const requireLocation = (query: Record<string, string | undefined>) => {
		const fields = new Fields(query as Json);
		fields.string('locationId', { required: true });
		return fields;
	};

	app.get('/conversations/preferences/custom-subtypes', v2, async (request) => {
		requireLocation(queryOf(request)).check();
		const customSubtypes = [...state.customSubtypes.values()].map(customSubtypeView);
		return { customSubtypes, total: customSubtypes.length };
	});

	app.post('/conversations/preferences/custom-subtypes', v2, async (request, reply) => {
		requireLocation(queryOf(request)).check();
		const fields = new Fields(jsonBody(request));
		const name = fields.string('name', { required: true, maxLength: 100 });
		const description = fields.string('description', { maxLength: 100 });
		const channel = fields.oneOf('channel', ['email', 'sms'], { required: true });
		const language = fields.string('language', { required: true });
		fields.check();
		const duplicate = [...state.customSubtypes.values()].find(
			(subtype) => !subtype.archived && subtype.channel === channel && subtype.name.toLowerCase() === name?.trim().toLowerCase(),
		);
		if (duplicate) throw badRequest(`A custom subtype named "${name}" already exists for ${channel}`, { id: duplicate.id });
		const now = state.now();
		const subtype = {
			id: state.newId(),
			locationId: state.locationId,
			name: (name as string).trim(),
			description,
			channel: channel as 'email' | 'sms',
			language: language as string,
			archived: false,
			dateAdded: now,
			dateUpdated: now,
		};
		state.customSubtypes.set(subtype.id, subtype);
		return reply.code(201).send(customSubtypeView(subtype));
	});

	app.put('/conversations/preferences/custom-subtypes/:id', v2, async (request) => {
		requireLocation(queryOf(request)).check();
		const body = jsonBody(request);
		const fields = new Fields(body);
		const name = fields.string('name', { maxLength: 100 });
		const description = fields.string('description', { maxLength: 100 });
		const archived = fields.boolean('archived');
		const legalFormId = fields.string('resubscription_legal_form_id');
		if ([name, description, archived, legalFormId].every((value) => value === undefined)) {
			fields.problem('at least one of name, description, archived, resubscription_legal_form_id should be given');
		}
		fields.check();
		const subtype = state.customSubtype(paramsOf(request).id);
		if (!subtype) throw notFound('Custom subtype');
		if (name !== undefined) subtype.name = name.trim();
		if (description !== undefined) subtype.description = description;
		if (archived !== undefined) subtype.archived = archived;
		if (legalFormId !== undefined) subtype.resubscription_legal_form_id = legalFormId;
		subtype.dateUpdated = state.now();
		return customSubtypeView(subtype);
	});

	app.get('/conversations/preferences/unsubscriptions/status', v2, async (request) => {
		const query = queryOf(request);
		const fields = requireLocation(query);
		const contactId = fields.string('contactId', { required: true });
		const email = fields.string('email');
		fields.check();
		const contact = state.contact(contactId as string);
		if (!contact) throw notFound('Contact');
		const byEmail = state.subscriptionsOf(contact.id);
		const addresses = email ? [email.trim().toLowerCase()] : [...byEmail.keys()];
		const emailSubtypes = [...state.customSubtypes.values()].filter((subtype) => subtype.channel === 'email' && !subtype.archived);
		return {
			contactId: contact.id,
			emails: addresses.map((address) => {
				const statuses = byEmail.get(address) ?? new Map<string, SubscriptionStatus>();
				const status = (key: string) => statuses.get(key) ?? 'subscribed';
				return {
					email: address,
					subscriptions: [
						{ type: 'default', name: DEFAULT_SUBTYPE, status: status(`default:${DEFAULT_SUBTYPE}`) },
						...emailSubtypes.map((subtype) => ({
							type: 'custom',
							id: subtype.id,
							name: subtype.name,
							status: status(`custom:${subtype.id}`),
						})),
					],
				};
			}),
		};
	});

	app.post('/conversations/preferences/unsubscriptions/user-change', v2, async (request, reply) => {
		const body = jsonBody(request);
		const fields = new Fields(body);
		fields.string('locationId', { required: true });
		const contactId = fields.string('contactId', { required: true });
		const email = fields.string('email', { required: true });
		const action = fields.object('subscription_action', { required: true });
		const legalReason = fields.string('legal_reason');
		fields.string('legal_description');
		const actionFields = new Fields(action ?? {});
		const type = action ? actionFields.oneOf('type', ['default', 'custom', 'resub_all'], { required: true }) : undefined;
		const status = action
			? actionFields.oneOf<SubscriptionStatus>('subtype_status', ['subscribed', 'unsubscribed'], { required: true })
			: undefined;
		const subtypeName = type === 'default' ? actionFields.oneOf('subtype_name', [DEFAULT_SUBTYPE], { required: true }) : undefined;
		const subtypeId = type === 'custom' ? actionFields.string('subtype_id', { required: true }) : undefined;
		for (const message of actionFields.issues()) fields.problem(`subscription_action.${message}`);
		if (type === 'resub_all' && status === 'unsubscribed')
			fields.problem('subscription_action.subtype_status must be subscribed for resub_all');
		fields.check();

		const contact = state.contact(contactId as string);
		if (!contact) throw notFound('Contact');
		const address = (email as string).trim().toLowerCase();
		const statuses = state.subscriptionsOf(contact.id).get(address);
		if (type === 'resub_all') {
			if (!legalReason?.trim()) throw badRequest('legal_reason is required to resubscribe (resub_all)');
			for (const key of statuses?.keys() ?? []) state.setSubscription(contact.id, address, key, 'subscribed');
			state.setSubscription(contact.id, address, `default:${DEFAULT_SUBTYPE}`, 'subscribed');
		} else {
			if (subtypeId && !state.customSubtype(subtypeId)) throw notFound('Custom subtype');
			const key = type === 'custom' ? `custom:${subtypeId}` : `default:${subtypeName}`;
			const resubscribe = status === 'subscribed' && statuses?.get(key) === 'unsubscribed';
			if (resubscribe && !legalReason?.trim()) throw badRequest('legal_reason is required to resubscribe a contact');
			state.setSubscription(contact.id, address, key, status as SubscriptionStatus);
		}
		return reply.code(201).send({ success: true, message: 'Subscription updated successfully' });
	});
}
