import type { Resource } from '../../shared/operation';
import { sendTyping } from './sendTyping';

export const liveChat: Resource = {
	name: 'Live Chat',
	value: 'liveChat',
	defaultOperation: 'sendTyping',
	operations: [sendTyping],
};
