import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { ErrorContext } from './errors';

/**
 * What an operation is, and what is read from the table of them. `resources/<resource>/<operation>.ts`
 * exports an `Operation` and `resources/<resource>/index.ts` lists them; `operations.ts` lists the
 * resources: that list is the one table of operation facts. The node's properties (layout.ts), the
 * facts its errors name and its `customOperations` are all read from it with the functions below;
 * nothing is registered on the side.
 */

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

/**
 * A programmatic operation: n8n runs it instead of the routing (the node's `customOperations`,
 * dispatched by n8n-core's WorkflowExecute), once per node run with all input items; it returns
 * the node's outputs. `perItem` (itemExecution.ts) makes one from what an item does.
 */
export type Execute = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

export interface Operation {
	/**
	 * The option of the resource's Operation field: name, value, action, description and routing.
	 * An operation with `execute` keeps a `routing.request` that n8n never sends: it names the
	 * request its output is read from (the README's operations table, the path's labels).
	 */
	option: INodePropertyOptions & { value: string; routing: NonNullable<INodePropertyOptions['routing']> };
	/** Its fields, in the order shown. Shared definitions (shared/fields.ts) are listed as they are. */
	fields: INodeProperties[];
	facts: OperationFacts;
	/** Set for a programmatic operation (its requests go through apiRequest, transport.ts). */
	execute?: Execute;
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

export const keyOf = (resource: string, operation: string) => `${resource}.${operation}`;

/** The derived facts of one operation of a resource (throws on a fact that does not fit). */
export function derivedFacts(resource: Resource, operation: Operation): DerivedFacts {
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

/** The operation "resource.operation" of the table; an unknown one is an error, never a guess. */
function findOperation(resources: Resource[], key: string): { resource: Resource; operation: Operation } {
	for (const resource of resources) {
		for (const operation of resource.operations) {
			if (keyOf(resource.value, operation.option.value) === key) return { resource, operation };
		}
	}
	throw new Error(`Unknown operation "${key}"`);
}

/** The scope an operation needs, as its errors name it (for requests outside its own run: list search, trigger). */
export function scopeIn(resources: Resource[], key: string): ErrorScope {
	const { facts } = findOperation(resources, key).operation;
	return { scope: facts.scope, scopeListed: facts.scopeListed };
}

/** The node's `customOperations`: each programmatic operation's `execute`, by resource and operation. */
export function customOperationsOf(resources: Resource[]): Record<string, Record<string, Execute>> {
	const table: Record<string, Record<string, Execute>> = {};
	for (const resource of resources) {
		for (const { option, execute } of resource.operations) {
			if (execute) (table[resource.value] ??= {})[option.value] = execute;
		}
	}
	return table;
}

/** The parameters whose values an operation's error messages name: the ID in its path, then the other IDs it sends. */
export function errorParameters(facts: DerivedFacts): string[] {
	return [...(facts.subject ? [facts.subject[0]] : []), ...facts.ids.map(([parameter]) => parameter)];
}

/**
 * What an operation's error messages name: its scope, the ID in its path and the other IDs it
 * sends, given the item's values of `errorParameters(facts)` (blank or missing when unset).
 */
export function operationErrorContext(
	facts: DerivedFacts,
	values: Record<string, string>,
): Pick<ErrorContext, 'scope' | 'scopeListed' | 'subject' | 'ids' | 'sendsMessage'> {
	const subjectValue = facts.subject ? (values[facts.subject[0]] ?? '') : '';
	return {
		scope: facts.scope,
		scopeListed: facts.scopeListed,
		subject: facts.subject && subjectValue ? { noun: facts.subject[1], value: subjectValue } : undefined,
		ids: facts.ids.map(([parameter, noun]) => ({ noun, value: values[parameter] ?? '' })).filter((id) => id.value),
		sendsMessage: facts.sendsMessage,
	};
}
