import { Workflow, type INodeTypes } from 'n8n-workflow';
import { ConversationsOAuth2Api } from '../../credentials/ConversationsOAuth2Api.credentials';

/** Resolves the credential's expression defaults the way n8n does for `$self` (the credential's own values). */
function resolve(expression: string, self: Record<string, unknown>): unknown {
	const nodeTypes = { getByName: () => undefined, getByNameAndVersion: () => undefined } as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes });
	return workflow.expression.getParameterValue(expression, null, 0, 0, 'credential', [], 'internal', {
		$self: self,
	});
}

describe('OAuth2 credential URLs', () => {
	const properties = Object.fromEntries(
		new ConversationsOAuth2Api().properties.map((property) => [property.name, property.default as string]),
	);

	it.each([
		['standard', 'https://marketplace.gohighlevel.com/v2/oauth/chooselocation'],
		['whiteLabel', 'https://marketplace.leadconnectorhq.com/v2/oauth/chooselocation'],
	])('the %s marketplace signs in on %s', (marketplace, url) => {
		expect(resolve(properties.authUrl, { marketplace })).toBe(url);
	});

	it.each([
		['https://services.leadconnectorhq.com', 'https://services.leadconnectorhq.com/oauth/token'],
		['http://127.0.0.1:4010/', 'http://127.0.0.1:4010/oauth/token'],
		['', 'https://services.leadconnectorhq.com/oauth/token'],
	])('with Base URL "%s" the token URL is %s', (baseUrl, url) => {
		expect(resolve(properties.accessTokenUrl, { baseUrl })).toBe(url);
	});
});
