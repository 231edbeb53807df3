import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { getLocationId } from '../../shared/credentials';
import { itemError } from '../../shared/errors';
import { contactIdField, conversationField, locationIdField } from '../../shared/fields';
import { hiddenWhen, type Operation } from '../../shared/operation';
import { encodePathSegment, pathId } from '../../shared/paths';
import { apiRequest } from '../../shared/transport';
import { API_VERSION_CONTACTS_USERS_OAUTH, SCOPE } from '../../../../credentials/constants';

/**
 * In HighLevel a conversation's assignee is its contact's assigned user: assigning is
 * `PUT /contacts/{contactId}` with `assignedTo` (Contacts API, Version 2021-07-28, contacts.write).
 * The item's conversation is read first (its contact, its assignee), the contact is updated, and
 * the conversation is read again: the output is the conversation as it now reads.
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

/** Set by `resolve`, read by `output`: both run with the item's context object. */
const assignments = new WeakMap<object, Assignment>();

const CONTACT = { scope: SCOPE.contactsWrite, scopeListed: true, version: API_VERSION_CONTACTS_USERS_OAUTH };

const assignee = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/**
 * Reads the conversation (by contact: the contact's most recent one), writes the contact's
 * assignee unless "Only If Unassigned" finds someone else there, and fills the URL that reads
 * the conversation again. Each request goes through apiRequest (paced; GET and PUT retried on 5xx:
 * both are idempotent, so a PUT sent twice assigns once); a 403 names its own scope.
 */
async function resolve(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const by = this.getNodeParameter('assignBy', 'conversation') as string;
	const unassign = this.getNodeParameter('assignAction', 'assign') === 'unassign';
	const target = unassign ? null : await pathId.call(this, 'userId', 'User');
	const onlyIfUnassigned = this.getNodeParameter('onlyIfUnassigned', false) === true;

	let conversationId: string;
	let contactId: string;
	let previous: string | null;
	// Whether `previous` was read from the record itself (a search row may lag behind it).
	let known = true;
	if (by === 'contact') {
		contactId = await pathId.call(this, 'contactId', 'Contact ID');
		const found = await apiRequest.call(
			this,
			'GET',
			'/conversations/search',
			{ locationId: await getLocationId.call(this), contactId, limit: 1, sortBy: 'last_message_date', sort: 'desc' },
			{ scope: SCOPE.read, scopeListed: true },
		);
		const row = (Array.isArray(found.conversations) ? (found.conversations as IDataObject[]) : [])[0];
		if (!row?.id) {
			throw itemError.call(
				this,
				`Contact "${contactId}" has no conversation: nothing was assigned`,
				'Check the Contact ID and the location, or assign by conversation.',
			);
		}
		conversationId = String(row.id);
		previous = assignee(row.assignedTo);
		known = false;
		if (onlyIfUnassigned) {
			// The contact's own record is the assignment itself.
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
			previous = assignee((contact.contact as IDataObject | undefined)?.assignedTo);
			known = true;
		}
	} else {
		conversationId = await pathId.call(this, 'conversationId', 'Conversation');
		const conversation = await apiRequest.call(
			this,
			'GET',
			`/conversations/${encodePathSegment(conversationId)}`,
			{},
			{
				scope: SCOPE.read,
				scopeListed: true,
				subject: { noun: 'Conversation', value: conversationId },
			},
		);
		contactId = String(conversation.contactId ?? '');
		if (!contactId) {
			throw itemError.call(this, `Conversation "${conversationId}" has no contact: it cannot be assigned`);
		}
		previous = assignee(conversation.assignedTo);
	}

	const assignment: Assignment = { contactId, previous, assignedTo: previous, changed: false };
	if (onlyIfUnassigned && previous !== null && previous !== target) {
		assignment.skipped = `already assigned to "${previous}"`;
	} else if (known && previous === target) {
		assignment.skipped = target === null ? 'already unassigned' : `already assigned to "${target}"`;
	} else {
		const answer = await apiRequest.call(
			this,
			'PUT',
			`/contacts/${encodePathSegment(contactId)}`,
			{},
			{
				...CONTACT,
				body: { assignedTo: target },
				subject: { noun: 'Contact', value: contactId },
			},
		);
		const contact = answer.contact as IDataObject | undefined;
		assignment.assignedTo = contact && 'assignedTo' in contact ? assignee(contact.assignedTo) : target;
		assignment.changed = true;
	}
	assignments.set(this, assignment);
	requestOptions.url = requestOptions.url.replace('{conversationId}', encodePathSegment(conversationId));
	return requestOptions;
}

/** The conversation as it now reads, with what was done (`assignment`). */
async function output(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const body = response.body as IDataObject;
	const conversation = (body && typeof body.conversation === 'object' ? body.conversation : body) as IDataObject;
	return [{ json: { ...conversation, assignment: assignments.get(this) as unknown as IDataObject } }];
}

export const assign: Operation = {
	option: {
		name: 'Assign',
		value: 'assign',
		action: 'Assign a conversation to a user',
		description: "Assign or unassign a conversation (its contact's assigned user) and output the conversation",
		routing: {
			request: { method: 'GET', url: '/conversations/{conversationId}' },
			output: { postReceive: [output] },
		},
	},
	fields,
	facts: {
		scope: SCOPE.read,
		scopeListed: true,
		ids: { conversationId: 'Conversation', contactId: 'Contact' },
	},
	resolve,
};
