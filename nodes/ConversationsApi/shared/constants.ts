/** Facts about the Conversations API's limits that the node, its trigger and its tests share. */

/** The largest page each list endpoint serves. */
export const PAGE_SIZE = {
	conversations: 100,
	messages: 100,
	exportMax: 500,
	exportMin: 10,
	/** GET /oauth/installedLocations (an agency's sub-accounts). */
	installedLocations: 100,
	/** POST /contacts/search, as the Contact picker asks for it (a page of a list search). */
	contactsSearch: 20,
} as const;

/**
 * HighLevel's documented burst limit per app and sub-account. The node paces by it until the
 * API's X-RateLimit-* headers say otherwise.
 */
export const RATE_LIMIT = { max: 100, intervalMs: 10_000 } as const;
