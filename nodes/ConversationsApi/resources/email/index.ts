import type { Resource } from '../../shared/operation';
import { cancelScheduled } from './cancelScheduled';
import { get } from './get';
import { updateStatus } from './updateStatus';

export const email: Resource = {
	label: 'Email',
	value: 'email',
	defaultOperation: 'get',
	operations: [cancelScheduled, get, updateStatus],
};
