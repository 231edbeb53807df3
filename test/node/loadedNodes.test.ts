/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
   a test that checks the built package on disk, as n8n loads it. */
/**
 * The built package (`dist/`, from `./dev build`) loaded as n8n's server loads a community package
 * for the editor: n8n-core's PackageDirectoryLoader reads package.json's `n8n` section, the node and
 * credential classes and the codex files (`*.node.json`). The checks are on what the editor then has:
 * - the nodes panel search (n8n's editor, `useNodesSearch`: sublimeSearch over
 *   `properties.displayName` and `properties.codex.alias`, the word "trigger" removed from the query);
 * - the panel's actions (each Operation option's `action`) and their descriptions;
 * - the type names saved workflows refer to.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PackageDirectoryLoader } from 'n8n-core';
import { NodeHelpers, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import { PACKAGE } from '../support/nodes';
// n8n's own fuzzy search (the package the editor bundles it from; a dependency of n8n-core's).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sublimeSearch } = require('@n8n/utils/dist/search/sublime-search') as {
	sublimeSearch: <T extends object>(
		filter: string,
		data: readonly T[],
		keys: Array<{ key: string; weight: number }>,
	) => Array<{ score: number; item: T }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const baseNodes = require('n8n-nodes-base/dist/types/nodes.json') as INodeTypeDescription[];

const ROOT = path.resolve(__dirname, '../..');

/** The newest modification time of the files under these folders. */
function newest(...folders: string[]): number {
	let latest = 0;
	const visit = (target: string) => {
		const stat = statSync(target);
		if (stat.isDirectory()) for (const entry of readdirSync(target)) visit(path.join(target, entry));
		else latest = Math.max(latest, stat.mtimeMs);
	};
	for (const folder of folders) visit(path.join(ROOT, folder));
	return latest;
}

const QUERIES = ['HighLevel', 'GoHighLevel', 'GHL', 'LeadConnector', 'Conversations', 'SMS', 'WhatsApp'];

let nodes: INodeTypeDescription[];
let loader: PackageDirectoryLoader;

beforeAll(async () => {
	const built = path.join(ROOT, 'dist/nodes/ConversationsApi/ConversationsApi.node.js');
	if (!existsSync(built) || statSync(built).mtimeMs < newest('nodes', 'credentials', 'icons') - 1000) {
		throw new Error('dist/ is missing or older than the sources: run `./dev build` before this test');
	}
	loader = new PackageDirectoryLoader(ROOT);
	await loader.loadAll();
	nodes = loader.types.nodes;
});

const byName = (name: string) => nodes.find((node) => node.name === name) as INodeTypeDescription;

/** What the editor's search matches on, lower case (the query must be a substring: stricter than its fuzzy match). */
function searchable(node: INodeTypeDescription): string[] {
	return [node.displayName, ...(node.codex?.alias ?? [])].map((text) => text.toLowerCase());
}

describe('The built package, loaded as n8n loads it', () => {
	it('keeps the node and credential type names saved workflows refer to', () => {
		expect(loader.packageName).toBe(PACKAGE);
		expect(nodes.map((node) => node.name).sort()).toEqual(['conversationsApi', 'conversationsApiTrigger', 'highLevelWebhookTrigger']);
		expect(loader.types.credentials.map((credential) => credential.name).sort()).toEqual(['conversationsApi', 'conversationsOAuth2Api']);
	});

	it('shows names that say HighLevel', () => {
		expect(nodes.map((node) => [node.name, node.displayName, node.defaults.name])).toEqual([
			['conversationsApi', 'HighLevel Conversations', 'HighLevel Conversations'],
			['conversationsApiTrigger', 'HighLevel Conversations Trigger', 'HighLevel Conversations Trigger'],
			['highLevelWebhookTrigger', 'HighLevel Conversations Webhook Trigger', 'HighLevel Webhook Trigger'],
		]);
		expect(loader.types.credentials.map((credential) => credential.displayName)).toEqual([
			'HighLevel Private Integration API',
			'HighLevel Conversations OAuth2 API',
		]);
	});

	it("the credential dialogs open with guidance (a notice naming the scopes, the picker's included) and fitting examples", () => {
		for (const credential of loader.types.credentials) {
			const added = credential.properties.filter((property) => property.type !== 'hidden');
			expect(added[0].type).toBe('notice');
			expect(added[0].displayName).toContain('contacts.readonly');
			const location = credential.properties.find((property) => property.name === 'locationId');
			// Not the Message ID example the API's spec uses (ve9EPM428h8vShlRW1KT).
			expect(location?.placeholder).toBe('e.g. GkPr7zXyTq2mN8vLs4Wd');
		}
		const oauth = loader.types.credentials.find((credential) => credential.name === 'conversationsOAuth2Api');
		expect(oauth?.properties.filter((property) => property.type !== 'hidden').map((property) => property.name)).toEqual([
			'appNotice',
			'accountType',
			'marketplace',
			// One Scope field per Connect As choice (an agency's adds the OAuth scopes), and its App ID.
			'scope',
			'scope',
			'appId',
			'locationId',
			'baseUrl',
		]);
	});

	it.each(QUERIES)('the nodes panel finds all three nodes by "%s" (display name or codex alias)', (query) => {
		const wanted = query.toLowerCase().replace('trigger', '');
		for (const node of nodes) {
			expect([node.name, searchable(node).some((text) => text.includes(wanted))]).toEqual([node.name, true]);
		}
	});

	it.each(QUERIES)(
		'with n8n\'s own search (sublimeSearch, the editor\'s keys and weights) over every n8n-nodes-base node and ours, "%s" lists all three of ours among the first 8',
		(query) => {
			// As n8n 2.41.1's editor bundle (workflows.store): displayName weight 1.3, codex.alias weight 1.
			const keys = [
				{ key: 'properties.displayName', weight: 1.3 },
				{ key: 'properties.codex.alias', weight: 1 },
			];
			const elements = [...baseNodes, ...nodes].map((properties) => ({ properties }));
			const found = sublimeSearch(query.toLowerCase().replace('trigger', ''), elements, keys).map(
				({ item }) => item.properties.displayName,
			);
			expect(found.slice(0, 8)).toEqual(
				expect.arrayContaining(['HighLevel Conversations', 'HighLevel Conversations Trigger', 'HighLevel Conversations Webhook Trigger']),
			);
		},
	);

	it('files the nodes under Communication, with light and dark icons that exist', () => {
		for (const node of nodes) {
			expect(node.codex?.categories).toEqual(expect.arrayContaining(['Communication']));
			const icon = node.iconUrl as { light: string; dark: string };
			expect(icon.light).not.toBe(icon.dark);
			for (const url of [icon.light, icon.dark]) {
				// iconUrl is icons/<package>/<path in the package>.
				expect(existsSync(path.join(ROOT, url.replace(`icons/${PACKAGE}/`, '')))).toBe(true);
			}
		}
	});

	it("links documentation that exists before publishing first (HighLevel's own pages)", () => {
		for (const node of nodes) {
			expect(node.codex?.resources?.primaryDocumentation?.[0].url).toMatch(/^https:\/\/marketplace\.gohighlevel\.com\/docs\//);
		}
		for (const credential of loader.types.credentials) {
			expect(credential.documentationUrl).toMatch(/^https:\/\/(marketplace|help)\.gohighlevel\.com\//);
		}
	});

	describe("the action node's actions", () => {
		const operations = () => {
			const node = byName('conversationsApi');
			return node.properties
				.filter((property) => property.name === 'operation')
				.flatMap((property) =>
					(property.options as Array<{ name: string; value: string; action?: string; description?: string }>).map((option) => ({
						resource: String(property.displayOptions?.show?.resource?.[0]),
						...option,
					})),
				);
		};

		it('every operation has an action and a description', () => {
			const missing = operations().filter((option) => !option.action || !option.description);
			expect(missing.map((option) => `${option.resource}.${option.value}`)).toEqual([]);
		});

		it('no action name repeats', () => {
			const actions = operations().map((option) => option.action);
			expect(actions.filter((action, index) => actions.indexOf(action) !== index)).toEqual([]);
		});

		it('each action starts with the words of its operation ("Get Many" → "Get many …")', () => {
			const disagreeing = operations().filter((option) => {
				const words = option.name.toLowerCase().split(' ');
				const verb = option.name === 'Get Many' ? 'get many' : words[0];
				return !String(option.action).toLowerCase().startsWith(verb);
			});
			expect(disagreeing.map((option) => `${option.name} / ${option.action}`)).toEqual([]);
		});

		it('the canvas subtitle is the action', () => {
			expect(byName('conversationsApi').subtitle).toContain('"message.send":"Send a message"');
			expect(byName('conversationsApi').subtitle).toContain('"conversation.getAll":"Get many conversations"');
		});
	});

	it('the Retry On Fail notice shows on the operations that send a message, and only there', () => {
		const node = byName('conversationsApi');
		const shownOn = node.properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) =>
				(property.options as Array<{ value: string }>).map((option) => ({
					resource: String(property.displayOptions?.show?.resource?.[0]),
					operation: option.value,
				})),
			)
			.filter((values) =>
				node.properties.some(
					(property) => property.name === 'retryOnFailNotice' && NodeHelpers.displayParameter(values, property, null, node),
				),
			)
			.map(({ resource, operation }) => `${resource}.${operation}`);
		expect(shownOn).toEqual(['message.send', 'message.sendAndWait', 'message.sendReviewReply']);
	});

	it('a hint that names a channel shows only for that channel', () => {
		const node = byName('conversationsApi');
		const channels = ['Email', 'SMS', 'WhatsApp'];
		const misplaced: string[] = [];
		const check = (property: INodeProperties) => {
			for (const channel of channels) {
				if (!new RegExp(`\\b${channel}\\b`).test(property.hint ?? '')) continue;
				for (const other of ['SMS', 'Email'].filter((type) => type !== channel)) {
					const show = property.displayOptions?.show ?? {};
					const values = { resource: String(show.resource?.[0]), operation: String(show.operation?.[0]), type: other };
					const shown = NodeHelpers.displayParameter(values, property, null, node);
					if (shown) misplaced.push(`${property.name} (${channel} hint, shown for ${other})`);
				}
			}
		};
		node.properties.forEach(check);
		expect(misplaced).toEqual([]);
	});
});
