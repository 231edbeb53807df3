import { scopeIn, type ErrorScope, type Resource } from './shared/operation';
import { attachment } from './resources/attachment';
import { call } from './resources/call';
import { contactSubscription } from './resources/contactSubscription';
import { conversation } from './resources/conversation';
import { customSubtype } from './resources/customSubtype';
import { email } from './resources/email';
import { liveChat } from './resources/liveChat';
import { message } from './resources/message';

/**
 * The node's resources, in the order of its Resource field: the one table of operation facts.
 * The node's properties, its customOperations and every error's scope and IDs are read from it.
 */
export const RESOURCES: Resource[] = [attachment, call, contactSubscription, conversation, customSubtype, email, liveChat, message];

/** The operations whose scope requests outside the node's own runs name (list search, trigger): a typo is a type error. */
type ReadOutside = 'conversation.getAll' | 'message.getAll';

/** The scope an operation needs, as error messages name it (for requests outside the routing: list search, trigger). */
export function scopeOf(key: ReadOutside): ErrorScope {
	return scopeIn(RESOURCES, key);
}
