/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
   a test that copies the package and runs n8n's scanner on the copy in a child process. */
/**
 * `./dev verify` must fail when the package breaks n8n's verification rules. A copy of the package
 * (its source, and what `npm pack` ships: dist/ and package.json) gets one violation per leg, and
 * scripts/verify.mjs, which runs both lint legs of n8n's scanner, must fail naming exactly those.
 * (`./dev verify` itself, in .ci/run, shows the unbroken package passing.)
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('./dev verify on a deliberately broken copy (n8n scanner, both legs)', () => {
	let scratch: string;

	beforeAll(() => {
		expect(existsSync(path.join(root, 'dist/package.json'))).toBe(true); // ./dev test builds first
		scratch = mkdtempSync(path.join(tmpdir(), 'verify-broken-'));
	});

	afterAll(() => rmSync(scratch, { recursive: true, force: true }));

	it('fails: a node reading process.env in the source, and in the tarball the same plus a runtime dependency', () => {
		const source = path.join(scratch, 'source');
		for (const entry of ['package.json', 'nodes', 'credentials', 'icons'])
			cpSync(path.join(root, entry), path.join(source, entry), { recursive: true });
		appendFileSync(path.join(source, 'nodes/ConversationsApi/shared/constants.ts'), '\nexport const leak = process.env.HIGHLEVEL_TOKEN;\n');

		const packed = path.join(scratch, 'packed');
		cpSync(path.join(root, 'dist'), path.join(packed, 'dist'), { recursive: true });
		const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
		writeFileSync(path.join(packed, 'package.json'), JSON.stringify({ ...manifest, dependencies: { axios: '^1.0.0' } }, null, '\t'));
		appendFileSync(path.join(packed, 'dist/nodes/ConversationsApi/shared/constants.js'), '\nexports.leak = process.env.HIGHLEVEL_TOKEN;\n');

		// Without Jest's NODE_ENV=test, which makes n8n's lint plugin treat every file as a node file.
		const env = { ...process.env };
		delete env.NODE_ENV;
		const run = spawnSync(process.execPath, [path.join(root, 'scripts/verify.mjs'), '--source', source, '--packed', packed], {
			cwd: root,
			env,
			encoding: 'utf8',
		});
		const output = run.stdout + run.stderr;

		expect(run.status).toBe(1);
		const [sourceLeg, packedLeg] = output.split('scanner, packed tarball');
		expect(sourceLeg).toContain('scanner, source');
		expect(sourceLeg).toContain('FAILED');
		// Only the injected violation: the unbroken rest of the copy passes.
		expect(sourceLeg).toMatch(
			/shared\/constants\.ts\n\s+\d+:\d+\s+error\s+Use of restricted global 'process' is not allowed\s+@n8n\/community-nodes\/no-restricted-globals/,
		);
		expect(sourceLeg).toContain('1 problem (1 error, 0 warnings)');
		expect(packedLeg).toContain('FAILED');
		expect(packedLeg).toMatch(/shared\/constants\.js\n\s+\d+:\d+\s+error\s+Use of restricted global 'process'/);
		expect(packedLeg).toContain('@n8n/community-nodes/no-runtime-dependencies');
		expect(packedLeg).toContain('2 problems (2 errors, 0 warnings)');
	}, 180_000);
});
