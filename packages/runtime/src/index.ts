export { createLogger, serializeError, type Logger } from './logger.js';
export { Shutdown } from './shutdown.js';
export { exitIfUnreachable } from './startup.js';
