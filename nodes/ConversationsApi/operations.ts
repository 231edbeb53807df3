import { operationTable, type ErrorScope, type Resource } from './shared/operation';
import { attachment } from './resources/attachment';
import { call } from './resources/call';
import { contactSubscription } from './resources/contactSubscription';
import { conversation } from './resources/conversation';
import { customSubtype } from './resources/customSubtype';
import { email } from './resources/email';
import { liveChat } from './resources/liveChat';
import { message } from './resources/message';

/** The node's resources, in the order of its Resource field. */
export const RESOURCES: Resource[] = [attachment, call, contactSubscription, conversation, customSubtype, email, liveChat, message];

/** Scope, IDs and path labels of every operation, by "resource.operation": derived from the operation files. */
export const OPERATIONS = operationTable(RESOURCES);

/** The scope an operation needs, as error messages name it (for requests outside the routing: list search, trigger). */
export function scopeOf(operation: string): ErrorScope {
	const facts = OPERATIONS[operation];
	if (!facts) throw new Error(`Unknown operation "${operation}"`);
	return { scope: facts.scope, scopeListed: facts.scopeListed };
}
