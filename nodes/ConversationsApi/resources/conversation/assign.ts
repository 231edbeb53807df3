import type { IDataObject, IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';
import { getLocationId } from '../../shared/credentials';
import { itemError } from '../../shared/errors';
import { contactIdField, conversationField, locationIdField } from '../../shared/fields';
import { perItem } from '../../shared/itemExecution';
import { hiddenWhen } from '../../shared/layout';
import type { Operation } from '../../shared/operation';
import { encodePathSegment, pathId } from '../../shared/paths';
import { simplifyConversation, simplifyOn, simplifyRecordFields } from '../../shared/simplify';
import { apiRequest } from '../../shared/transport';
import { API_VERSION_CONTACTS_USERS_OAUTH, SCOPE } from '../../../../credentials/constants';

/**
 * In HighLevel a conversation's assignee is its contact's assigned user: assigning is
 * `PUT /contacts/{contactId}` with `assignedTo` (Contacts API, Version 2021-07-28, contacts.write).
 * The item's conversation is read first (its contact, its assignee), the contact is updated, and
 * the conversation is read again: the output is the conversation as it now reads. A programmatic
 * operation (n8n runs `execute`, see the node's customOperations): each request goes through
 * apiRequest, like every request of the node (paced, retried where safe, errors that say what to
 * do, an agency's location token).
 */

const fields: INodeProperties[] = [
	{
		displayName: 'Assign By',
		name: 'assignBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Conversation', value: 'conversation', description: 'Pick the conversation (its contact is assigned)' },
			{ name: 'Contact', value: 'contact', description: 'Give the contact; its most recent conversation is output' },
		],
		default: 'conversation',
	},
	hiddenWhen(conversationField, { assignBy: ['contact'] }),
	{
		...contactIdField,
		displayOptions: { show: { assignBy: ['contact'] } },
		description: "The contact whose conversations to assign (a conversation's assignee is its contact's)",
	},
	{
		displayName: 'Action',
		name: 'assignAction',
		type: 'options',
		options: [
			{ name: 'Assign to User', value: 'assign' },
			{ name: 'Unassign', value: 'unassign', description: 'Remove the assigned user' },
		],
		default: 'assign',
	},
	{
		displayName: 'User',
		name: 'userId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The user to assign the conversation to',
		displayOptions: { show: { assignAction: ['assign'] } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a user...',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. ABCHkzuJQ8ZMd4Te84GK' },
		],
	},
	{
		displayName: 'Only If Unassigned',
		name: 'onlyIfUnassigned',
		type: 'boolean',
		default: false,
		description:
			'Whether to leave a conversation that is already assigned to someone else as it is (the output then says so). Not atomic: the API has no conditional update.',
	},
	...simplifyRecordFields,
	locationIdField,
];

/** What happened to one item, added to its output as `assignment`. */
interface Assignment {
	contactId: string;
	previous: string | null;
	assignedTo: string | null;
	changed: boolean;
	/** Why nothing was written. */
	skipped?: string;
}

const CONVERSATION = { scope: SCOPE.read, scopeListed: true };

const CONTACT = { scope: SCOPE.contactsWrite, scopeListed: true, version: API_VERSION_CONTACTS_USERS_OAUTH };

const assignee = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/** GET /conversations/{id}: the conversation (the answer may nest it in `conversation`). */
async function readConversation(this: IExecuteSingleFunctions, conversationId: string): Promise<IDataObject> {
	const body = await apiRequest.call(
		this,
		'GET',
		`/conversations/${encodePathSegment(conversationId)}`,
		{},
		{
			...CONVERSATION,
			subject: { noun: 'Conversation', value: conversationId },
		},
	);
	return (body && typeof body.conversation === 'object' ? body.conversation : body) as IDataObject;
}

/** The conversation to assign, its contact and its assignee, by the item's "Assign By". */
async function target(
	this: IExecuteSingleFunctions,
	onlyIfUnassigned: boolean,
): Promise<{ conversationId: string; contactId: string; previous: string | null; known: boolean }> {
	if (this.getNodeParameter('assignBy', 'conversation') !== 'contact') {
		const conversationId = await pathId.call(this, 'conversationId', 'Conversation');
		const conversation = await readConversation.call(this, conversationId);
		const contactId = String(conversation.contactId ?? '');
		if (!contactId) {
			throw itemError.call(this, `Conversation "${conversationId}" has no contact: it cannot be assigned`);
		}
		return { conversationId, contactId, previous: assignee(conversation.assignedTo), known: true };
	}
	const contactId = await pathId.call(this, 'contactId', 'Contact ID');
	const found = await apiRequest.call(
		this,
		'GET',
		'/conversations/search',
		{ locationId: await getLocationId.call(this), contactId, limit: 1, sortBy: 'last_message_date', sort: 'desc' },
		CONVERSATION,
	);
	const row = (Array.isArray(found.conversations) ? (found.conversations as IDataObject[]) : [])[0];
	if (!row?.id) {
		throw itemError.call(
			this,
			`Contact "${contactId}" has no conversation: nothing was assigned`,
			'Check the Contact ID and the location, or assign by conversation.',
		);
	}
	// A search row may lag behind the record: with "Only If Unassigned" the contact's own record,
	// which is the assignment itself, decides.
	if (!onlyIfUnassigned) return { conversationId: String(row.id), contactId, previous: assignee(row.assignedTo), known: false };
	const contact = await apiRequest.call(
		this,
		'GET',
		`/contacts/${encodePathSegment(contactId)}`,
		{},
		{
			...CONTACT,
			scope: SCOPE.contactsRead,
			subject: { noun: 'Contact', value: contactId },
		},
	);
	return {
		conversationId: String(row.id),
		contactId,
		previous: assignee((contact.contact as IDataObject | undefined)?.assignedTo),
		known: true,
	};
}

/**
 * One item: reads the conversation (by contact: the contact's most recent one), writes the
 * contact's assignee unless "Only If Unassigned" finds someone else there, and reads the
 * conversation again. GET and PUT are retried on 5xx (both idempotent: a PUT sent twice assigns
 * once); a 403 names each request's own scope.
 */
async function assignItem(this: IExecuteSingleFunctions): Promise<IDataObject> {
	const unassign = this.getNodeParameter('assignAction', 'assign') === 'unassign';
	const user = unassign ? null : await pathId.call(this, 'userId', 'User');
	const onlyIfUnassigned = this.getNodeParameter('onlyIfUnassigned', false) === true;
	const { conversationId, contactId, previous, known } = await target.call(this, onlyIfUnassigned);

	const assignment: Assignment = { contactId, previous, assignedTo: previous, changed: false };
	if (onlyIfUnassigned && previous !== null && previous !== user) {
		assignment.skipped = `already assigned to "${previous}"`;
	} else if (known && previous === user) {
		assignment.skipped = user === null ? 'already unassigned' : `already assigned to "${user}"`;
	} else {
		const answer = await apiRequest.call(
			this,
			'PUT',
			`/contacts/${encodePathSegment(contactId)}`,
			{},
			{
				...CONTACT,
				body: { assignedTo: user },
				subject: { noun: 'Contact', value: contactId },
			},
		);
		const contact = answer.contact as IDataObject | undefined;
		assignment.assignedTo = contact && 'assignedTo' in contact ? assignee(contact.assignedTo) : user;
		assignment.changed = true;
	}
	const conversation = await readConversation.call(this, conversationId);
	const shown = simplifyOn(this) ? simplifyConversation(conversation, this.getTimezone()) : conversation;
	return { ...shown, assignment: assignment as unknown as IDataObject };
}

export const assign: Operation = {
	option: {
		name: 'Assign',
		value: 'assign',
		action: 'Assign a conversation to a user',
		description: "Assign or unassign a conversation (its contact's assigned user) and output the conversation",
		// Not sent by n8n (it runs `execute`): the request the output is read from, for the operations table.
		routing: { request: { method: 'GET', url: '/conversations/{conversationId}' } },
	},
	fields,
	facts: {
		scope: SCOPE.read,
		scopeListed: true,
		ids: { conversationId: 'Conversation', contactId: 'Contact' },
	},
	execute: perItem(assignItem),
};
