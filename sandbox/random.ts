/** Deterministic pseudo-random numbers (mulberry32): the sandbox never uses Math.random. */

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Mixes any number (negative, fractional, huge) into a 32-bit seed. */
export function seedHash(seed: number, salt = 0): number {
	let h = (Math.floor(Math.abs(seed)) ^ 0x9e3779b9 ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0;
	if (seed < 0) h = (h ^ 0x7fffffff) >>> 0;
	const fraction = Math.round((Math.abs(seed) % 1) * 1e6);
	h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) ^ fraction;
	h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
	return (h ^ (h >>> 16)) >>> 0;
}

export class Random {
	private state: number;

	constructor(seed: number, salt = 0) {
		this.state = seedHash(seed, salt);
	}

	/** A number in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(values: readonly T[]): T {
		return values[Math.floor(this.next() * values.length)];
	}

	/** Picks by weight: `[[value, weight], ...]`. */
	weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
		const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
		let roll = this.next() * total;
		for (const [value, weight] of entries) {
			roll -= weight;
			if (roll < 0) return value;
		}
		return entries[entries.length - 1][0];
	}

	shuffle<T>(values: T[]): T[] {
		for (let i = values.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[values[i], values[j]] = [values[j], values[i]];
		}
		return values;
	}

	/** An ID shaped like HighLevel's (20 alphanumeric characters). */
	id(length = 20): string {
		let out = '';
		for (let i = 0; i < length; i++) out += ID_ALPHABET[Math.floor(this.next() * ID_ALPHABET.length)];
		return out;
	}
}
