/**
 * Refuses a publish that skipped the release checks (package.json's `prepublishOnly`).
 *   node scripts/release-guard.js record   after the checks passed (`./dev release:checks`: the full
 *                                          test suite, then `./dev verify`), notes what was checked:
 *                                          the version, the commit and a hash of dist/;
 *   node scripts/release-guard.js check    before `npm publish`: passes only when that record matches
 *                                          the version, commit and dist/ about to be published, and
 *                                          the working tree has no uncommitted change.
 * Works in the current directory (npm runs lifecycle scripts in the package's folder).
 * The repository's .npmrc turns lifecycle scripts off, so the publish workflow runs
 * `npm publish --ignore-scripts=false`; publishConfig.provenance makes a publish from anywhere but
 * CI fail anyway (docs/releasing.md).
 */
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = process.cwd();
const recordFile = path.join(root, '.build', 'release-checks.json');

function git(...args) {
	return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

/** One hash over every file of dist/ (path and bytes), in a fixed order. */
function distHash() {
	const dist = path.join(root, 'dist');
	if (!fs.existsSync(dist)) return null;
	const files = fs
		.readdirSync(dist, { recursive: true })
		.filter((file) => fs.statSync(path.join(dist, file)).isFile())
		.sort();
	const hash = createHash('sha256');
	for (const file of files)
		hash
			.update(file)
			.update('\0')
			.update(fs.readFileSync(path.join(dist, file)))
			.update('\0');
	return hash.digest('hex');
}

function current() {
	const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	return { version, commit: git('rev-parse', 'HEAD'), dist: distHash() };
}

function refuse(reason) {
	console.error(
		`Publish refused: ${reason}.\nRun \`./dev release:checks\` on the commit to publish, then publish from the release workflow (docs/releasing.md).`,
	);
	process.exit(1);
}

const command = process.argv[2];
if (command === 'record') {
	const state = current();
	if (!state.dist) refuse('dist/ is missing: nothing was built');
	fs.mkdirSync(path.dirname(recordFile), { recursive: true });
	fs.writeFileSync(recordFile, `${JSON.stringify(state, null, '\t')}\n`);
	console.log(`release checks recorded: ${state.version} at ${state.commit.slice(0, 7)}`);
} else if (command === 'check') {
	if (!fs.existsSync(recordFile)) refuse('the release checks have not run here (no .build/release-checks.json)');
	const recorded = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
	const state = current();
	const changes = git('status', '--porcelain', '--untracked-files=no');
	if (changes) refuse(`the working tree has uncommitted changes:\n${changes}`);
	if (recorded.version !== state.version) refuse(`the checks ran on version ${recorded.version}, package.json says ${state.version}`);
	if (recorded.commit !== state.commit)
		refuse(`the checks ran on commit ${recorded.commit.slice(0, 7)}, HEAD is ${state.commit.slice(0, 7)}`);
	if (recorded.dist !== state.dist) refuse('dist/ changed since the checks ran');
	console.log(`release checks passed for ${state.version} at ${state.commit.slice(0, 7)}`);
} else {
	console.error('Usage: node scripts/release-guard.js record|check');
	process.exit(2);
}
