export { ConfigError, exitOnConfigError, loadConfig } from './load.js';
export {
  coreFields,
  databaseUrl,
  dataEncryptionKey,
  emailList,
  logLevel,
  port,
  s3Fields,
  storageFields,
  urlWith,
} from './fields.js';
