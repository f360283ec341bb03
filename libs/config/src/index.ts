export * from './platform.config.js';
export * from './access.config.js';
export * from './api.config.js';
export * from './env.js';
export * from './worker.config.js';
export * from './gateway.config.js';
export * from './startup-failure.js';
