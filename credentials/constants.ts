/**
 * Facts about the API and its credentials: where it is served, the versions it takes, the scopes
 * it checks, how the credentials connect. The credentials own them; the nodes import them from
 * here (never the other way round).
 */

export const DEFAULT_BASE_URL = 'https://services.leadconnectorhq.com';

/** The Conversations API's version, sent with every request of the node. */
export const API_VERSION = '2021-04-15';
/** The one Conversations operation served only at v3 (Email → Update Status). */
export const API_VERSION_V3 = 'v3';
/**
 * The Contacts, Users and OAuth APIs' version: assigning a conversation (its contact), the user
 * and contact pickers, and an agency's sub-account tokens and installed locations.
 */
export const API_VERSION_CONTACTS_USERS_OAUTH = '2021-07-28';

/** Sent with every request (operations of another API override Version). */
export const API_HEADERS = { Accept: 'application/json', Version: API_VERSION };

/** HighLevel's scopes (an OAuth2 app or a Private Integration must have them); a 403 names them. */
export const SCOPE = {
	read: 'conversations.readonly',
	write: 'conversations.write',
	messageRead: 'conversations/message.readonly',
	messageWrite: 'conversations/message.write',
	liveChatWrite: 'conversations/livechat.write',
	/** Contacts API: a conversation's assignee is its contact's assigned user; the contact picker searches contacts. */
	contactsRead: 'contacts.readonly',
	contactsWrite: 'contacts.write',
	/** Users API: the user pickers list the location's users. */
	usersRead: 'users.readonly',
	/** Agency only: lists the sub-accounts where the app is installed (GET /oauth/installedLocations). */
	oauthRead: 'oauth.readonly',
	/** Agency only: exchanges the company token for a sub-account's (POST /oauth/locationToken). */
	oauthWrite: 'oauth.write',
} as const;

/** The scopes the OAuth2 credential asks for. */
export const OAUTH_SCOPES = [
	SCOPE.read,
	SCOPE.write,
	SCOPE.messageRead,
	SCOPE.messageWrite,
	SCOPE.liveChatWrite,
	SCOPE.contactsRead,
	SCOPE.contactsWrite,
	SCOPE.usersRead,
];

/** What an agency (company) connection adds: both are "Agency-Access-Only" in the OAuth spec. */
export const AGENCY_SCOPES = [SCOPE.oauthRead, SCOPE.oauthWrite];

export const OAUTH_AUTHORIZATION_URL = {
	standard: 'https://marketplace.gohighlevel.com/v2/oauth/chooselocation',
	whiteLabel: 'https://marketplace.leadconnectorhq.com/v2/oauth/chooselocation',
};

/** The OAuth2 credential's "Connect As" choice. */
export const ACCOUNT_TYPE = { subAccount: 'subAccount', agency: 'agency' } as const;

/** The credentials' type names (saved workflows refer to them). */
export const CREDENTIAL_TYPE = {
	privateIntegrationToken: 'conversationsApi',
	marketplaceApp: 'conversationsOAuth2Api',
} as const;
