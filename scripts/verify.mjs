/**
 * n8n's verification scan, run locally: the two lint legs of n8n's scanner
 * (`@n8n/scan-community-package`) on this package, as n8n runs them on a published one.
 *   1. the source: package.json, nodes/ and credentials/ with the full rule set;
 *   2. the packed tarball: its compiled .js files and its package.json.
 * The scanner's third check, npm provenance, needs a published version: the publish workflow
 * (.github/workflows/publish.yml) provides it (docs/releasing.md).
 *
 * Usage: node scripts/verify.mjs [--source <dir>] [--packed <dir or .tgz>]
 * Without options it scans this repository and a tarball it packs from the current dist/ (build
 * first). Exit code 1 when a leg finds an error. `./dev verify` runs this, then `n8n-node lint`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

// The scanner's own file finder, to say how many files each leg linted (the same patterns and ignores).
const glob = createRequire(import.meta.resolve('@n8n/scan-community-package/scanner/scanner.mjs'))('fast-glob');

/** The tarball leg's patterns, as the scanner uses them for a downloaded package. */
const PACKED_FILE_PATTERNS = ['**/*.js', 'package.json'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function option(name) {
	const index = process.argv.indexOf(name);
	return index < 0 ? undefined : process.argv[index + 1];
}

/** A folder holding the package as npm would install it: an unpacked .tgz, or one packed from `root`. */
function packedFolder(given, scratch) {
	let tarball = given;
	if (!tarball) {
		const [pack] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }),
		);
		tarball = path.join(scratch, pack.filename);
	} else if (statSync(tarball).isDirectory()) {
		return tarball;
	}
	const folder = path.join(scratch, 'package');
	execFileSync('tar', ['-xzf', path.resolve(tarball), '-C', scratch]);
	return folder;
}

async function leg(label, dir, patterns) {
	const files = glob.sync(patterns, { cwd: dir, ignore: ['node_modules/**', '**/package-lock.json'] }).length;
	const started = Date.now();
	const result = await analyzePackage(dir, patterns);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.passed) {
		console.log(`scanner, ${label}: passed, ${files} files (${patterns.join(', ')}; ${seconds} s)`);
	} else {
		console.log(`scanner, ${label}: FAILED, ${files} files: ${result.message}`);
		if (result.details) console.log(result.details);
	}
	return result.passed;
}

// eslint-plugin-n8n-nodes-base treats every file as a node file when NODE_ENV is "test" (as under
// Jest); it reads the variable when the scanner loads it, below.
delete process.env.NODE_ENV;

const scratch = mkdtempSync(path.join(tmpdir(), 'verify-'));
try {
	const source = path.resolve(option('--source') ?? root);
	const packed = packedFolder(option('--packed'), scratch);
	const sourceOk = await leg(`source (${source})`, source, SOURCE_FILE_PATTERNS);
	const packedOk = await leg(`packed tarball (${option('--packed') ?? 'npm pack of dist/'})`, packed, PACKED_FILE_PATTERNS);
	console.log('scanner, provenance: not checkable before publishing; the publish workflow publishes with --provenance');
	process.exitCode = sourceOk && packedOk ? 0 : 1;
} finally {
	rmSync(scratch, { recursive: true, force: true });
}
