import nock from 'nock';

/**
 * Records requests that reach nock without a matching interceptor. With no interceptor set up,
 * an empty list after the run proves that the node sent no request at all.
 */
export function unmatchedRequests(): string[] {
	const seen: string[] = [];
	nock.emitter.on('no match', (req: { method?: string; path?: string }) => {
		seen.push(`${req.method} ${req.path}`);
	});
	return seen;
}

export function stopRecordingUnmatched(): void {
	nock.emitter.removeAllListeners('no match');
}

/** Messages as the API lists them. */
export const messages = (from: number, count: number) =>
	Array.from({ length: count }, (_, i) => ({
		id: `msg-${from + i}`,
		conversationId: 'conv-1',
		messageType: 'TYPE_SMS',
		body: `Message ${from + i}`,
		direction: 'inbound',
	}));
