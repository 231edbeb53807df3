/**
 * The node's operations as data, read from its description (the routing of each operation):
 * the README's table and the catalog coverage test are both made from this, so neither can
 * drift from the code. Run `./dev readme` to rewrite the README's table after a change.
 */
const START = '<!-- operations:start -->';
const END = '<!-- operations:end -->';

function listOperations(description) {
	const resourceProperty = description.properties.find((property) => property.name === 'resource');
	const resourceNames = Object.fromEntries(resourceProperty.options.map((option) => [option.value, option.name]));
	const defaultVersion = description.requestDefaults?.headers?.Version;
	const operations = [];
	for (const property of description.properties) {
		if (property.name !== 'operation') continue;
		for (const resource of property.displayOptions?.show?.resource ?? []) {
			for (const option of property.options) {
				const request = option.routing?.request ?? {};
				operations.push({
					resource,
					resourceName: resourceNames[resource],
					operation: option.value,
					name: option.name,
					action: option.action,
					description: option.description,
					method: request.method,
					path: request.url,
					version: request.headers?.Version ?? defaultVersion,
				});
			}
		}
	}
	return operations;
}

function renderTable(description) {
	const rows = listOperations(description).map((op) => `| ${op.resourceName} | ${op.name} | \`${op.method} ${op.path}\` | ${op.version} |`);
	return [START, '| Resource | Operation | Method and path | API version |', '|---|---|---|---|', ...rows, END].join('\n');
}

function replaceTable(readme, table) {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start < 0 || end < 0) throw new Error(`README.md lacks the ${START} ... ${END} markers`);
	return readme.slice(0, start) + table + readme.slice(end + END.length);
}

module.exports = { listOperations, renderTable, replaceTable, START, END };

if (require.main === module) {
	const fs = require('node:fs');
	const path = require('node:path');
	const { ConversationsApi } = require('../dist/nodes/ConversationsApi/ConversationsApi.node.js');
	const readmePath = path.join(__dirname, '..', 'README.md');
	const readme = fs.readFileSync(readmePath, 'utf8');
	fs.writeFileSync(readmePath, replaceTable(readme, renderTable(new ConversationsApi().description)));
	console.log('README.md: operations table updated');
}
