/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the repository's workflow files. */
/**
 * What n8n requires of the release workflow (docs/releasing.md), checked on the files themselves
 * since GitHub Actions does not run here (`./dev check:workflows` validates them against GitHub's
 * schema): publish on a version tag only, `id-token: write`, `npm publish` with provenance, the full
 * tests and n8n's verification checks before the publish step in the same job, and the
 * prepublishOnly guard not skipped. Each rule is also shown to catch a broken copy.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const packageJson = JSON.parse(read('package.json')) as {
	version: string;
	scripts: Record<string, string>;
	publishConfig?: Record<string, unknown>;
};

type Step = { name?: string; run?: string; uses?: string; if?: string; env?: Record<string, string>; 'continue-on-error'?: unknown };
type Job = { permissions?: Record<string, string> | string; steps?: Step[]; 'continue-on-error'?: unknown };
type Workflow = { on?: Record<string, unknown>; permissions?: Record<string, string> | string; jobs?: Record<string, Job> };

/** GitHub's filter pattern (`*` is any run of characters but `/`) as a regular expression. */
function filterPattern(pattern: string): RegExp {
	const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
	const escaped = pattern
		.split('**')
		.map((part) => part.split('*').map(escape).join('[^/]*'))
		.join('.*');
	return new RegExp(`^${escaped}$`);
}

/** The problems of a publish workflow; none for one that meets n8n's requirements. */
function publishProblems(workflow: Workflow, version: string): string[] {
	const problems: string[] = [];
	const triggers = Object.keys(workflow.on ?? {});
	if (triggers.join() !== 'push') problems.push(`triggers ${triggers.join(', ') || 'none'}: only a push of a version tag may publish`);
	const push = (workflow.on?.push ?? {}) as { tags?: string[]; branches?: string[] };
	if (push.branches) problems.push('a branch push would publish');
	const tags = push.tags ?? [];
	if (!tags.length) problems.push('no tag filter');
	if (!tags.some((tag) => filterPattern(tag).test(version))) problems.push(`no tag filter matches the version ${version}`);
	if (tags.some((tag) => filterPattern(tag).test('main'))) problems.push('a tag filter matches any tag name');

	const jobs = Object.entries(workflow.jobs ?? {});
	const publishing = jobs.filter(([, job]) => (job.steps ?? []).some((step) => /\bnpm publish\b/.test(step.run ?? '')));
	if (publishing.length !== 1) return [...problems, `${publishing.length} jobs run npm publish, expected 1`];
	const [, job] = publishing[0];
	const permissions = job.permissions ?? workflow.permissions;
	if (typeof permissions !== 'object' || permissions['id-token'] !== 'write') problems.push('no id-token: write for the publishing job');
	if (job['continue-on-error']) problems.push('the publishing job continues on error');

	const steps = job.steps ?? [];
	const publishAt = steps.findIndex((step) => /\bnpm publish\b/.test(step.run ?? ''));
	const publish = steps[publishAt];
	const provenance = /--provenance\b/.test(publish.run ?? '') || publish.env?.NPM_CONFIG_PROVENANCE === 'true';
	if (!provenance) problems.push('npm publish without --provenance');
	if (!/--ignore-scripts=false\b/.test(publish.run ?? ''))
		problems.push('npm publish would skip prepublishOnly (.npmrc turns scripts off)');
	if (publish.if) problems.push(`the publish step has a condition (${publish.if})`);

	const checksAt = steps.findIndex((step) => /^\.\/dev release:checks$/m.test(step.run ?? ''));
	if (checksAt < 0) problems.push('no ./dev release:checks step');
	else if (checksAt > publishAt) problems.push('the checks run after npm publish');
	else {
		for (const step of steps.slice(checksAt, publishAt)) {
			if (step['continue-on-error']) problems.push(`"${step.name ?? step.run}" continues on error`);
			if (step.if) problems.push(`"${step.name ?? step.run}" has a condition (${step.if})`);
		}
		if (!steps.slice(0, checksAt).some((step) => /^npm ci\b/m.test(step.run ?? ''))) problems.push('no npm ci before the checks');
	}
	return problems;
}

const publishYaml = read('.github/workflows/publish.yml');
const publishWorkflow = parse(publishYaml) as Workflow;
const copy = (): Workflow => parse(stringify(publishWorkflow)) as Workflow;
const publishJob = (workflow: Workflow) => Object.values(workflow.jobs ?? {})[0];

describe('.github/workflows/publish.yml: what n8n requires', () => {
	it('meets every requirement', () => {
		expect(publishProblems(publishWorkflow, packageJson.version)).toEqual([]);
	});

	it("the checks it runs are the full test suite and n8n's verification, and the guard needs them", () => {
		// ./dev release:checks = the whole Jest suite (no path), then ./dev verify, then the record.
		expect(packageJson.scripts['release:checks']).toBe(
			'npm run --silent test && npm run --silent verify && node scripts/release-guard.js record',
		);
		expect(packageJson.scripts.test).toBe('npm run --silent build && tsc -p tsconfig.test.json && jest');
		expect(packageJson.scripts.verify).toBe('npm run --silent build && node scripts/verify.mjs && n8n-node lint');
		expect(packageJson.scripts.prepublishOnly).toBe('node scripts/release-guard.js check');
		expect(packageJson.publishConfig).toEqual({ access: 'public', provenance: true });
		// The tag must be the version being published.
		expect(publishYaml).toContain('if [ "$GITHUB_REF_NAME" != "$version" ]; then');
	});

	it('catches a broken copy, rule by rule', () => {
		const noIdToken = copy();
		delete (publishJob(noIdToken).permissions as Record<string, string>)['id-token'];
		expect(publishProblems(noIdToken, '1.0.0')).toEqual(['no id-token: write for the publishing job']);

		const onBranches = copy();
		onBranches.on = { push: { branches: ['main'] }, pull_request: {} };
		expect(publishProblems(onBranches, '1.0.0')).toEqual([
			'triggers push, pull_request: only a push of a version tag may publish',
			'a branch push would publish',
			'no tag filter',
			'no tag filter matches the version 1.0.0',
		]);

		const anyTag = copy();
		anyTag.on = { push: { tags: ['*'] } };
		expect(publishProblems(anyTag, '1.0.0')).toEqual(['a tag filter matches any tag name']);

		const noProvenance = copy();
		const publishStep = publishJob(noProvenance).steps!.find((step) => step.run?.includes('npm publish'))!;
		publishStep.run = 'npm publish --access public';
		expect(publishProblems(noProvenance, '1.0.0')).toEqual([
			'npm publish without --provenance',
			'npm publish would skip prepublishOnly (.npmrc turns scripts off)',
		]);

		const publishFirst = copy();
		const steps = publishJob(publishFirst).steps!;
		const checks = steps.findIndex((step) => step.run === './dev release:checks');
		steps.push(...steps.splice(checks, 1));
		expect(publishProblems(publishFirst, '1.0.0')).toEqual(['the checks run after npm publish']);

		const lenient = copy();
		publishJob(lenient).steps!.find((step) => step.run === './dev release:checks')!['continue-on-error'] = true;
		expect(publishProblems(lenient, '1.0.0')).toEqual(['"Full tests, then n8n\'s verification checks" continues on error']);

		const noChecks = copy();
		publishJob(noChecks).steps = publishJob(noChecks).steps!.filter((step) => step.run !== './dev release:checks');
		expect(publishProblems(noChecks, '1.0.0')).toEqual(['no ./dev release:checks step']);

		const noInstall = copy();
		publishJob(noInstall).steps = publishJob(noInstall).steps!.filter((step) => !step.run?.startsWith('npm ci'));
		expect(publishProblems(noInstall, '1.0.0')).toEqual(['no npm ci before the checks']);
	});
});

describe('.github/workflows/ci.yml: what .ci/run checks, on push and pull request', () => {
	const ci = parse(read('.github/workflows/ci.yml')) as Workflow;

	it('runs .ci/run on every push to a branch and every pull request', () => {
		expect(Object.keys(ci.on ?? {}).sort()).toEqual(['pull_request', 'push']);
		expect(ci.on?.push).toEqual({ branches: ['**'] });
		const steps = Object.values(ci.jobs ?? {}).flatMap((job) => job.steps ?? []);
		expect(steps.filter((step) => step.run === '.ci/run')).toHaveLength(1);
	});

	it('.ci/run runs lint, build, the pack check, ./dev verify, the workflow schema check, ./dev test and ./dev e2e', () => {
		const parts = [...read('.ci/run').matchAll(/^\s*part (\w+) (\.\/dev [\w:]+)/gm)].map((match) => `${match[1]}: ${match[2]}`);
		expect(parts).toEqual([
			'lint: ./dev lint',
			'build: ./dev build',
			'pack: ./dev check:pack',
			'verify: ./dev verify',
			'workflows: ./dev check:workflows',
			'test: ./dev test',
			'e2e: ./dev e2e',
		]);
	});
});
