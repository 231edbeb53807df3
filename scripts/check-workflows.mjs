/**
 * Validates every GitHub Actions workflow of .github/workflows against GitHub's workflow schema
 * (SchemaStore's, built into action-validator, `@action-validator/core`), since GitHub Actions does
 * not run where .ci/run does. Usage: node scripts/check-workflows.mjs [file.yml ...]
 * Exit code 1 when a file is not a valid workflow.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateWorkflow } from '@action-validator/core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = path.join(root, '.github', 'workflows');
const files =
	process.argv.length > 2
		? process.argv.slice(2)
		: readdirSync(folder)
				.filter((name) => /\.ya?ml$/.test(name))
				.sort()
				.map((name) => path.join(folder, name));

/** The innermost reasons of a schema error (a oneOf lists, per alternative, why it did not match). */
function reasons(errors) {
	return errors.flatMap((error) => {
		const inner = (error.states ?? []).flatMap((state) => reasons(state.errors ?? []));
		return inner.length ? inner : [`${error.path}: ${error.title}${error.detail ? ` (${error.detail})` : ''}`];
	});
}

let invalid = 0;
for (const file of files) {
	const { errors } = validateWorkflow(readFileSync(file, 'utf8'));
	const name = path.relative(root, path.resolve(file));
	if (errors.length === 0) {
		console.log(`${name}: valid workflow`);
		continue;
	}
	invalid += 1;
	console.log(`${name}: INVALID`);
	for (const reason of new Set(reasons(errors))) console.log(`  ${reason}`);
}
if (files.length === 0) {
	console.log('no workflow files found');
	invalid = 1;
}
process.exitCode = invalid ? 1 : 0;
