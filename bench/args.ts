/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark helper (dev tool, never shipped): it reads the command line */
/** The benchmarks' command-line options: `--name value`. */

/** The value after `--name`, or the fallback. */
export function textOption(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? String(process.argv[index + 1]) : fallback;
}

/** A count (items, rounds): a positive whole number. */
export function countOption(name: string, fallback: number): number {
	const value = Number(textOption(name, String(fallback)));
	if (!Number.isFinite(value) || value < 1) throw new Error(`--${name} must be a positive number`);
	return Math.floor(value);
}

/** An amount (milliseconds, a limit): a number, 0 or more. */
export function amountOption(name: string, fallback: number): number {
	const value = Number(textOption(name, String(fallback)));
	if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
	return value;
}
