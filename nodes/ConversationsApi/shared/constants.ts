/** Facts about the Conversations API that the node, its credentials and its tests share. */

export const DEFAULT_BASE_URL = 'https://services.leadconnectorhq.com';

/** Every request names the API version; one operation exists only at v3. */
export const API_VERSION = '2021-04-15';
export const API_VERSION_V3 = 'v3';
/** The Contacts and Users APIs (assigning a conversation, the user pickers) take this Version. */
export const API_VERSION_CONTACTS = '2021-07-28';

/** Sent with every request (the v3 operation overrides Version). */
export const API_HEADERS = { Accept: 'application/json', Version: API_VERSION };

export const OAUTH_AUTHORIZATION_URL = {
	standard: 'https://marketplace.gohighlevel.com/v2/oauth/chooselocation',
	whiteLabel: 'https://marketplace.leadconnectorhq.com/v2/oauth/chooselocation',
};

export const OAUTH_SCOPES = [
	'conversations.readonly',
	'conversations.write',
	'conversations/message.readonly',
	'conversations/message.write',
	'conversations/livechat.write',
	// Conversation → Assign sets the contact's assigned user (and reads the contact for "Only If
	// Unassigned" by contact); the user pickers list the location's users.
	'contacts.readonly',
	'contacts.write',
	'users.readonly',
];

/**
 * What an agency (company) connection adds: `oauth.write` exchanges the company token for a
 * sub-account's (POST /oauth/locationToken), `oauth.readonly` lists the sub-accounts where the app
 * is installed (GET /oauth/installedLocations). Both are "Agency-Access-Only" in the OAuth spec.
 */
export const AGENCY_SCOPES = ['oauth.readonly', 'oauth.write'];

/** The OAuth endpoints (location tokens, installed locations) are served at this API version. */
export const OAUTH_API_VERSION = '2021-07-28';

/** The credential's "Connect As" choice. */
export const ACCOUNT_TYPE = { subAccount: 'subAccount', agency: 'agency' } as const;

export const CREDENTIAL_TYPE = {
	privateIntegrationToken: 'conversationsApi',
	marketplaceApp: 'conversationsOAuth2Api',
} as const;

/** The largest page each list endpoint serves. */
export const PAGE_SIZE = {
	conversations: 100,
	messages: 100,
	exportMax: 500,
	exportMin: 10,
} as const;

/**
 * HighLevel's documented burst limit per app and sub-account. The node paces by it until the
 * API's X-RateLimit-* headers say otherwise.
 */
export const RATE_LIMIT = { max: 100, intervalMs: 10_000 } as const;

/** The Contacts API (the contact picker's search): its version and the scope it needs. */
export const CONTACTS_API_VERSION = '2021-07-28';
export const CONTACTS_READ_SCOPE = 'contacts.readonly';
