import type { IPollFunctions } from 'n8n-workflow';

/** The trigger's limits: bounds of its numeric options, and how long one poll may take. */

export const MAX_WATCH_COUNT = 1000;
export const MAX_LOOKBACK_MINUTES = 10_080;

/** n8n's time budget for one poll; 5 minutes where n8n does not say (n8n 1.x has no getPollBudgetMs). */
const DEFAULT_POLL_BUDGET_MS = 5 * 60_000;

export function pollBudgetMs(context: IPollFunctions): number {
	return typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : DEFAULT_POLL_BUDGET_MS;
}
