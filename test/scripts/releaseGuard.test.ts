/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
   a test that runs the prepublishOnly guard in a throwaway git repository. */
/**
 * package.json's `prepublishOnly` (scripts/release-guard.js check) refuses a publish unless
 * `./dev release:checks` recorded this very version, commit and dist/, on a clean working tree.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const guard = path.resolve(__dirname, '../../scripts/release-guard.js');

describe('prepublishOnly: scripts/release-guard.js', () => {
	let repo: string;

	const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
	const run = (command: 'record' | 'check') => {
		const result = spawnSync(process.execPath, [guard, command], { cwd: repo, encoding: 'utf8' });
		return { status: result.status, output: result.stdout + result.stderr };
	};
	const writePackage = (version: string) => writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'guarded', version }));
	const commitAll = (message: string) => {
		git('add', '-A');
		git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-qm', message);
	};

	beforeEach(() => {
		repo = mkdtempSync(path.join(tmpdir(), 'release-guard-'));
		git('init', '-q');
		writeFileSync(path.join(repo, '.gitignore'), 'dist\n.build\n');
		writePackage('1.0.0');
		mkdirSync(path.join(repo, 'dist/nodes'), { recursive: true });
		writeFileSync(path.join(repo, 'dist/nodes/a.js'), 'exports.a = 1;\n');
		commitAll('first');
	});

	afterEach(() => rmSync(repo, { recursive: true, force: true }));

	it('refuses when the release checks never ran', () => {
		const checked = run('check');
		expect(checked.status).toBe(1);
		expect(checked.output).toContain('Publish refused: the release checks have not run here');
		expect(checked.output).toContain('./dev release:checks');
	});

	it('allows the version, commit and dist/ the checks recorded', () => {
		expect(run('record').status).toBe(0);
		const checked = run('check');
		expect(checked.output).toContain('release checks passed for 1.0.0');
		expect(checked.status).toBe(0);
	});

	it('refuses a dist/ changed after the checks', () => {
		run('record');
		writeFileSync(path.join(repo, 'dist/nodes/a.js'), 'exports.a = 2;\n');
		expect(run('check')).toEqual({ status: 1, output: expect.stringContaining('dist/ changed since the checks ran') });
	});

	it('refuses another commit', () => {
		run('record');
		writeFileSync(path.join(repo, 'README.md'), 'changed\n');
		commitAll('second');
		expect(run('check')).toEqual({ status: 1, output: expect.stringMatching(/the checks ran on commit [0-9a-f]{7}, HEAD is [0-9a-f]{7}/) });
	});

	it('refuses another version', () => {
		run('record');
		writePackage('1.0.1');
		commitAll('bump');
		expect(run('check')).toEqual({
			status: 1,
			output: expect.stringContaining('the checks ran on version 1.0.0, package.json says 1.0.1'),
		});
	});

	it('refuses uncommitted changes', () => {
		run('record');
		writePackage('1.0.0 ');
		expect(run('check')).toEqual({ status: 1, output: expect.stringContaining('uncommitted changes') });
	});
});
