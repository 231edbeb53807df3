/**
 * Each test runs as in a fresh n8n process: no rate-limit budget and no location token carried
 * over from the test before. The node keeps both in module-private maps, by key; setup.ts wraps
 * the functions that make those keys (jest.mock) so that each test's keys are new, and tracks the
 * budgets so the virtual clock can tell when requests are in flight.
 */
import type { RateBudget } from '../../nodes/ConversationsApi/shared/rateLimit';

let generation = 0;
let budgets = new Set<RateBudget>();

export const freshProcess = {
	/** A key of this test's "process". */
	key: (key: string): string => `test-${generation}:${key}`,
	/** Notes a budget in use by this test. */
	track(budget: RateBudget): RateBudget {
		budgets.add(budget);
		return budget;
	},
	/** Requests of this test's budgets sent and not answered yet. */
	requestsInFlight(): number {
		let count = 0;
		for (const budget of budgets) count += budget.inFlight;
		return count;
	},
	/** The next test starts a new "process". */
	next(): void {
		generation++;
		budgets = new Set();
	},
};
