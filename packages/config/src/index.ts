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
  storageFields,
  urlWith,
} from './fields.js';
