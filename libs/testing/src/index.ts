export * from './test-database.js';
export * from './kube-test-cluster.js';
export * from './oidc-issuer.js';
export * from './clean-up.js';
