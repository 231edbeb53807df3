import nock from 'nock';

// Every request must be answered by a test's own interceptor: nothing reaches the network.
beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	const pending = nock.pendingMocks();
	nock.cleanAll();
	if (pending.length) throw new Error(`Expected requests were not made: ${pending.join(', ')}`);
});
