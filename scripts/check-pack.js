/**
 * Checks what `npm pack` would publish: every node and credential named in package.json's
 * `n8n` section is in the tarball, with the icons they point at, and there are no runtime
 * dependencies (n8n's verification allows none). Needs a build first.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const pkg = require('../package.json');

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const files = new Set(pack.files.map((file) => file.path));
const problems = [];

// The sandbox, demo, templates and tests are dev tools: none of them may ship.
for (const file of files) {
	if (/^(dist\/)?(sandbox|demo|templates|test|scripts)\//.test(file)) problems.push(`${file} is a dev tool but is in the tarball`);
}

const dependencies = Object.keys(pkg.dependencies ?? {});
if (dependencies.length) problems.push(`runtime dependencies: ${dependencies.join(', ')}`);

for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
	if (!files.has(entry)) {
		problems.push(`${entry} (named in package.json n8n) is not in the tarball`);
		continue;
	}
	// Icons are referenced as file:<path> relative to the compiled file.
	const source = require(path.join('..', entry));
	for (const exported of Object.values(source)) {
		if (typeof exported !== 'function') continue;
		const instance = new exported();
		const icon = instance.description?.icon ?? instance.icon;
		const icons = typeof icon === 'string' ? [icon] : Object.values(icon ?? {});
		if (!icons.length) problems.push(`${entry} has no icon`);
		for (const ref of icons) {
			const iconPath = path.posix.normalize(path.posix.join(path.posix.dirname(entry), ref.replace(/^file:/, '')));
			if (!files.has(iconPath)) problems.push(`${entry}: icon ${iconPath} is not in the tarball`);
		}
	}
	const codex = entry.replace(/\.js$/, '.json');
	if (entry.includes('/nodes/') && !files.has(codex)) problems.push(`${codex} (codex) is not in the tarball`);
}

console.log(`${pack.filename}: ${pack.entryCount} files, ${pack.size} bytes packed, ${pack.unpackedSize} unpacked`);
if (problems.length) {
	console.error(`npm pack check failed:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log(
	`npm pack check: ${pkg.n8n.nodes.length} node(s) and ${pkg.n8n.credentials.length} credential(s) present with their icons; no runtime dependencies; no dev tool (sandbox, demo, templates, tests) inside`,
);
