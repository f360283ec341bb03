export * from './policy.types.js';
export * from './policy.schema.js';
export * from './request-features.js';
export * from './selectors.js';
export * from './decide.js';
