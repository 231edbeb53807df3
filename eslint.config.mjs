import { config } from '@n8n/node-cli/eslint';

// The community-node rules are for what n8n loads; tests and dev tools are not shipped.
export default [{ ignores: ['test/**', 'jest.config.js', 'gulpfile.js'] }, ...config];
