import { correctedSpec, specValidator, SPEC_CORRECTIONS } from '../support/spec';

describe('Spec validator (official spec, corrected only as listed)', () => {
	it('loads the official spec strictly after the listed corrections', async () => {
		const validator = await specValidator();
		expect(validator.operationOf({ method: 'GET', path: '/conversations/search' })).toBe('search-conversation');
		expect(validator.operationOf({ method: 'GET', path: '/conversations/messages/abc' })).toBe('get-message');
		expect(SPEC_CORRECTIONS.length).toBeGreaterThan(0);
		expect(JSON.stringify(correctedSpec())).not.toContain('common-schemas.json');
	});

	it('accepts a request and response that follow the spec', async () => {
		const validator = await specValidator();
		const problems = validator.validate({
			method: 'GET',
			path: '/conversations/search',
			query: { locationId: 'loc', limit: '10', startAfterDate: '1700000000000' },
			headers: { version: '2021-04-15', authorization: 'Bearer x' },
			status: 200,
			responseHeaders: { 'content-type': 'application/json' },
			responseBody: {
				total: 1,
				conversations: [
					{
						id: 'c',
						contactId: 'k',
						locationId: 'loc',
						lastMessageBody: 'hi',
						lastMessageType: 'TYPE_SMS',
						type: 'TYPE_PHONE',
						unreadCount: 0,
						fullName: 'A B',
						contactName: 'A B',
						email: 'a@b.c',
						phone: '+1',
					},
				],
			},
		});
		expect(problems).toEqual([]);
	});

	it('reports what deviates: a missing Version header, a missing required response field', async () => {
		const validator = await specValidator();
		const problems = validator.validate({
			method: 'GET',
			path: '/conversations/search',
			query: { locationId: 'loc' },
			headers: {},
			status: 200,
			responseHeaders: {},
			responseBody: { conversations: [] },
		});
		expect(problems.join('\n')).toMatch(/version/i);
		expect(problems.join('\n')).toMatch(/total/);
	});
});
