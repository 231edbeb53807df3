import nock from 'nock';
import { virtualClock } from './clock';
import { freshProcess } from './process';

// The node's pacing, retries and token lifetimes run on virtual time (see clock.ts).
jest.mock('../../nodes/ConversationsApi/shared/time', () => jest.requireActual<typeof import('./clock')>('./clock').virtualTime);
// Each test is a fresh process: its own rate budgets, location tokens and OAuth2 token lanes (see process.ts).
jest.mock('../../nodes/ConversationsApi/shared/rateLimit', () => {
	const actual = jest.requireActual<typeof import('../../nodes/ConversationsApi/shared/rateLimit')>(
		'../../nodes/ConversationsApi/shared/rateLimit',
	);
	const { freshProcess: fresh } = jest.requireActual<typeof import('./process')>('./process');
	return { ...actual, rateBudget: (key: string) => fresh.track(actual.rateBudget(fresh.key(key))) };
});
jest.mock('../../nodes/ConversationsApi/shared/locationTokens', () => {
	const actual = jest.requireActual<typeof import('../../nodes/ConversationsApi/shared/locationTokens')>(
		'../../nodes/ConversationsApi/shared/locationTokens',
	);
	const { freshProcess: fresh } = jest.requireActual<typeof import('./process')>('./process');
	return {
		...actual,
		agencyAccess: (...args: Parameters<typeof actual.agencyAccess>) => {
			const access = actual.agencyAccess(...args);
			return access && { ...access, key: fresh.key(access.key) };
		},
	};
});
jest.mock('../../nodes/ConversationsApi/shared/oauthRefresh', () => {
	const actual = jest.requireActual<typeof import('../../nodes/ConversationsApi/shared/oauthRefresh')>(
		'../../nodes/ConversationsApi/shared/oauthRefresh',
	);
	const { freshProcess: fresh } = jest.requireActual<typeof import('./process')>('./process');
	return {
		...actual,
		oauthLane: (context: never, type: string, key: string, ...rest: [never, boolean]) =>
			actual.oauthLane(context, type, fresh.key(key), ...rest),
	};
});

// Every request must be answered by a test's own interceptor: nothing reaches the network.
beforeAll(() => {
	nock.disableNetConnect();
});
afterEach(() => {
	freshProcess.next();
	virtualClock.clear();
	const pending = nock.pendingMocks();
	nock.cleanAll();
	if (pending.length) throw new Error(`Expected requests were not made: ${pending.join(', ')}`);
});
// Each test file loads its own nock, but Node's http module is shared by the worker: unpatch it.
afterAll(() => {
	nock.restore();
});
