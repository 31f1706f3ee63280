export { makeCertificates, type Certificates } from './certificates.js';
export { startPostgres, type PostgresOptions, type Service } from './postgres.js';
export { startRedis } from './redis.js';
export { SmtpSink, type ReceivedMail, type SinkPolicy } from './smtp-sink.js';
export { freePort } from './processes.js';
export { startS3Server } from './s3-server.js';
// The OIDC provider is `@taskstack/devservices/oidc`: loading oidc-provider here would load it in `npm start` too.
