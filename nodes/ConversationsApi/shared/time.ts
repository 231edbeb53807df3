import { sleep as wait } from 'n8n-workflow';

/**
 * The time that pacing, retries and location-token lifetimes go by: the system's. Read through
 * this one module so that a test can run them on virtual time (by replacing the module).
 */
export function now(): number {
	return Date.now();
}

export async function sleep(ms: number): Promise<void> {
	await wait(ms);
}
