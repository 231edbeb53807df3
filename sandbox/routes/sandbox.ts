/** Sandbox extras: a health check and simulated traffic. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app';
import { Fields, iso, jsonBody } from '../http';

export const MAX_SIMULATED_EVENTS = 5000;

export function registerSandboxRoutes(app: FastifyInstance, context: AppContext): void {
	const { state } = context;

	app.get('/sandbox/health', { config: { kind: 'public' } }, async () => ({
		status: 'ok',
		locationId: state.locationId,
		conversations: state.conversations.size,
		messages: state.messages.size,
		contacts: state.contacts.size,
		time: iso(state.now()),
	}));

	app.post('/sandbox/simulate', { config: { kind: 'sandbox' } }, async (request) => {
		const fields = new Fields(jsonBody(request));
		const inboundMessages = fields.number('inboundMessages', { min: 0, max: MAX_SIMULATED_EVENTS });
		const newConversations = fields.number('newConversations', { min: 0, max: MAX_SIMULATED_EVENTS });
		const intervalMs = fields.number('intervalMs', { min: 0, max: 60_000 });
		fields.check();
		return context.simulate({
			inboundMessages: Math.floor(inboundMessages ?? 0),
			newConversations: Math.floor(newConversations ?? 0),
			intervalMs: intervalMs ?? 0,
		});
	});
}
