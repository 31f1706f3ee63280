// What other workspaces may use of the API (the e2e harness, `npm start`): start it in-process with a config, and
// make an instance admin as `npm run admin -- create` does.
export { loadApiConfig, type ApiConfig } from './config.js';
export { startApi, type RunningApi } from './server.js';
export { offlineOpenApiDocument } from './openapi/offline-document.js';
export { AccountExistsError, createInstanceAdmin } from './commands/create-instance-admin.js';
