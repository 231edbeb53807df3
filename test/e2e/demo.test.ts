/**
 * The demo (`./dev demo`) runs: its main function starts the sandbox on loopback, runs the four
 * templates through the n8n engine and reports what they did; it succeeds and says so.
 */
import nock from 'nock';
import { main } from '../../demo/run';

// test/support/setup.ts keeps the tests off the network; the demo talks to its sandbox over loopback.
beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());

describe('demo', () => {
	it('runs the four templates against the sandbox and exits 0', async () => {
		const lines: string[] = [];
		const code = await main((line) => lines.push(line));
		const output = lines.join('\n');

		expect(code).toBe(0);
		expect(output).toMatch(/^Conversations API sandbox at http:\/\/127\.0\.0\.1:\d+ /);
		expect(output).toMatch(/^1\. Search conversations .*\n {3}\d+ conversation\(s\) found/m);
		expect(output).toMatch(/^2\. Welcome new conversations[\s\S]*welcome sent by (SMS|email|WhatsApp|Facebook|Instagram|Live Chat): "Hi /m);
		expect(output).toMatch(/^3\. Keyword routing[\s\S]*→ (Billing|Sales|Support)[^:]*: acknowledged by .*, starred \+ unread, \S+@example\.com notified/m);
		expect(output).toMatch(/^4\. ablefy sale welcome[\s\S]*Lena Hoffmann <lena\.hoffmann@example\.com> bought "Online Marketing Masterclass"/m);
		expect(output).toMatch(/welcome email sent to lena\.hoffmann@example\.com in conversation \S+: "Welcome to Online Marketing Masterclass!"/);
		expect(output).not.toMatch(/NOT |failed|✗/);
		expect(output).toMatch(/All 4 templates ran without errors; sandbox closed\.$/);
		// Concise, and no secret: the sandbox's token is never printed.
		expect(lines.length).toBeLessThan(60);
		expect(output).not.toContain('sandbox-token');
	});
});
