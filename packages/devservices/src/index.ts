export { startPostgres, type PostgresOptions, type Service } from './postgres.js';
export { startRedis } from './redis.js';
export { SmtpSink, type ReceivedMail, type SinkPolicy } from './smtp-sink.js';
export { freePort } from './processes.js';
export { startS3Server } from './s3-server.js';
export { OidcTestProvider, type OidcAccount, type OidcClientRegistration } from './oidc-provider.js';
