import nock from 'nock';

// Every request must be answered by a test's own interceptor: nothing reaches the network.
beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	const pending = nock.pendingMocks();
	nock.cleanAll();
	if (pending.length) throw new Error(`Expected requests were not made: ${pending.join(', ')}`);
});
// Each test file loads its own nock, but Node's http module is shared by the worker: unpatch it.
afterAll(() => nock.restore());
