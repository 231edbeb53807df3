// Screenshots of a throw-away local n8n (port 5699) in headless Chromium over the DevTools protocol.
// A dev tool, not part of the package. Prerequisites: n8n started on 127.0.0.1:5699 with this
// package's tarball unpacked under its user folder's .n8n/nodes/node_modules, `chromium` on PATH,
// Node.js 22+ (global fetch and WebSocket); for `getmany`, `./dev sandbox --port 4077`.
// Usage: node shoot.mjs search HighLevel | actions HighLevel | send | getmany <sandbox location ID>
// Pictures are written to /tmp/findable-shots/.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const BASE = 'http://127.0.0.1:5699';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let cookie = '';
async function rest(method, url, body) {
	const res = await fetch(BASE + url, {
		method,
		headers: { 'content-type': 'application/json', 'browser-id': 'shots', ...(cookie ? { cookie } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	const auth = (res.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('n8n-auth='));
	if (auth) cookie = auth.split(';')[0];
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${url} ${res.status} ${text.slice(0, 300)}`);
	return text ? JSON.parse(text).data : undefined;
}
try {
	await rest('POST', '/rest/owner/setup', {
		email: 'owner@shots.example.com',
		firstName: 'Shot',
		lastName: 'Owner',
		password: 'Shots-Passw0rd-123',
	});
} catch {
	await rest('POST', '/rest/login', { emailOrLdapLoginId: 'owner@shots.example.com', password: 'Shots-Passw0rd-123' });
}
const chrome = spawn(
	'chromium',
	['--headless=new', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=9333', '--window-size=1440,900', 'about:blank'],
	{ stdio: 'ignore' },
);
let targets;
for (let i = 0; i < 40; i++) {
	try {
		targets = await (await fetch('http://127.0.0.1:9333/json/list')).json();
		break;
	} catch {
		await sleep(500);
	}
}
const page = targets.find((t) => t.type === 'page');
const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise((r) => ws.addEventListener('open', r));
let id = 0;
const waiting = new Map();
ws.addEventListener('message', (e) => {
	const m = JSON.parse(e.data);
	if (m.id && waiting.has(m.id)) {
		waiting.get(m.id)(m);
		waiting.delete(m.id);
	}
});
const cdp = (method, params = {}) =>
	new Promise((r) => {
		const n = ++id;
		waiting.set(n, r);
		ws.send(JSON.stringify({ id: n, method, params }));
	});
const evaluate = async (expression) =>
	(await cdp('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })).result?.result?.value;
const shot = async (file) => {
	const m = await cdp('Page.captureScreenshot', { format: 'png' });
	writeFileSync(file, Buffer.from(m.result.data, 'base64'));
	console.log('saved', file);
};
await cdp('Page.enable');
await cdp('Network.enable');
await cdp('Emulation.setDeviceMetricsOverride', { width: 1440, height: 900, deviceScaleFactor: 1, mobile: false });
const goto = async (url, wait = 9000) => {
	await cdp('Page.navigate', { url });
	await sleep(wait);
};
// Sign in through the page (n8n binds its session to the browser).
await goto(BASE + '/signin', 8000);
const typeInto = async (selector, text) => {
	await evaluate(`document.querySelector('${selector}').focus()`);
	await cdp('Input.insertText', { text });
};
await typeInto('input[type=email], input[name=emailOrLdapLoginId], input[name=email]', 'owner@shots.example.com');
await typeInto('input[type=password]', 'Shots-Passw0rd-123');
await evaluate(`[...document.querySelectorAll('button')].find((b) => /sign in/i.test(b.textContent)).click()`);
await sleep(12000);
console.log('after sign-in:', await evaluate('location.pathname'));
const task = process.argv[2];
if (task === 'search') {
	await goto(BASE + '/workflow/new', 12000);
	await evaluate(
		`(() => { const b = [...document.querySelectorAll('button, [data-test-id]')].find((el) => /node-creator-plus-button|canvas-plus-button/.test(el.getAttribute('data-test-id') || '')); if (b) { b.click(); return 'clicked ' + b.getAttribute('data-test-id'); } return 'no button'; })()`,
	).then(console.log);
	await sleep(2500);
	await cdp('Input.insertText', { text: process.argv[3] || 'HighLevel' });
	await sleep(2500);
	console.log(
		await evaluate(
			`[...document.querySelectorAll('[data-test-id="node-creator-item-name"], .node-creator-item-name, [class*="nodeItem"] [class*="title"]')].map((e) => e.textContent.trim()).slice(0, 12).join(' | ')`,
		),
	);
	await shot(`/tmp/findable-shots/search-${(process.argv[3] || 'HighLevel').toLowerCase()}.png`);
} else if (task === 'actions') {
	const wf = await rest('POST', '/rest/workflows', {
		name: 'Actions search',
		active: false,
		settings: {},
		connections: {},
		nodes: [
			{ id: 't1', name: 'When clicking', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [200, 300], parameters: {} },
		],
	});
	await goto(`${BASE}/workflow/${wf.id}`, 12000);
	await evaluate(
		`(() => { const b = document.querySelector('[data-test-id="node-creator-plus-button"]'); if (b) { b.click(); return 'clicked'; } return 'none'; })()`,
	).then(console.log);
	await sleep(2500);
	await cdp('Input.insertText', { text: process.argv[3] || 'HighLevel' });
	await sleep(2500);
	console.log(
		await evaluate(
			`[...document.querySelectorAll('[data-test-id="node-creator-item-name"]')].map((e) => e.textContent.trim()).slice(0, 12).join(' | ')`,
		),
	);
	await shot(`/tmp/findable-shots/actions-${(process.argv[3] || 'HighLevel').toLowerCase()}.png`);
	await evaluate(
		`[...document.querySelectorAll('[data-test-id="node-creator-item-name"]')].find((e) => e.textContent.trim() === 'HighLevel Conversations').click()`,
	);
	await sleep(3000);
	await shot(`/tmp/findable-shots/actions-list.png`);
} else if (task === 'getmany') {
	const credential = await rest('POST', '/rest/credentials', {
		name: 'Sandbox',
		type: 'conversationsApi',
		data: { privateIntegrationToken: 'sandbox-token', locationId: process.argv[3], baseUrl: 'http://127.0.0.1:4077' },
	});
	const wf = await rest('POST', '/rest/workflows', {
		name: 'Get Many',
		active: false,
		settings: { timezone: 'America/New_York' },
		nodes: [
			{ id: 't1', name: 'When clicking', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [200, 300], parameters: {} },
			{
				id: 'n1',
				name: 'HighLevel Conversations',
				type: 'n8n-nodes-conversations-api.conversationsApi',
				typeVersion: 1.1,
				position: [450, 300],
				parameters: { resource: 'conversation', operation: 'getAll', limit: 10 },
				credentials: { conversationsApi: { id: credential.id, name: 'Sandbox' } },
			},
		],
		connections: { 'When clicking': { main: [[{ node: 'HighLevel Conversations', type: 'main', index: 0 }]] } },
	});
	await goto(`${BASE}/workflow/${wf.id}`, 12000);
	await evaluate(
		`(() => { const b = document.querySelector('[data-test-id="execute-workflow-button"]'); if (b) { b.click(); return 'run'; } return 'none'; })()`,
	).then(console.log);
	await sleep(8000);
	await goto(`${BASE}/workflow/${wf.id}/n1`, 10000);
	await evaluate(
		`(() => { const b = [...document.querySelectorAll('button')].find((e) => e.textContent.trim() === 'Execute step'); if (b) { b.click(); return 'step'; } return 'no step'; })()`,
	).then(console.log);
	await sleep(9000);
	await evaluate(
		`(() => { const t = [...document.querySelectorAll('[data-test-id="ndv-run-data-display-mode"] *, button, span')].find((e) => e.textContent.trim() === 'Table'); if (t) { t.click(); return 'table'; } return 'no table toggle'; })()`,
	).then(console.log);
	await sleep(2000);
	await shot('/tmp/findable-shots/getmany-simplified.png');
} else if (task === 'send') {
	const wf = await rest('POST', '/rest/workflows', {
		name: 'Send panel',
		active: false,
		settings: {},
		connections: {},
		nodes: [
			{
				id: 'n1',
				name: 'HighLevel Conversations',
				type: 'n8n-nodes-conversations-api.conversationsApi',
				typeVersion: 1.1,
				position: [300, 300],
				parameters: { resource: 'message', operation: 'send' },
			},
		],
	});
	await goto(`${BASE}/workflow/${wf.id}/n1`, 14000);
	await shot('/tmp/findable-shots/send-panel.png');
}
ws.close();
chrome.kill();
process.exit(0);
