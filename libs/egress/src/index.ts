export * from './egress-policy.js';
export * from './egress-connect.js';
