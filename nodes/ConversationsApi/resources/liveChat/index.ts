import type { INodeProperties } from 'n8n-workflow';
import { sendLocation } from '../../shared/hooks';
import { resolvePath } from '../../shared/transport';
import { liveChatSendTypingDescription } from './sendTyping';

const showOnlyForLiveChat = {
	resource: ['liveChat'],
};

export const liveChatDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForLiveChat },
		options: [
			{
				name: 'Send Typing Indicator',
				value: 'sendTyping',
				action: 'Send a typing indicator',
				description: 'Show or hide the "agent is typing" indicator in a live chat',
				routing: {
					request: { method: 'POST', url: '/conversations/providers/live-chat/typing' },
					send: { preSend: [resolvePath, sendLocation('body')] },
				},
			},
		],
		default: 'sendTyping',
	},
	...liveChatSendTypingDescription,
];
