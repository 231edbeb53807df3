import type { INodeProperties } from 'n8n-workflow';
import { authenticationProperty } from '../ConversationsApi/shared/descriptions';
import { LAST_MESSAGE_TYPES } from '../ConversationsApi/shared/messageTypes';
import { MAX_LOOKBACK_MINUTES, MAX_WATCH_COUNT } from './limits';

const forEvent = (...event: string[]) => ({ show: { event } });

export const triggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Sub-Accounts (Agency)',
		name: 'locationIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. ve9EPM428h8vShlRW1KT, l1C08ntBrFjLS0elLIYU',
		description:
			"With an OAuth2 credential connected as an agency: the IDs of the sub-accounts (locations) to watch, comma-separated; each is polled with its own token and keeps its own state. Empty: the credential's Location ID.",
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Conversation Updated',
				value: 'conversationUpdated',
				description: 'The unread count, the star or the assignment of a recently active conversation changed',
			},
			{
				name: 'New Conversation',
				value: 'newConversation',
				description: 'A conversation was created',
			},
			{
				name: 'New Message',
				value: 'newMessage',
				description: 'A message was received or sent in a conversation',
			},
		],
		default: 'newMessage',
	},
	{
		displayName:
			'Each poll emits what happened since the previous one, oldest first. On first activation the trigger starts from now (see Options to include the last minutes); Fetch Test Event shows the most recent matching event, however old.',
		name: 'pollingNotice',
		type: 'notice',
		default: '',
		displayOptions: forEvent('newMessage', 'newConversation'),
	},
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		options: [
			{ name: 'Both', value: 'both', description: 'Received and sent messages' },
			{ name: 'Inbound', value: 'inbound', description: 'Messages from contacts' },
			{
				name: 'Outbound',
				value: 'outbound',
				description: 'Messages sent to contacts (by users, automations or the API, this workflow included)',
			},
		],
		default: 'inbound',
		displayOptions: forEvent('newMessage'),
	},
	{
		displayName: 'Channels',
		name: 'channels',
		type: 'multiOptions',
		options: LAST_MESSAGE_TYPES,
		default: [],
		description: 'Only messages of these types. None chosen: every type.',
		displayOptions: forEvent('newMessage'),
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: forEvent('newMessage'),
		options: [
			{
				displayName: 'Assigned To User Names or IDs',
				name: 'assignedTo',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getAssignees' },
				default: [],
				description:
					'Only messages of conversations assigned to these users ("Unassigned": to nobody). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Contact ID',
				name: 'contactId',
				type: 'string',
				default: '',
				description: "Only messages of this contact's conversation",
			},
			{
				displayName: 'Conversation ID',
				name: 'conversationId',
				type: 'string',
				default: '',
				description: 'Only messages of this conversation',
			},
		],
	},
	{
		displayName:
			'The API cannot list conversations by update time, so this watches the most recently active conversations (by last message date) and compares them with the previous poll. Not seen: changes to conversations outside that set (e.g. a star on an old conversation), changes undone before the next poll; several changes between two polls are one event. The first poll only records the current values.',
		name: 'updatedNotice',
		type: 'notice',
		default: '',
		displayOptions: forEvent('conversationUpdated'),
	},
	{
		displayName: 'Watch For',
		name: 'watchFor',
		type: 'multiOptions',
		options: [
			{ name: 'Assignment', value: 'assignedTo', description: 'The assigned user changed' },
			{ name: 'Starred', value: 'starred', description: 'The conversation was starred or unstarred' },
			{
				name: 'Unread Count',
				value: 'unreadCount',
				description: 'The unread count changed (read, marked unread, or a new inbound message)',
			},
		],
		default: ['assignedTo', 'starred', 'unreadCount'],
		description: 'Which changes trigger an event',
		displayOptions: forEvent('conversationUpdated'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Conversations to Watch',
				name: 'watchCount',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 1, maxValue: MAX_WATCH_COUNT },
				description: 'How many of the most recently active conversations each poll compares (one request per 100)',
				displayOptions: { show: { '/event': ['conversationUpdated'] } },
			},
			{
				displayName: 'Include Last Minutes on First Activation',
				name: 'lookbackMinutes',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, maxValue: MAX_LOOKBACK_MINUTES },
				description: 'On first activation, also emit what happened this many minutes before. 0: start from now.',
				displayOptions: { show: { '/event': ['newMessage', 'newConversation'] } },
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				// Off by default: workflows saved before the option keep the items they were built on.
				default: false,
				description:
					"Whether to emit the fields you act on first (contact, text, channel, dates in the workflow's time zone) instead of the full item",
			},
		],
	},
];
