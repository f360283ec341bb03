export * from './deployment-status.js';
export * from './errors.js';
export * from './ids.js';
export * from './names.js';
export * from './auth-header.js';
export * from './json-limits.js';
export * from './health.js';
export * from './within.js';
