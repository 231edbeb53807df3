/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test support, never shipped: yields with Node's timers. */
import nock from 'nock';
import { resetRateBudgets } from '../../nodes/ConversationsApi/shared/rateLimit';
import { installVirtualClock, restoreClock, virtualClock } from './clock';
import { saveWait } from '../../nodes/ConversationsApi/shared/oauthRefresh';

// A refused OAuth2 refresh looks for the winner's saved token in real time (see oauthRefresh.ts): at once here.
saveWait.sleep = async () => await new Promise((resolve) => setImmediate(resolve));

// Every request must be answered by a test's own interceptor: nothing reaches the network.
beforeAll(() => {
	nock.disableNetConnect();
	// Rate-limit windows and retry backoffs pass in virtual time (see clock.ts).
	installVirtualClock();
});
afterEach(() => {
	// Each test starts like a fresh n8n process: no rate-limit budget carried over.
	resetRateBudgets();
	virtualClock.clear();
	const pending = nock.pendingMocks();
	nock.cleanAll();
	if (pending.length) throw new Error(`Expected requests were not made: ${pending.join(', ')}`);
});
// Each test file loads its own nock, but Node's http module is shared by the worker: unpatch it.
afterAll(() => {
	nock.restore();
	restoreClock();
});
