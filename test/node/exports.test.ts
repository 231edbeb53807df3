/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the built package and its sources on disk. */
/**
 * The built package (`dist/`, from `./dev build`) exports nothing that exists only for tests:
 * every name a shipped module exports is imported by another shipped module, or is one of the
 * node and credential classes package.json's `n8n` section names, or a fact a test reads (listed
 * below). A clock, a reset or a counter exported for tests to reach into fails here; so does a
 * helper exported only so that a test can call it (test it through the engine instead).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SOURCES = ['nodes', 'credentials'];

/**
 * Exports that tests read besides the shipped code: facts and pure values a test compares with
 * (never state, a clock or a reset). Adding one is a choice made here, in review.
 */
const READ_BY_TESTS: Record<string, string[]> = {
	'credentials/constants': ['API_VERSION'],
	'nodes/ConversationsApi/shared/fields': ['CONVERSATION_URL_REGEX'],
	'nodes/HighLevelWebhookTrigger/replay': ['REPLAY_WINDOW_MS', 'FUTURE_SKEW_MS', 'MAX_REMEMBERED', 'MAX_PERSISTED', 'keyOf'],
};

function files(folder: string, extension: string): string[] {
	const found: string[] = [];
	const visit = (target: string) => {
		for (const entry of readdirSync(target)) {
			const full = path.join(target, entry);
			if (statSync(full).isDirectory()) visit(full);
			else if (entry.endsWith(extension) && !entry.endsWith('.d.ts')) found.push(full);
		}
	};
	visit(path.join(ROOT, folder));
	return found;
}

/** A module's path from the root, without extension: `nodes/ConversationsApi/shared/rateLimit`. */
const moduleOf = (file: string) =>
	path
		.relative(ROOT, file)
		.replace(/\.(ts|js)$/, '')
		.split(path.sep)
		.join('/');

/** The names each shipped module is imported by, per module: `{ module: Set(names) }` (`*` for a namespace import). */
function importedNames(): Map<string, Set<string>> {
	const imported = new Map<string, Set<string>>();
	for (const file of SOURCES.flatMap((folder) => files(folder, '.ts'))) {
		const text = readFileSync(file, 'utf8');
		for (const match of text.matchAll(/import\s+(?:type\s+)?([^;]*?)\s+from\s+'(\.[^']*)'/g)) {
			const resolved = path.resolve(path.dirname(file), match[2]);
			const target = moduleOf(existsSync(resolved) && statSync(resolved).isDirectory() ? path.join(resolved, 'index') : resolved);
			const names = imported.get(target) ?? new Set<string>();
			const clause = match[1];
			if (/^\*\s+as\s+\w+$/.test(clause.trim())) {
				const alias = clause.trim().split(/\s+/).pop() as string;
				for (const use of text.matchAll(new RegExp(`\\b${alias}\\.(\\w+)`, 'g'))) names.add(use[1]);
			}
			for (const name of (clause.match(/\{([\s\S]*)\}/)?.[1] ?? '').split(',')) {
				const bare = name
					.trim()
					.replace(/^type\s+/, '')
					.split(/\s+as\s+/)[0];
				if (bare) names.add(bare);
			}
			imported.set(target, names);
		}
	}
	return imported;
}

/** The exports of a built module (`require`d), without `__esModule`. */
function builtExports(file: string): string[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return Object.keys(require(file) as object).filter((name) => name !== '__esModule');
}

/** "module: name" for every name a built module exports that neither shipped code nor READ_BY_TESTS accounts for. */
function testOnlyExports(exportsOf: (file: string) => string[]): string[] {
	const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const entryPoints = new Set(
		[...packageJson.n8n.nodes, ...packageJson.n8n.credentials].map((file) => file.replace(/^dist\//, '').replace(/\.js$/, '')),
	);
	const imported = importedNames();
	const testOnly: string[] = [];
	for (const file of SOURCES.flatMap((folder) => files(path.join('dist', folder), '.js'))) {
		const module = moduleOf(file).replace(/^dist\//, '');
		for (const name of exportsOf(file)) {
			if (entryPoints.has(module)) continue;
			if (imported.get(module)?.has(name)) continue;
			if (READ_BY_TESTS[module]?.includes(name)) continue;
			testOnly.push(`${module}: ${name}`);
		}
	}
	return testOnly;
}

describe('the built package', () => {
	const dist = path.join(ROOT, 'dist');
	const built = existsSync(dist);

	(built ? it : it.skip)('exports no name that only tests use', () => {
		expect(testOnlyExports(builtExports)).toEqual([]);
	});

	(built ? it : it.skip)("the check finds one: the replay record's class, were replay.ts to export it again for a test", () => {
		const replay = path.join(ROOT, 'dist/nodes/HighLevelWebhookTrigger/replay.js');
		const withStore = (file: string) => [...builtExports(file), ...(file === replay ? ['ReplayStore'] : [])];
		expect(testOnlyExports(withStore)).toEqual(['nodes/HighLevelWebhookTrigger/replay: ReplayStore']);
	});

	it('has been built (./dev test builds it first)', () => {
		expect(built).toBe(true);
	});
});
