export { ConfigError, exitOnConfigError, loadConfig } from './load.js';
export {
  checkServerTls,
  coreFields,
  databaseUrl,
  dataEncryptionKey,
  emailList,
  logLevel,
  port,
  s3Fields,
  serverTlsFields,
  serverTlsOptions,
  storageFields,
  urlWith,
} from './fields.js';
