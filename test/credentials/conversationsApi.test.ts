import { LOCATION_ID, TOKEN, credentials, testCredential } from '../support/engine';
import { api } from '../support/api';

const pit = credentials.privateIntegrationToken().conversationsApi;

describe('Private Integration Token credential', () => {
	it('tests with one search read of the location, sending Bearer and Version', async () => {
		const scope = api()
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: '1' })
			.reply(200, { conversations: [], total: 0 });

		await expect(testCredential('conversationsApi', pit)).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		[401, /token was refused \(401\).*reconnect/],
		[403, /Access denied \(403\).*conversations\.readonly.*Location ID/],
		[400, /rejected the request \(400\).*Location ID/],
	])('turns %i into a message naming the fix', async (status, message) => {
		api()
			.get('/conversations/search')
			.query(true)
			// n8n sends a request once more after a 401 (its credential refresh hook).
			.times(status === 401 ? 2 : 1)
			.reply(status, { statusCode: status, message: 'nope' });

		const result = await testCredential('conversationsApi', pit);

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain(TOKEN);
	});

	it('follows the credential Base URL (sandbox or proxy), trailing slash or not', async () => {
		const scope = api({ baseUrl: 'http://127.0.0.1:4010' })
			.get('/conversations/search')
			.query({ locationId: LOCATION_ID, limit: '1' })
			.reply(200, { conversations: [], total: 0 });

		const result = await testCredential('conversationsApi', {
			...pit,
			baseUrl: 'http://127.0.0.1:4010/',
		});

		expect(result.status).toBe('OK');
		expect(scope.isDone()).toBe(true);
	});
});
