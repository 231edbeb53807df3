import {
	updateDisplayOptions,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeRequestSend,
} from 'n8n-workflow';
import { authenticationProperty, rateLimitAndRetriesField } from './descriptions';
import type { ErrorContext } from './errors';
import { resolvePath } from './paths';

/**
 * What an operation is, in one file: `resources/<resource>/<operation>.ts` exports an `Operation`
 * and `resources/<resource>/index.ts` lists them. Everything else about operations (the node's
 * properties, the scope and IDs its errors name, the labels of its path fields) is derived here.
 */

/** The scopes of HighLevel's scope table (an OAuth2 app or a Private Integration must have them). */
export const SCOPE = {
	read: 'conversations.readonly',
	write: 'conversations.write',
	messageRead: 'conversations/message.readonly',
	messageWrite: 'conversations/message.write',
	liveChatWrite: 'conversations/livechat.write',
} as const;

export interface OperationFacts {
	/** The scope the operation needs (a 403 names it). */
	scope: string;
	/** False when HighLevel's scope table names no scope for the endpoint (`scope` is then the matching one). */
	scopeListed: boolean;
	/**
	 * The IDs the operation sends, by parameter, with what they stand for ("Conversation"): a 404
	 * names the one in the path, else the others that are set.
	 */
	ids?: Record<string, string>;
	/** Its failure may mean a message went out (errors say so). */
	sendsMessage?: boolean;
}

export interface Operation {
	/** The option of the resource's Operation field: name, value, action, description and routing. */
	option: INodePropertyOptions & { value: string; routing: NonNullable<INodePropertyOptions['routing']> };
	/** Its fields, in the order shown. Shared definitions (shared/fields.ts) are listed as they are. */
	fields: INodeProperties[];
	facts: OperationFacts;
}

export interface Resource {
	/** Its name in the Resource field. */
	label: string;
	value: string;
	/** The operation the Operation field starts on. */
	defaultOperation: string;
	operations: Operation[];
}

/** What a 403 names. */
export type ErrorScope = Pick<ErrorContext, 'scope' | 'scopeListed'>;

/** The facts of one operation as errors and path handling use them. */
export interface DerivedFacts extends Required<Pick<OperationFacts, 'scope' | 'scopeListed'>> {
	/** The path's ID (not the location), and what it stands for. */
	subject?: [parameter: string, noun: string];
	/** The other IDs, named by a 404 of an operation without a path ID. */
	ids: Array<[parameter: string, noun: string]>;
	sendsMessage: boolean;
	/** Labels of the fields that fill the path's `{placeholders}`, for error messages. */
	pathLabels: Record<string, string>;
}

const keyOf = (resource: string, operation: string) => `${resource}.${operation}`;

/** Facts of every operation the node was built with, by "resource.operation". */
const registry = new Map<string, DerivedFacts>();

/** The derived facts of one operation of a resource (throws on a fact that does not fit). */
export function deriveFacts(resource: Resource, operation: Operation): DerivedFacts {
	const url = String(operation.option.routing.request?.url ?? '');
	const where = keyOf(resource.value, operation.option.value);
	const ids = operation.facts.ids ?? {};
	const pathLabels: Record<string, string> = {};
	let subject: DerivedFacts['subject'];
	for (const [, name] of url.matchAll(/\{(\w+)\}/g)) {
		const field = operation.fields.find((candidate) => candidate.name === name);
		if (!field) throw new Error(`${where}: the path's {${name}} has no field named "${name}"`);
		pathLabels[name] = field.displayName;
		if (name !== 'locationId' && !subject) {
			if (!ids[name]) throw new Error(`${where}: facts.ids does not say what {${name}} stands for`);
			subject = [name, ids[name]];
		}
	}
	for (const parameter of Object.keys(ids)) {
		if (!operation.fields.some((field) => field.name === parameter)) {
			throw new Error(`${where}: facts.ids names "${parameter}", which is not one of its fields`);
		}
	}
	return {
		scope: operation.facts.scope,
		scopeListed: operation.facts.scopeListed,
		subject,
		ids: Object.entries(ids).filter(([parameter]) => parameter !== subject?.[0]),
		sendsMessage: operation.facts.sendsMessage ?? false,
		pathLabels,
	};
}

/** The derived facts of every operation, by "resource.operation". */
export function operationTable(resources: Resource[]): Record<string, DerivedFacts> {
	return Object.fromEntries(
		resources.flatMap((resource) =>
			resource.operations.map((operation) => [keyOf(resource.value, operation.option.value), deriveFacts(resource, operation)]),
		),
	);
}

/**
 * What an operation's error messages name: its scope, the ID in its path and the other IDs it
 * sends, read from the item's fields by `field` (blank when unset).
 */
export function operationErrorContext(
	operation: string,
	field: (name: string) => string,
): Pick<ErrorContext, 'scope' | 'scopeListed' | 'subject' | 'ids' | 'sendsMessage'> {
	const facts = registry.get(operation);
	if (!facts) return { scope: SCOPE.read, scopeListed: false, ids: [] };
	const subjectValue = facts.subject ? field(facts.subject[0]) : '';
	return {
		scope: facts.scope,
		scopeListed: facts.scopeListed,
		subject: facts.subject && subjectValue ? { noun: facts.subject[1], value: subjectValue } : undefined,
		ids: facts.ids.map(([parameter, noun]) => ({ noun, value: field(parameter) })).filter((id) => id.value),
		sendsMessage: facts.sendsMessage,
	};
}

type Show = Record<string, Array<string | number | boolean>>;

/** The resource's Operation field, each option's routing completed: the path filled first. */
function operationProperty(resource: Resource): INodeProperties {
	const { defaultOperation } = resource;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: `${defaultOperation}`,
		displayOptions: { show: { resource: [resource.value] } },
		options: resource.operations.map(({ option }) => {
			const facts = registry.get(keyOf(resource.value, option.value)) as DerivedFacts;
			const send: INodeRequestSend = option.routing.send ?? {};
			const preSend = [resolvePath(facts.pathLabels), ...(send.preSend ?? [])];
			return { ...option, routing: { ...option.routing, send: { ...send, preSend } } };
		}),
	};
}

/**
 * Groups the operations that use one shared field into as few properties as n8n's display rules
 * can show it with: a property shows for its resources × operations, so two groups are one only
 * when that product adds no operation that does not use the field.
 */
export function displayGroups(uses: Array<[resource: string, operation: string]>, all: Array<[string, string]>): Show[] {
	const used = new Set(uses.map(([resource, operation]) => keyOf(resource, operation)));
	const exists = new Set(all.map(([resource, operation]) => keyOf(resource, operation)));
	const groups: Array<{ resources: string[]; operations: string[] }> = [];
	for (const [resource, operation] of uses) {
		const group = groups.find((candidate) => candidate.resources.length === 1 && candidate.resources[0] === resource);
		if (group) {
			if (!group.operations.includes(operation)) group.operations.push(operation);
		} else groups.push({ resources: [resource], operations: [operation] });
	}
	const exact = (resources: string[], operations: string[]) =>
		resources.every((resource) =>
			operations.every((operation) => !exists.has(keyOf(resource, operation)) || used.has(keyOf(resource, operation))),
		);
	for (let merged = true; merged; ) {
		merged = false;
		for (let i = 0; i < groups.length && !merged; i++) {
			for (let j = i + 1; j < groups.length && !merged; j++) {
				const resources = [...groups[i].resources, ...groups[j].resources];
				const operations = [...new Set([...groups[i].operations, ...groups[j].operations])];
				if (exact(resources, operations)) {
					groups.splice(j, 1);
					groups[i] = { resources, operations };
					merged = true;
				}
			}
		}
	}
	return groups.map(({ resources, operations }) => ({ resource: resources, operation: operations }));
}

/**
 * The order fields are shown in: each operation's own order is kept (a field shared with another
 * operation is placed after the fields it follows anywhere), ties by first use.
 */
function fieldOrder(chains: INodeProperties[][]): INodeProperties[] {
	const firstUse = new Map<INodeProperties, number>();
	const before = new Map<INodeProperties, Set<INodeProperties>>();
	for (const chain of chains) {
		chain.forEach((field, index) => {
			if (!firstUse.has(field)) firstUse.set(field, firstUse.size);
			if (!before.has(field)) before.set(field, new Set());
			if (index > 0) before.get(field)?.add(chain[index - 1]);
		});
	}
	const placed = new Set<INodeProperties>();
	const order: INodeProperties[] = [];
	const byFirstUse = [...firstUse.keys()];
	while (order.length < byFirstUse.length) {
		const ready =
			byFirstUse.find((field) => !placed.has(field) && [...(before.get(field) ?? [])].every((other) => placed.has(other))) ??
			// Two operations order two shared fields differently: the first use decides.
			byFirstUse.find((field) => !placed.has(field)) as INodeProperties;
		placed.add(ready);
		order.push(ready);
	}
	return order;
}

/**
 * The node's properties for its resources, after the Resource field: each resource's Operation
 * field, then the fields, each shown for exactly the operations that list it. Registers every
 * operation's facts for the requests' error messages.
 */
export function resourceProperties(resources: Resource[]): INodeProperties[] {
	const all: Array<[string, string]> = [];
	const uses = new Map<INodeProperties, Array<[string, string]>>();
	const chains: INodeProperties[][] = [];
	for (const resource of resources) {
		for (const operation of resource.operations) {
			registry.set(keyOf(resource.value, operation.option.value), deriveFacts(resource, operation));
			all.push([resource.value, operation.option.value]);
			chains.push(operation.fields);
			for (const field of operation.fields) {
				if (!uses.has(field)) uses.set(field, []);
				uses.get(field)?.push([resource.value, operation.option.value]);
			}
		}
	}
	const fields = fieldOrder(chains).flatMap((field) => {
		// A shared field's routing (if any) is the same for all its operations: it is one object.
		return displayGroups(uses.get(field) ?? [], all).flatMap((show) => updateDisplayOptions({ show }, [field]));
	});
	return [...resources.map(operationProperty), ...fields];
}

/** The Resource field. */
export function resourceProperty(resources: Resource[], defaultResource: string): INodeProperties {
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		// Lets requestOperations.pagination (routingRequest) run every request.
		routing: { send: { paginate: true } },
		options: resources.map((resource) => ({ name: resource.label, value: resource.value })),
		default: defaultResource,
	};
}

/** All properties of the action node for these resources, in n8n's order. */
export function nodeProperties(resources: Resource[], defaultResource: string): INodeProperties[] {
	return [
		authenticationProperty,
		resourceProperty(resources, defaultResource),
		...resourceProperties(resources),
		rateLimitAndRetriesField,
	];
}
