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

/**
 * A short wait inside a request that is in flight (looking for a token another request saves):
 * real time even where tests run the rest on virtual time, which stands still while a request is
 * in flight.
 */
export async function pause(ms: number): Promise<void> {
	await wait(ms);
}
