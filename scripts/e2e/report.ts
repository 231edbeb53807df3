/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports -- e2e harness (dev tool, never shipped): prints its summary and writes it to a file */
/** The harness's checks: each passes or fails with its figures; pending ones are listed but never counted as passed. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { log } from './proc';

/** 'limit': a measured limit the docs state (figures shown, counted neither as passed nor failed). */
export type Outcome = 'pass' | 'fail' | 'pending' | 'limit';

export interface Check {
	suite: string;
	name: string;
	outcome: Outcome;
	detail: string;
}

export class Report {
	readonly checks: Check[] = [];

	add(suite: string, name: string, ok: boolean, detail: string): boolean {
		this.checks.push({ suite, name, outcome: ok ? 'pass' : 'fail', detail });
		log(`${ok ? 'PASS' : 'FAIL'} [${suite}] ${name}: ${detail}`);
		return ok;
	}

	pending(suite: string, name: string, detail: string): void {
		this.checks.push({ suite, name, outcome: 'pending', detail });
		log(`PENDING [${suite}] ${name}: ${detail}`);
	}

	limit(suite: string, name: string, detail: string): void {
		this.checks.push({ suite, name, outcome: 'limit', detail });
		log(`KNOWN LIMIT [${suite}] ${name}: ${detail}`);
	}

	/** Runs a check: it passes with the figures it returns, fails with the error it throws. */
	async check(suite: string, name: string, body: () => Promise<string> | string): Promise<boolean> {
		try {
			return this.add(suite, name, true, await body());
		} catch (error) {
			return this.add(suite, name, false, (error as Error).message.split('\n').slice(0, 12).join('\n    '));
		}
	}

	get passed(): number {
		return this.checks.filter((check) => check.outcome === 'pass').length;
	}

	get failed(): number {
		return this.checks.filter((check) => check.outcome === 'fail').length;
	}

	print(file: string): void {
		const lines = ['', 'e2e summary (real n8n):'];
		let suite = '';
		for (const check of this.checks) {
			if (check.suite !== suite) {
				suite = check.suite;
				lines.push(`  ${suite}`);
			}
			lines.push(`    ${check.outcome.toUpperCase().padEnd(7)} ${check.name}: ${check.detail}`);
		}
		const pending = this.checks.filter((check) => check.outcome === 'pending').length;
		if (pending) lines.push(`  ${pending} pending (not run, not counted as passed)`);
		const limits = this.checks.filter((check) => check.outcome === 'limit').length;
		if (limits) lines.push(`  ${limits} known limit(s) measured (stated in docs/queue-mode.md, not counted)`);
		lines.push(`${this.passed} passed, ${this.failed} failed`);
		console.log(lines.join('\n'));
		mkdirSync(path.dirname(file), { recursive: true });
		writeFileSync(file, `${JSON.stringify({ passed: this.passed, failed: this.failed, pending, checks: this.checks }, null, '\t')}\n`);
	}
}

/** A condition that throws with the figures when it does not hold. */
export function expect(condition: boolean, message: string): void {
	if (!condition) throw new Error(message);
}
