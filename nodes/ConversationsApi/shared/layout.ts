import { updateDisplayOptions, type INodeProperties, type INodeRequestSend } from 'n8n-workflow';
import { authenticationProperty, rateLimitAndRetriesField } from './descriptions';
import { locationIdField } from './fields';
import { derivedFacts, keyOf, type Resource } from './operation';
import { resolvePath } from './paths';
import { forOperation, routingRequest } from './transport';

/**
 * The node's properties, laid out from the table of operations (operations.ts): the Resource and
 * Operation fields, each shared field shown for exactly the operations that list it, the notices
 * and the pacing options. Each declarative operation's routing is completed here: its path filled
 * first, and its requests sent through routingRequest with its facts (what its errors name).
 */

type Show = Record<string, Array<string | number | boolean>>;

/** On the copy hiddenWhen makes: the shared field it stands for and the rule (never shipped: the layout lists the field). */
const HIDDEN = Symbol('hiddenWhen');

type Listed = INodeProperties & { [HIDDEN]?: { field: INodeProperties; hide: Show } };

const hiddenOf = (listed: INodeProperties) => (listed as Listed)[HIDDEN];

/**
 * A shared field that an operation hides by the value of one of its own fields (Conversation →
 * Assign hides Conversation when "Assign By" is Contact). It stays the one property of the field:
 * a hide rule on a field that only that operation has changes nothing elsewhere, as long as the
 * hidden values are not that field's default (n8n reads an absent field as its default when it
 * works out what a saved node shows). resourceProperties checks both.
 */
export function hiddenWhen(field: INodeProperties, hide: Show): INodeProperties {
	const listed: Listed = { ...field, [HIDDEN]: { field, hide } };
	return listed;
}

/**
 * The resource's Operation field, each declarative option's routing completed: the path filled
 * first, every request (every page) through routingRequest, which names the operation's facts in
 * its errors. A programmatic option (`execute`) is offered as it is: n8n runs its `execute`.
 */
function operationProperty(resource: Resource): INodeProperties {
	const { defaultOperation } = resource;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: `${defaultOperation}`,
		displayOptions: { show: { resource: [resource.value] } },
		options: resource.operations.map((operation) => {
			const { option } = operation;
			// Derived for every operation, so that a fact that does not fit its fields fails here.
			const facts = derivedFacts(resource, operation);
			if (operation.execute) return option;
			const send: INodeRequestSend = option.routing.send ?? {};
			const preSend = [resolvePath(facts.pathLabels), ...(send.preSend ?? [])];
			const own = option.routing.operations?.pagination;
			if (own !== undefined && typeof own !== 'function') {
				throw new Error(`${keyOf(resource.value, option.value)}: its pagination must be a function that sends through routingRequest`);
			}
			const operations = { ...option.routing.operations, pagination: forOperation(facts, own ?? routingRequest) };
			return { ...option, routing: { ...option.routing, send: { ...send, preSend }, operations } };
		}),
	};
}

/**
 * Groups the operations that use one shared field into as few properties as n8n's display rules
 * can show it with: a property shows for its resources × operations, so two groups are one only
 * when that product adds no operation that does not use the field.
 */
function displayGroups(uses: Array<[resource: string, operation: string]>, all: Array<[string, string]>): Show[] {
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
			(byFirstUse.find((field) => !placed.has(field)) as INodeProperties);
		placed.add(ready);
		order.push(ready);
	}
	return order;
}

/**
 * The node's properties for its resources, after the Resource field: each resource's Operation
 * field, then the fields, each shown for exactly the operations that list it.
 */
function resourceProperties(resources: Resource[]): INodeProperties[] {
	const all: Array<[string, string]> = [];
	const uses = new Map<INodeProperties, Array<[string, string]>>();
	const hides = new Map<INodeProperties, { hide: Show; by: Array<[string, string]> }>();
	const chains: INodeProperties[][] = [];
	for (const resource of resources) {
		for (const operation of resource.operations) {
			const where: [string, string] = [resource.value, operation.option.value];
			all.push(where);
			const chain = operation.fields.map((listed) => {
				const hidden = hiddenOf(listed);
				if (!hidden) return listed;
				const entry = hides.get(hidden.field) ?? { hide: {}, by: [] };
				for (const [name, values] of Object.entries(hidden.hide)) {
					const field = operation.fields.find((candidate) => candidate.name === name && !hiddenOf(candidate));
					if (!field) throw new Error(`${keyOf(...where)}: hides "${listed.name}" by "${name}", which is not one of its fields`);
					if (values.includes(field.default as string)) {
						throw new Error(`${keyOf(...where)}: hides "${listed.name}" when "${name}" is its default: make that a property of its own`);
					}
					entry.hide[name] = [...(entry.hide[name] ?? []), ...values];
				}
				entry.by.push(where);
				hides.set(hidden.field, entry);
				return hidden.field;
			});
			chains.push(chain);
			for (const field of chain) {
				if (!uses.has(field)) uses.set(field, []);
				uses.get(field)?.push(where);
			}
		}
	}
	for (const [field, { hide, by }] of hides) {
		const hiders = new Set(by.map((where) => keyOf(...where)));
		for (const name of Object.keys(hide)) {
			const elsewhere = [...uses].find(([other, at]) => other.name === name && at.some((where) => !hiders.has(keyOf(...where))));
			if (elsewhere) throw new Error(`"${field.name}" is hidden by "${name}", which other operations have too`);
		}
	}
	const fields = fieldOrder(chains).flatMap((field) => {
		// A shared field's routing (if any) is the same for all its operations: it is one object.
		const hidden = hides.get(field);
		return displayGroups(uses.get(field) ?? [], all).flatMap((show) => {
			const hiders = hidden?.by.some(([resource, operation]) => show.resource.includes(resource) && show.operation.includes(operation));
			return updateDisplayOptions(hidden && hiders ? { show, hide: hidden.hide } : { show }, [field]);
		});
	});
	return [...resources.map(operationProperty), ...fields, ...agencyLocationFields(uses.get(locationIdField) ?? [], all)];
}

/**
 * An agency connection acts on a sub-account named per item, so the operations whose request
 * names no location also get the Location ID field, shown with OAuth2 (one definition,
 * shared/fields.ts; the sub-account token's location is used when it is empty).
 */
function agencyLocationFields(uses: Array<[string, string]>, all: Array<[string, string]>): INodeProperties[] {
	const has = new Set(uses.map(([resource, operation]) => keyOf(resource, operation)));
	const lacking = all.filter(([resource, operation]) => !has.has(keyOf(resource, operation)));
	return displayGroups(lacking, all).flatMap((show) =>
		updateDisplayOptions({ show: { ...show, authentication: ['oAuth2'] } }, [locationIdField]),
	);
}

/** The Resource field. */
function resourceProperty(resources: Resource[], defaultResource: string): INodeProperties {
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

/**
 * The node's subtitle on the canvas: the action of the chosen operation ("Send a message"), the
 * same words as the nodes panel lists it under, instead of raw values ("send: message").
 */
export function subtitleExpression(resources: Resource[]): string {
	const actions = Object.fromEntries(
		resources.flatMap((resource) =>
			resource.operations.map(({ option }) => [keyOf(resource.value, option.value), option.action ?? option.name]),
		),
	);
	return `={{ ${JSON.stringify(actions)}[$parameter["resource"] + "." + $parameter["operation"]] }}`;
}

/**
 * n8n's Retry On Fail (node Settings) runs the whole node again, so a message that did go out is
 * sent again; the node's own retries never repeat a send that may have reached the API. Shown on
 * every operation whose facts say it sends a message.
 */
function retryOnFailNotices(resources: Resource[]): INodeProperties[] {
	const all: Array<[string, string]> = [];
	const sending: Array<[string, string]> = [];
	for (const resource of resources) {
		for (const operation of resource.operations) {
			all.push([resource.value, operation.option.value]);
			if (operation.facts.sendsMessage) sending.push([resource.value, operation.option.value]);
		}
	}
	if (!sending.length) return [];
	return displayGroups(sending, all).map((show) => ({
		displayName:
			"Leave Retry On Fail (in this node's Settings) off: it runs the node again and would send the message twice. The node's own retries (Rate Limit and Retries) never resend a message that may have gone out.",
		name: 'retryOnFailNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	}));
}

/** All properties of the action node for these resources, in n8n's order. */
export function nodeProperties(resources: Resource[], defaultResource: string): INodeProperties[] {
	return [
		authenticationProperty,
		resourceProperty(resources, defaultResource),
		...resourceProperties(resources),
		...retryOnFailNotices(resources),
		rateLimitAndRetriesField,
	];
}
