import nock from 'nock';
import { BASE_URL, OAUTH_TOKEN, TOKEN } from './engine';
import { API_VERSION } from '../../credentials/constants';

/** Headers every request of the node must carry. */
export function apiHeaders(token = TOKEN, version = API_VERSION) {
	return { authorization: `Bearer ${token}`, version, accept: 'application/json' };
}

/**
 * The API as nock: only requests with these exact headers match. Interceptors then fix the
 * method, path, query (`.query({...})` is exact) and body (an object body is compared exactly).
 */
export function api(options: { token?: string; version?: string; baseUrl?: string } = {}) {
	return nock(options.baseUrl ?? BASE_URL, {
		reqheaders: apiHeaders(options.token ?? TOKEN, options.version),
	});
}

export const oauthApi = () => api({ token: OAUTH_TOKEN });

export const rl = (value: string) => ({ __rl: true, mode: 'id', value });

/** The json of the output items. */
export const json = (items: Array<{ json: unknown }>) => items.map((item) => item.json);
