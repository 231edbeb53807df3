/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test of the e2e harness (a dev tool, never shipped) */
/**
 * The e2e harness's wait for an execution (scripts/e2e/n8n.ts `waitForExecution`) against n8n's
 * REST answers as n8n 1.123 on SQLite gives them while it saves an execution: it writes the status,
 * then the data, in two updates outside a transaction, so a read between them has the final status
 * and the data saved before. The replies below are those reads, in order (the last one repeats).
 */
import path from 'node:path';
import nock from 'nock';
import { stringify } from 'flatted';
import { N8nApi } from '../../scripts/e2e/n8n';
import type { N8nInstall } from '../../scripts/e2e/install';

const BASE = 'http://127.0.0.1:5999';
const REPO = path.resolve(__dirname, '../..');

type Runs = Record<string, unknown[]>;
const run = (json: Record<string, unknown>) => ({ data: { main: [[{ json }]] } });
const answer = run({ data: { approved: false } });
const resumedNode = { node: { name: 'Send and wait', disabled: true }, data: { main: [[{ json: { data: { approved: false } } }]] } };

/** One REST answer for execution 7: its row (status, stoppedAt) and its data (runs, stack). */
function reply(status: string, stoppedAt: string | null, runData: Runs, stack: unknown[], error?: string) {
	return {
		data: {
			id: '7',
			status,
			mode: 'webhook',
			workflowId: 'w1',
			stoppedAt,
			data: stringify({
				resultData: { runData, ...(error ? { error: { message: error } } : {}) },
				executionData: { nodeExecutionStack: stack },
			}),
		},
	};
}

/** Execution 7 answers these replies in turn; the last one from then on. */
function scripted(replies: Array<ReturnType<typeof reply>>): { reads: () => number } {
	let reads = 0;
	nock(BASE)
		.persist()
		.get('/rest/executions/7')
		.reply(() => {
			reads++;
			return [200, replies[Math.min(reads, replies.length) - 1]];
		});
	return { reads: () => reads };
}

const api = () => new N8nApi(BASE, { version: '1.123.81', dir: REPO, bin: '', installed: false, seconds: 0 } as N8nInstall);

describe('e2e harness: waitForExecution', () => {
	// The waiting run removed on resume, nothing run after it: what n8n saved when the POST resumed it.
	const resumed: Runs = { Ask: [run({})], 'Send and wait': [] };
	const finished: Runs = { Ask: [run({})], 'Send and wait': [answer], 'Answered?': [answer], 'Approved?': [answer], Declined: [answer] };

	afterEach(() => nock.abortPendingRequests());

	it('does not take a success read between the status update and the data update: it returns the saved runs', async () => {
		const { reads } = scripted([
			reply('running', null, resumed, [resumedNode]),
			// The status is saved, the data not yet: "success" with the resumed execution's data.
			reply('success', '2026-12-07T00:00:01.000Z', resumed, [resumedNode]),
			reply('success', '2026-12-07T00:00:01.000Z', finished, []),
		]);
		const done = await api().waitForExecution('7', 20_000);
		expect(done.status).toBe('success');
		expect(Object.keys(done.runData)).toEqual(['Ask', 'Send and wait', 'Answered?', 'Approved?', 'Declined']);
		expect(done.runData['Send and wait']).toEqual([answer]);
		expect(done.pending).toBe(0);
		expect(reads()).toBeGreaterThanOrEqual(4);
	});

	it('confirms any finished read with a second one: an error saved in two steps is returned with its final data', async () => {
		const failed: Runs = { ...resumed, 'Send and wait': [{ error: { message: 'Bad request' } }] };
		const { reads } = scripted([
			reply('error', '2026-12-07T00:00:01.000Z', resumed, [resumedNode]),
			reply('error', '2026-12-07T00:00:01.000Z', failed, [resumedNode], 'Bad request'),
		]);
		const done = await api().waitForExecution('7', 20_000);
		expect(done.status).toBe('error');
		expect(done.error).toBe('Bad request');
		expect(done.runData['Send and wait']).toEqual([{ error: { message: 'Bad request' } }]);
		// The first read, its confirmation (different), then a read and its confirmation (the same).
		expect(reads()).toBe(4);
	});

	it('returns a finished execution after one confirming read', async () => {
		const { reads } = scripted([reply('success', '2026-12-07T00:00:01.000Z', finished, [])]);
		const done = await api().waitForExecution('7', 20_000);
		expect(done.runData.Declined).toEqual([answer]);
		expect(reads()).toBe(2);
	});
});
