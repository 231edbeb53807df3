import type { Resource } from '../../shared/operation';
import { create } from './create';
import { deleteOperation } from './delete';
import { get } from './get';
import { getAll } from './getAll';
import { update } from './update';

export const conversation: Resource = {
	label: 'Conversation',
	value: 'conversation',
	defaultOperation: 'getAll',
	operations: [create, deleteOperation, get, getAll, update],
};
