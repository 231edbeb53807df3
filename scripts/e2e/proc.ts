/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, no-console -- e2e harness (dev tool, never shipped): it starts processes, reads the environment and prints */
/** Processes the harness starts (and always stops), shell commands, waiting, free ports. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function log(message: string): void {
	console.log(`[e2e ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** A log file of the harness's own (e.g. every request the sandbox answered), next to the processes' logs. */
export function logFile(logDir: string, name: string): (line: string) => void {
	mkdirSync(logDir, { recursive: true });
	const stream = createWriteStream(path.join(logDir, `${name}.log`));
	return (line: string) => stream.write(`${new Date().toISOString()} ${line}\n`);
}

/** Runs a command to completion; throws with its output's tail when it fails. */
export function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
	const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
	if (result.status !== 0) {
		const output = `${String(result.stdout ?? '')}\n${String(result.stderr ?? '')}`.trim().split('\n').slice(-30).join('\n');
		throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
	}
	return String(result.stdout ?? '');
}

export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined> | T | undefined,
	timeoutMs: number,
	everyMs = 500,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			lastError = error;
		}
		await sleep(everyMs);
	}
	throw new Error(
		`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
	);
}

export function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * `count` consecutive free ports in the 200 from `from` on (other engineers' tests use the defaults
 * 5678/4010). The search starts at a random block: two runs started at once would otherwise both
 * find the same first free block and race to bind it.
 */
export async function freePorts(from: number, count: number): Promise<number[]> {
	const blocks = Math.floor(200 / count);
	const first = randomInt(blocks);
	for (let step = 0; step < blocks; step++) {
		const start = from + ((first + step) % blocks) * count;
		const ports = Array.from({ length: count }, (_, index) => start + index);
		const free = await Promise.all(ports.map(portIsFree));
		if (free.every(Boolean)) return ports;
	}
	throw new Error(`no ${count} free ports from ${from} on`);
}

/** A long-running process of the harness: its own process group, so stopping it stops its children too. */
export class Managed {
	readonly child: ChildProcess;
	private exited = false;
	exitCode: number | null = null;
	output = '';

	constructor(
		readonly name: string,
		command: string,
		args: string[],
		options: { env?: NodeJS.ProcessEnv; cwd?: string; logDir: string },
	) {
		mkdirSync(options.logDir, { recursive: true });
		const logFile = createWriteStream(path.join(options.logDir, `${name}.log`));
		this.child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		const keep = (chunk: Buffer) => {
			logFile.write(chunk);
			// Enough of the output to find a start message or an error.
			this.output = (this.output + chunk.toString('utf8')).slice(-200_000);
		};
		this.child.stdout?.on('data', keep);
		this.child.stderr?.on('data', keep);
		this.child.on('exit', (code) => {
			this.exited = true;
			this.exitCode = code;
			logFile.end();
		});
		running.add(this);
	}

	get alive(): boolean {
		return !this.exited;
	}

	async stop(timeoutMs = 20_000): Promise<void> {
		running.delete(this);
		if (this.exited || this.child.pid === undefined) return;
		const pid = this.child.pid;
		const signal = (name: NodeJS.Signals) => {
			try {
				process.kill(-pid, name);
			} catch {
				// already gone
			}
		};
		signal('SIGTERM');
		const deadline = Date.now() + timeoutMs;
		while (!this.exited && Date.now() < deadline) await sleep(200);
		// The group may hold children (n8n's task runners) even after the leader exited.
		signal('SIGKILL');
	}
}

const running = new Set<Managed>();
const temporary = new Set<string>();

/** A folder the harness made (user folders, Postgres data): removed by stopAll, also when interrupted. */
export function temporaryFolder(folder: string): string {
	temporary.add(folder);
	return folder;
}

export function removeTemporary(folder: string): void {
	temporary.delete(folder);
	rmSync(folder, { recursive: true, force: true });
}

/** Stops every process still running, newest first, then removes the temporary folders. */
export async function stopAll(): Promise<void> {
	for (const process of [...running].reverse()) await process.stop();
	for (const folder of [...temporary]) removeTemporary(folder);
}

let interrupted = false;
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(name, () => {
		if (interrupted) return;
		interrupted = true;
		log(`${name}: stopping everything the harness started`);
		void stopAll().finally(() => process.exit(130));
	});
}
