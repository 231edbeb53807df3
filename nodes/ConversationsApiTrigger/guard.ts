/**
 * One poll at a time per trigger (workflow, node, event, location) in this process.
 *
 * n8n's scheduler fires each poll on its schedule without waiting for the previous one, so a poll
 * that outlasts its interval overlaps the next. Both would read the same saved state and emit the
 * same events. A poll that starts while another of the same trigger still runs is skipped (it
 * returns nothing and changes nothing); the next tick goes on from the state the running poll
 * saves.
 *
 * An in-process guard is enough: n8n runs poll triggers in the main process only, and in queue
 * mode and multi-main only on the leader, so every poll of one workflow runs in one process.
 *
 * A poll that is still marked running after `staleMs` (n8n's poll time budget: n8n has given up
 * on it) no longer blocks; should it still finish, the poller's compare-before-write check keeps
 * it from saving over a newer state or emitting what another poll emitted.
 */
const running = new Map<string, number>();

/** Marks the trigger's poll as running; false when another poll of it runs already. */
export function startPoll(key: string, now: number, staleMs: number): boolean {
	const since = running.get(key);
	if (since !== undefined && now - since < staleMs) return false;
	running.set(key, now);
	return true;
}

/** Ends the mark set by startPoll (only the poll that set it). */
export function endPoll(key: string, startedAt: number): void {
	if (running.get(key) === startedAt) running.delete(key);
}
