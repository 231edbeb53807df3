/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-imports -- a benchmark helper (dev tool, never shipped): it wraps the loaded modules' functions and the fake server's events to time them */
/**
 * `bench:getall --phases`: where each page of a Return All spends its time, from timestamps taken
 * around the node's transport (`routingRequest`), n8n-core's `RoutingNode.rawRoutingRequest`, n8n's
 * signing with the credential (the test engine's stand-in of n8n's credentials helper, as n8n calls
 * it; a page the node signs itself, as with a Private Integration Token, has none: its signing is
 * in the phase after) and the fake server's connection, request and answer. Per page, in milliseconds (the server's
 * 20 ms latency left out).
 */
import type { Server, ServerResponse } from 'node:http';
import { RoutingNode } from 'n8n-core';
import { TestCredentialsHelper } from '../test/support/engine';
import type { FakeApi } from '../test/support/fakeApi';

type Mark = 'page' | 'n8n sends' | 'signs' | 'signed' | 'connection' | 'request' | 'answer' | 'answered' | 'n8n returns' | 'page done';

const marks: Array<[Mark, number]> = [];
const mark = (name: Mark) => marks.push([name, performance.now()]);

/** Wraps `owner[key]` (an async function) to mark its start and end. */
function around(owner: object, key: string, start: Mark, end: Mark): void {
	const target = owner as Record<string, (...args: unknown[]) => Promise<unknown>>;
	const original = target[key];
	target[key] = async function (this: unknown, ...args: unknown[]) {
		mark(start);
		try {
			return await original.apply(this, args);
		} finally {
			mark(end);
		}
	};
}

let installed = false;

/** Starts recording (from now on) the phases of the pages sent to `fake`. */
export function recordPhases(fake: FakeApi): void {
	if (!installed) {
		installed = true;
		// The transport's exports object, as getAll.ts calls it (a property read at each call).
		around(require('../nodes/ConversationsApi/shared/transport') as object, 'routingRequest', 'page', 'page done');
		around(RoutingNode.prototype, 'rawRoutingRequest', 'n8n sends', 'n8n returns');
		around(TestCredentialsHelper.prototype, 'authenticate', 'signs', 'signed');
	}
	marks.length = 0;
	const server = (fake as unknown as { server: Server }).server;
	server.prependListener('connection', () => mark('connection'));
	server.prependListener('request', (_request, response: ServerResponse) => {
		mark('request');
		const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
		response.end = ((...args: unknown[]) => {
			mark('answer');
			const sent = end(...args);
			mark('answered');
			return sent;
		}) as typeof response.end;
	});
}

const PHASES: Array<[label: string, from: Mark, to: Mark]> = [
	["the node's transport before n8n (budget, item state)", 'page', 'n8n sends'],
	['n8n before signing', 'n8n sends', 'signs'],
	["n8n's signing (the credential's authenticate; none when the node signs)", 'signs', 'signed'],
	["n8n's HTTP client until the server has the connection (agents, axios; the node's signing)", 'signed', 'connection'],
	['... until the request arrives', 'connection', 'request'],
	['the server beyond its latency (timer, search, page)', 'request', 'answer'],
	['the server writing the answer', 'answer', 'answered'],
	["n8n's HTTP client reading the answer (JSON), postReceive", 'answered', 'n8n returns'],
	["the node's transport after n8n", 'n8n returns', 'page done'],
];

/** The phases of the pages recorded since recordPhases, per page in ms, and what lies between pages. */
export function phaseLines(latencyMs: number): string[] {
	const sums = new Map<string, number>();
	const add = (label: string, ms: number) => sums.set(label, (sums.get(label) ?? 0) + ms);
	const find = (name: Mark, from: number) => marks.findIndex(([candidate], index) => index >= from && candidate === name);
	let pages = 0;
	let previousEnd: number | undefined;
	for (let at = find('page', 0); at >= 0; at = find('page', at + 1)) {
		const found: Partial<Record<Mark, number>> = { page: at };
		// n8n signs no page the node signs itself (a Private Integration Token): its signing takes 0.
		const next = find('page', at + 1);
		const signs = find('signs', at);
		if (signs < 0 || (next >= 0 && signs > next)) found.signs = found.signed = found['n8n sends'] = find('n8n sends', at);
		let cursor = at;
		for (const [, from, to] of PHASES) {
			found[from] ??= find(from, cursor);
			found[to] ??= find(to, found[from] as number);
			cursor = found[to] as number;
		}
		if (Object.values(found).some((index) => index < 0)) break;
		for (const [label, from, to] of PHASES) {
			const ms = marks[found[to] as number][1] - marks[found[from] as number][1];
			add(label, from === 'request' ? ms - latencyMs : ms);
		}
		if (previousEnd !== undefined) add('between pages: the search scan, items (the node)', marks[at][1] - previousEnd);
		previousEnd = marks[found['page done'] as number][1];
		pages++;
	}
	return [
		`Per page (${pages} pages; ms, the server's ${latencyMs} ms latency left out):`,
		...[...sums].map(([label, ms]) => `  ${(ms / pages).toFixed(2).padStart(6)}  ${label}`),
	];
}
