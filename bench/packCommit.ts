/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a benchmark helper (dev tool, never shipped): it packs an earlier commit with git and npm */
/** The package of an earlier commit, for the real-n8n benchmarks' "before" (bench:real, bench:webhook-real). */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CACHE, packPackage, removeFolder, REPO } from '../scripts/e2e/install';
import { log, run, temporaryFolder } from '../scripts/e2e/proc';

/**
 * The package as it was at an earlier commit: `git archive` into a temporary folder (no worktree
 * is added to the repository), the dependencies linked, then the harness's own `npm run pack`. The
 * tarball is cached by commit next to the n8n installs.
 */
export function packCommit(commit: string): string {
	const hash = run('git', ['-C', REPO, 'rev-parse', '--verify', `${commit}^{commit}`]).trim();
	const cached = path.join(CACHE, 'bench-real', `n8n-nodes-conversations-api-${hash}.tgz`);
	if (existsSync(cached)) {
		log(`package at ${hash.slice(0, 7)}: reusing ${cached}`);
		return cached;
	}
	const folder = temporaryFolder(mkdtempSync(path.join(os.tmpdir(), `bench-real-${hash.slice(0, 7)}-`)));
	run('sh', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'sh', REPO, hash, folder]);
	symlinkSync(realpathSync(path.join(REPO, 'node_modules')), path.join(folder, 'node_modules'));
	const tarball = packPackage(folder);
	mkdirSync(path.dirname(cached), { recursive: true });
	copyFileSync(tarball, cached);
	removeFolder(folder);
	return cached;
}
