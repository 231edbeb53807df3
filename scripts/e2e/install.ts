/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- e2e harness (dev tool, never shipped): installs n8n, packs the package, runs Postgres and Redis */
/**
 * What the harness installs: real n8n releases in a cache folder outside this package's
 * dependencies (reused when present), this package's tarball in a fresh n8n user folder as the
 * README tells users, and Postgres + Redis from Debian's packages for queue mode.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log, Managed, removeTemporary, run, temporaryFolder, waitFor } from './proc';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CACHE = process.env.E2E_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'n8n-nodes-conversations-api');

export interface N8nInstall {
	version: string;
	dir: string;
	/** n8n's bin script (run with the current Node, 22+). */
	bin: string;
	/** true when this run installed it, false when the cache had it. */
	installed: boolean;
	seconds: number;
}

/**
 * `npm install n8n@<version>` into <cache>/n8n-<version> with install scripts off, then sqlite3
 * rebuilt against the Node headers (npm_config_nodedir, set by ./dev). n8n 1.x pins `xlsx` to a URL
 * outside the npm registry: the registry's xlsx replaces it (an `overrides` entry).
 */
export function ensureN8n(version: string): N8nInstall {
	const dir = path.join(CACHE, `n8n-${version}`);
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const marker = path.join(dir, '.installed');
	const started = Date.now();
	if (existsSync(marker) && existsSync(bin)) return { version, dir, bin, installed: false, seconds: 0 };

	const partial = `${dir}.partial`;
	log(`installing n8n ${version} into ${dir} (once; later runs reuse it)`);
	rmSync(partial, { recursive: true, force: true });
	mkdirSync(partial, { recursive: true });
	const manifest: Record<string, unknown> = { name: `n8n-runtime-${version}`, private: true, dependencies: { n8n: version } };
	if (version.startsWith('1.')) manifest.overrides = { xlsx: '0.18.5' };
	writeFileSync(path.join(partial, 'package.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
	run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: partial });
	log(`n8n ${version}: rebuilding sqlite3 against Node ${process.version}'s headers`);
	run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--loglevel=error'], { cwd: partial });
	run(process.execPath, ['-e', `require(${JSON.stringify(path.join(partial, 'node_modules', 'sqlite3'))})`]);
	rmSync(dir, { recursive: true, force: true });
	renameSync(partial, dir);
	writeFileSync(marker, `${new Date().toISOString()}\n`);
	return { version, dir, bin, installed: true, seconds: (Date.now() - started) / 1000 };
}

/**
 * `npm run pack` (build + npm pack + the pack check) in this repository, or in a copy of another
 * commit of it (bench:real's "before"); returns the tarball's path.
 */
export function packPackage(folder = REPO): string {
	log(`packing the package (npm run pack)${folder === REPO ? '' : ` in ${folder}`}`);
	run('npm', ['run', '--silent', 'pack'], { cwd: folder });
	const tarball = readdirSync(folder).find((file) => /^n8n-nodes-conversations-api-.*\.tgz$/.test(file));
	if (!tarball) throw new Error('npm run pack made no n8n-nodes-conversations-api-*.tgz');
	return path.join(folder, tarball);
}

/** A fresh n8n user folder with the tarball installed as the README says: `cd ~/.n8n/nodes && npm install <tgz>`. */
export function freshUserFolder(label: string, tarball: string): string {
	const userFolder = temporaryFolder(mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${label}-`)));
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	run('npm', ['install', tarball, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: nodesDir });
	return userFolder;
}

const isRoot = () => process.getuid?.() === 0;

function postgresBin(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base).filter((name) => existsSync(path.join(base, name, 'bin', 'postgres')));
	versions.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

function hasRedis(): boolean {
	try {
		run('redis-server', ['--version']);
		return true;
	} catch {
		return false;
	}
}

/** Debian's postgresql and redis-server packages, installed when missing (needs root, as in CI). */
export function ensureQueueServices(): { postgres: string; installed: string[] } {
	const missing = [...(postgresBin() ? [] : ['postgresql']), ...(hasRedis() ? [] : ['redis-server'])];
	if (missing.length) {
		if (!isRoot()) throw new Error(`queue mode needs ${missing.join(' and ')}: run as root, or apt-get install ${missing.join(' ')}`);
		log(`installing ${missing.join(', ')} from Debian's packages`);
		run('apt-get', ['update', '-qq']);
		run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
	}
	const postgres = postgresBin();
	if (!postgres) throw new Error('postgresql is installed but no /usr/lib/postgresql/<version>/bin/postgres was found');
	return { postgres, installed: missing };
}

/** As root, Postgres runs as the postgres user. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/** A throw-away Postgres cluster of the harness's own (its own data folder and port), started and stopped by it. */
export async function startPostgres(bin: string, port: number, logDir: string): Promise<{ process: Managed; dataDir: string }> {
	const dataDir = temporaryFolder(mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pg-')));
	chmodSync(dataDir, 0o700);
	if (isRoot()) {
		const uid = Number(run('id', ['-u', 'postgres']).trim());
		const gid = Number(run('id', ['-g', 'postgres']).trim());
		chownSync(dataDir, uid, gid);
	}
	const [initdb, initArgs] = asPostgresUser(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync']);
	run(initdb, initArgs);
	const [postgres, args] = asPostgresUser(path.join(bin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-k',
		dataDir,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'max_connections=200',
	]);
	const process = new Managed('postgres', postgres, args, { logDir });
	await waitFor(
		'Postgres to accept connections',
		() => {
			if (!process.alive) throw new Error(`Postgres exited: ${process.output.slice(-500)}`);
			run(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]);
			return true;
		},
		60_000,
	);
	return { process, dataDir };
}

export function createDatabase(bin: string, port: number, name: string): void {
	run(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
}

export async function startRedis(port: number, logDir: string): Promise<Managed> {
	const redis = new Managed('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		logDir,
	});
	await waitFor(
		'Redis to answer',
		() => {
			if (!redis.alive) throw new Error(`Redis exited: ${redis.output.slice(-500)}`);
			return /Ready to accept connections/.test(redis.output) || undefined;
		},
		30_000,
	);
	return redis;
}

export function removeFolder(folder: string): void {
	removeTemporary(folder);
}
