export { ConfigError, exitOnConfigError, loadConfig } from './load.js';
export { coreFields, emailList, logLevel, port, s3Fields, urlWith } from './fields.js';
