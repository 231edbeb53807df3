/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- a benchmark helper (dev tool, never shipped): it starts a server process */
/**
 * The benchmarks' local API: GET /conversations/<id> answers at once with a conversation and
 * declares no practical limit in HighLevel's X-RateLimit-* headers, so the node's pacing never
 * waits. Its own process, so that its work is not counted as the node's (or n8n's) CPU time.
 */
import { spawn, type ChildProcess } from 'node:child_process';

function serverSource(locationId: string): string {
	return `
const http = require('node:http');
const server = http.createServer((req, res) => {
	const id = decodeURIComponent((req.url || '').split('?')[0].split('/').pop());
	const body = JSON.stringify({ id, locationId: ${JSON.stringify(locationId)}, contactId: 'contact-1', type: 'TYPE_PHONE', unreadCount: 0, starred: false });
	res.writeHead(200, {
		'content-type': 'application/json',
		'x-ratelimit-max': '1000000000',
		'x-ratelimit-remaining': '1000000000',
		'x-ratelimit-interval-milliseconds': '10000',
		'x-ratelimit-daily-remaining': '1000000000',
	});
	res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;
}

export function startLocalApi(locationId: string): Promise<{ url: string; child: ChildProcess }> {
	const child = spawn(process.execPath, ['-e', serverSource(locationId)], { stdio: ['ignore', 'pipe', 'inherit'] });
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.stdout?.once('data', (data: Buffer) => resolve({ url: `http://127.0.0.1:${String(data).trim()}`, child }));
	});
}
