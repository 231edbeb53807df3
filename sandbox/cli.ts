/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- sandbox: a dev tool, never shipped (a CLI reads process.argv and prints) */
/**
 * ./dev sandbox [--port 4010] [--host 127.0.0.1] [--seed 1] [--conversations 300] [--latency 0]
 *               [--rate-limit 100/10000 | off] [--traffic <events per minute>]
 */
import { createSandbox, DEMO, type SandboxOptions, type SimulatedEvent } from './index';

interface CliOptions {
	port: number;
	host: string;
	seed: number;
	conversations: number;
	latencyMs: number;
	rateLimit: SandboxOptions['rateLimit'];
	traffic: number;
	token?: string;
	locationId?: string;
	webhookUrl?: string;
	providers: Array<[string, string]>;
}

const HELP = `Usage: ./dev sandbox [options]

  --port <n>              port to listen on (default 4010; 0 = any free port)
  --host <host>           address to listen on (default 127.0.0.1; 0.0.0.0 for n8n in Docker)
  --seed <n>              seed of the demo data (default 1)
  --conversations <n>     seeded conversations (default 300)
  --latency <ms>          delay added to every response (default 0)
  --rate-limit <max>/<ms> burst limit per token, e.g. 100/10000 (default), or "off"
  --traffic <n>           simulate n events per minute (inbound messages, new conversations)
  --token <text>          bearer token to accept (default sandbox-token)
  --location <id>         location ID of the sub-account (default sandbox-location)
  --webhook-url <url>     send signed webhook events (InboundMessage, OutboundMessage,
                          ConversationUnreadUpdate) to this URL, e.g. the trigger's Production URL
  --provider <id>=<url>   a custom conversation provider and its Delivery URL (ProviderOutboundMessage)
`;

function fail(message: string): never {
	console.error(`sandbox: ${message}\n\n${HELP}`);
	process.exit(2);
}

function number(flag: string, value: string | undefined, min = 0): number {
	const parsed = Number(value);
	if (value === undefined || !Number.isFinite(parsed) || parsed < min) fail(`${flag} needs a number >= ${min}`);
	return parsed;
}

function parseArgs(argv: string[]): CliOptions {
	const options: CliOptions = {
		port: 4010,
		host: '127.0.0.1',
		seed: 1,
		conversations: 300,
		latencyMs: 0,
		rateLimit: undefined,
		traffic: 0,
		providers: [],
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				options.port = number(flag, value());
				break;
			case '--host':
				options.host = value() ?? fail('--host needs an address');
				break;
			case '--seed':
				options.seed = number(flag, value(), -Infinity);
				break;
			case '--conversations':
				options.conversations = Math.floor(number(flag, value()));
				break;
			case '--latency':
				options.latencyMs = number(flag, value());
				break;
			case '--rate-limit': {
				const text = value();
				if (text === 'off' || text === 'false' || text === '0') options.rateLimit = false;
				else {
					const match = /^(\d+)\/(\d+)$/.exec(text ?? '');
					if (!match) fail('--rate-limit needs <max>/<intervalMs> (e.g. 100/10000) or "off"');
					options.rateLimit = { max: Number(match[1]), intervalMs: Number(match[2]) };
				}
				break;
			}
			case '--traffic':
				options.traffic = number(flag, value());
				break;
			case '--token':
				options.token = value() ?? fail('--token needs a value');
				break;
			case '--location':
				options.locationId = value() ?? fail('--location needs a value');
				break;
			case '--webhook-url':
				options.webhookUrl = value() ?? fail('--webhook-url needs a URL');
				break;
			case '--provider': {
				const [id, url] = (value() ?? '').split(/=(.*)/s);
				if (!id || !url) fail('--provider needs <conversationProviderId>=<deliveryUrl>');
				options.providers.push([id, url]);
				break;
			}
			case '--help':
			case '-h':
				console.log(HELP);
				process.exit(0);
				break;
			default:
				fail(`unknown option ${argv[i]}`);
		}
	}
	return options;
}

function time(): string {
	return new Date().toISOString().slice(11, 19);
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const sandbox = await createSandbox({
		seed: options.seed,
		conversations: options.conversations,
		latencyMs: options.latencyMs,
		rateLimit: options.rateLimit,
		token: options.token,
		locationId: options.locationId,
		onSimulatedEvent: (event: SimulatedEvent) => {
			const contact = sandbox.state.contact(event.conversation.contactId);
			const what = event.kind === 'newConversation' ? 'new conversation' : 'inbound';
			const text = event.message.body.replace(/\s+/g, ' ').slice(0, 70);
			console.log(`[${time()}] ${what} ${event.message.messageType} ${event.conversation.id} ${contact?.name ?? ''}: "${text}"`);
		},
	});
	sandbox.webhooks.register(options.webhookUrl);
	for (const [id, url] of options.providers) sandbox.webhooks.registerProvider(id, url);
	const address = await sandbox.listen(options.port, options.host);
	const baseUrl = address.replace('://0.0.0.0', '://localhost').replace('://[::]', '://localhost');
	const limit = sandbox.rateLimiter;
	console.log(`HighLevel Conversations API sandbox
  Base URL      ${baseUrl}
  Token         ${sandbox.token}
  Location ID   ${sandbox.locationId}

In n8n, create a "Conversations API (HighLevel) Private Integration Token API" credential with
  Private Integration Token = ${sandbox.token}
  Location ID               = ${sandbox.locationId}
  Base URL                  = ${baseUrl}
(n8n in Docker: start with --host 0.0.0.0 and use http://host.docker.internal:${new URL(baseUrl).port})

Data: seed ${options.seed}, ${sandbox.state.conversations.size} conversations, ${sandbox.state.messages.size} messages, ${sandbox.state.contacts.size} contacts
Rate limit: ${limit ? `${limit.max} requests / ${limit.intervalMs} ms, ${limit.daily} a day` : 'off'}${options.latencyMs ? `; latency ${options.latencyMs} ms` : ''}
Users: user-sales (Sam Sales), user-support (Sue Support), user-billing (Bill Billing)
Demo IDs: call ${DEMO.callConversationId} (message ${DEMO.callMessageId}), email ${DEMO.emailConversationId} (email ${DEMO.emailId}), review ${DEMO.reviewConversationId}, SMS ${DEMO.smsConversationId}, live chat ${DEMO.liveChatConversationId}, contact without conversation ${DEMO.newContactId}
Health: ${baseUrl}/sandbox/health
Webhooks: ${options.webhookUrl ?? 'none (--webhook-url <url>)'}${options.providers.map(([id, url]) => `; provider ${id} → ${url}`).join('')}
  signed with the sandbox's own Ed25519 key (also at ${baseUrl}/sandbox/webhooks/public-key): paste it
  into the HighLevel Conversations Webhook Trigger's Public Key field
${sandbox.webhooks.publicKeyPem}
${options.traffic > 0 ? `Traffic: ~${options.traffic} events per minute` : 'Traffic: none (use --traffic <events per minute>)'}
Press Ctrl-C to stop.`);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping the sandbox...');
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());

	if (options.traffic > 0) {
		const intervalMs = Math.max(50, Math.round(60_000 / options.traffic));
		// Roughly one new conversation for every four inbound messages, one event per interval.
		while (!stopping) {
			await sandbox.simulate({ inboundMessages: 4, newConversations: 1, intervalMs });
			if (!stopping) await new Promise((resolve) => setTimeout(resolve, intervalMs));
		}
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
