export * from './policy.types.js';
export * from './policy.schema.js';
