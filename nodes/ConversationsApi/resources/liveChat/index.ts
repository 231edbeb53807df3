import type { Resource } from '../../shared/operation';
import { sendTyping } from './sendTyping';

export const liveChat: Resource = {
	label: 'Live Chat',
	value: 'liveChat',
	defaultOperation: 'sendTyping',
	operations: [sendTyping],
};
