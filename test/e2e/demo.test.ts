/**
 * The demo (`./dev demo`) runs: its main function starts the sandbox on loopback, runs the seven
 * templates through the n8n engine and reports what they did; it succeeds and says so.
 */
import nock from 'nock';
import { main } from '../../demo/run';

// test/support/setup.ts keeps the tests off the network; the demo talks to its sandbox over loopback.
beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());

describe('demo', () => {
	it('runs the seven templates against the sandboxes, points to the AI receptionist in real n8n, and exits 0', async () => {
		const lines: string[] = [];
		const code = await main((line) => lines.push(line));
		const output = lines.join('\n');

		expect(code).toBe(0);
		expect(output).toMatch(/^Conversations API sandbox at http:\/\/127\.0\.0\.1:\d+ /);
		expect(output).toMatch(/^1\. Search conversations .*\n {3}\d+ conversation\(s\) found/m);
		expect(output).toMatch(/^2\. Welcome new conversations[\s\S]*welcome sent by (SMS|email|WhatsApp|Facebook|Instagram|Live Chat): "Hi /m);
		expect(output).toMatch(
			/^3\. Keyword routing[\s\S]*→ (Billing|Sales|Support)[^:]*: (assigned to|stays with) [^,]+, acknowledged by .*, starred \+ unread, \S+@example\.com notified/m,
		);
		expect(output).toMatch(
			/^4\. ablefy sale welcome[\s\S]*Lena Hoffmann <lena\.hoffmann@example\.com> bought "Online Marketing Masterclass"/m,
		);
		expect(output).toMatch(
			/welcome email sent to lena\.hoffmann@example\.com in conversation \S+: "Welcome to Online Marketing Masterclass!"/,
		);
		expect(output).toMatch(/^5\. Instant reply [\s\S]*?: \d+ signed events delivered to \/webhook\/\S+\/highlevel, 5 executions$/m);
		expect(output.match(/→ replied by \w+ \d+ ms later/g)).toHaveLength(5);
		expect(output).toMatch(/\(delivered 2×, run once\)/);
		expect(output).toMatch(
			/^6\. Custom provider bridge[\s\S]*signed ProviderOutboundMessage → carrier got it for \S+ → status delivered\n.*signed ProviderOutboundMessage → carrier got it for \S+ → status failed\n.*carrier reply from .*: added to conversation \S+ as inbound SMS \(provider demo-carrier-provider\)/m,
		);
		expect(output).toMatch(
			/^7\. Agency digest \(Manual Trigger, agency credential\): 5 sub-accounts with the app installed \(1 without it skipped\), \d+ unread conversations, 5 token exchanges$/m,
		);
		expect(output.match(/^ {3}- Sub-account \d: \d+ unread/gm)).toHaveLength(5);
		// "failed" is a message status the bridge sets on purpose; a template failing says "✗ ... failed:".
		expect(output).not.toMatch(/NOT |failed:|templates failed|✗/);
		expect(output).toMatch(/^8\. AI receptionist [\s\S]*\n {3}\.\/dev e2e -- --only receptionist /m);
		expect(output).toMatch(/All 7 templates ran without errors; sandbox closed\.$/);
		// Concise, and no secret: the sandbox's token is never printed.
		expect(lines.length).toBeLessThan(70);
		expect(output).not.toContain('sandbox-token');
	});
});
