import type { Resource } from '../../shared/operation';
import { create } from './create';
import { getAll } from './getAll';
import { update } from './update';

export const customSubtype: Resource = {
	label: 'Custom Subtype',
	value: 'customSubtype',
	defaultOperation: 'getAll',
	operations: [create, getAll, update],
};
