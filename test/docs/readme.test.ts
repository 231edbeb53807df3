/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that reads the README, docs/ and CHANGELOG.md. */
/**
 * The README is the front door (at most 250 lines, in the order of n8n's community-node READMEs),
 * depth lives in docs/, one file per topic, each linked from the README; every relative link and
 * anchor resolves; no heading or paragraph is said twice; the CHANGELOG names this version.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const readme = read('README.md');
const docs = readdirSync(path.join(root, 'docs'))
	.filter((file) => file.endsWith('.md'))
	.map((file) => `docs/${file}`);
const documents = ['README.md', 'CHANGELOG.md', ...docs];

/** Markdown without its fenced code blocks (a `#` line in a block is not a heading). */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');
const headings = (text: string) =>
	[...prose(text).matchAll(/^(#{1,6}) (.+)$/gm)].map((match) => ({ level: match[1].length, text: match[2].trim() }));
/** GitHub's (and npm's) anchor for a heading. */
const slug = (heading: string) =>
	heading
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
const paragraphs = (text: string) =>
	prose(text)
		.split(/\n\s*\n/)
		.map((paragraph) => paragraph.trim())
		.filter((paragraph) => paragraph.length > 40 && !paragraph.startsWith('|') && !paragraph.startsWith('#'));

describe('README: the front door', () => {
	it('is at most 250 lines', () => {
		expect(readme.split('\n').length).toBeLessThanOrEqual(250);
	});

	it("has n8n's community-node sections, in their order, with the development commands above them", () => {
		expect(
			headings(readme)
				.filter((heading) => heading.level === 2)
				.map((heading) => heading.text),
		).toEqual([
			'Installation',
			'Credentials',
			'Operations',
			'Triggers',
			'Templates',
			'Compatibility',
			'Usage',
			'Resources',
			'Version history',
			'License',
		]);
		const top = readme.slice(0, readme.indexOf('## Installation'));
		expect(top).toContain('![');
		expect(top).toMatch(/\*\*Development\*\*: `\.\/dev demo`[^\n]*\n?[^\n]*`\.\/dev test`/);
		expect(readme.slice(readme.indexOf('## Version history'))).toContain('[CHANGELOG.md](CHANGELOG.md)');
	});

	it('links every file of docs/', () => {
		const linked = new Set([...readme.matchAll(/\]\((docs\/[^)#]+\.md)(?:#[^)]*)?\)/g)].map((match) => match[1]));
		expect(docs.filter((file) => !linked.has(file))).toEqual([]);
	});

	it('every relative link of the README, the CHANGELOG and docs/ leads to a file, and its anchor to a heading', () => {
		const broken: string[] = [];
		for (const document of documents) {
			for (const [, target] of prose(read(document)).matchAll(/\]\(([^)\s]+)\)/g)) {
				if (/^[a-z]+:/.test(target)) continue;
				const [file, anchor] = target.split('#');
				const resolved = file ? path.normalize(path.join(path.dirname(document), file)) : document;
				if (!existsSync(path.join(root, resolved))) {
					broken.push(`${document}: ${target} (no file)`);
					continue;
				}
				if (anchor && resolved.endsWith('.md') && !headings(read(resolved)).some((heading) => slug(heading.text) === anchor)) {
					broken.push(`${document}: ${target} (no heading)`);
				}
			}
		}
		expect(broken).toEqual([]);
	});

	it('says nothing twice: no heading or paragraph of the README is repeated in docs/, none in two docs/ files', () => {
		const seenHeadings = new Map<string, string>();
		const seenParagraphs = new Map<string, string>();
		const twice: string[] = [];
		for (const document of ['README.md', ...docs]) {
			for (const { text } of headings(read(document))) {
				const key = text.toLowerCase();
				if (seenHeadings.has(key) && seenHeadings.get(key) !== document)
					twice.push(`heading "${text}": ${seenHeadings.get(key)} and ${document}`);
				seenHeadings.set(key, document);
			}
			for (const paragraph of paragraphs(read(document))) {
				if (seenParagraphs.has(paragraph) && seenParagraphs.get(paragraph) !== document)
					twice.push(`paragraph "${paragraph.slice(0, 60)}...": ${seenParagraphs.get(paragraph)} and ${document}`);
				seenParagraphs.set(paragraph, document);
			}
		}
		expect(twice).toEqual([]);
	});
});

describe('CHANGELOG.md', () => {
	const changelog = read('CHANGELOG.md');
	const { version } = JSON.parse(read('package.json')) as { version: string };

	it('follows Keep a Changelog and has this version with its date, under Unreleased', () => {
		expect(changelog).toContain('[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)');
		const releases = [...changelog.matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)].map((match) => match[1]);
		expect(releases[0]).toBe('Unreleased');
		expect(releases[1]).toBe(version);
		expect(changelog).toMatch(new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
		expect(changelog).toMatch(new RegExp(`^\\[${version.replace(/\./g, '\\.')}\\]: https://`, 'm'));
	});

	it('states the compatibility policy: a change that breaks saved workflows only with a new node version', () => {
		const policy = changelog.slice(changelog.indexOf('## Compatibility policy'), changelog.indexOf('## [Unreleased]'));
		expect(policy).toContain('comes only with a **new node version**');
		expect(policy).toContain('version 1.1');
	});
});
