/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads its fixture file. */
/**
 * The editor shows the same fields as before the layout change: for every operation (and two sets
 * of values of the fields others depend on), the properties n8n displays, in order, with their
 * names, labels, types, required flags and defaults, as recorded from the node of `main` in
 * `test/fixtures/editor-fields.json`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NodeHelpers, type INodeParameters } from 'n8n-workflow';
import { ConversationsApi } from '../../nodes/ConversationsApi/ConversationsApi.node';

interface Recorded {
	variants: INodeParameters[];
	fields: Record<string, Array<{ name: string; displayName: string; type: string; required: boolean; default: unknown }>>;
}

const recorded = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/editor-fields.json'), 'utf8')) as Recorded;
const description = new ConversationsApi().description;

describe('The fields the editor shows for each operation', () => {
	it.each(Object.keys(recorded.fields))('%s: the same as before', (key) => {
		const [operationKey, variant] = key.split('#');
		const [resource, operation] = operationKey.split('.');
		const values: INodeParameters = { resource, operation, ...recorded.variants[Number(variant)] };
		const shown = description.properties
			.filter((property) => !['resource', 'operation', 'authentication'].includes(property.name))
			.filter((property) => NodeHelpers.displayParameter(values, property, null, description))
			.map((property) => ({
				name: property.name,
				displayName: property.displayName,
				type: property.type,
				required: !!property.required,
				default: property.default,
			}));
		expect(shown).toEqual(recorded.fields[key]);
	});
});
