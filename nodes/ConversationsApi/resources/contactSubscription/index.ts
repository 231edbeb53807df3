import type { Resource } from '../../shared/operation';
import { change } from './change';
import { getStatus } from './getStatus';

export const contactSubscription: Resource = {
	label: 'Contact Subscription',
	value: 'contactSubscription',
	defaultOperation: 'getStatus',
	operations: [change, getStatus],
};
