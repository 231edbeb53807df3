/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
   a test of the repository's own command script. */
/** `./dev help` lists every command: each script of package.json, once. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** npm runs these itself around its own commands (e.g. `npm publish`); they are not commands of ./dev. */
const NPM_LIFECYCLE = ['prepublishOnly', 'prepack', 'postpack', 'prepare', 'preinstall', 'install', 'postinstall'];

it('./dev help lists every script of package.json', () => {
	const help = execFileSync('bash', [path.join(ROOT, 'dev'), 'help'], { encoding: 'utf8' });
	const listed = [...help.matchAll(/^ {2}(\S+)/gm)].map((match) => match[1].split(' ')[0]);
	const scripts = Object.keys(
		(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
	).filter((script) => !NPM_LIFECYCLE.includes(script));
	expect(scripts.filter((script) => !listed.includes(script))).toEqual([]);
	expect(listed.filter((command) => command !== 'help' && !scripts.includes(command))).toEqual([]);
});
