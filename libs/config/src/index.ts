export * from './api.config.js';
export * from './env.js';
export * from './worker.config.js';
export * from './gateway.config.js';
