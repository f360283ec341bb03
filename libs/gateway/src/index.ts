export * from './balancer.js';
export * from './gateway-error.js';
export * from './gateway.proxy.js';
export * from './model-rewrite.js';
export * from './routing-source.js';
export * from './routing-table.js';
export * from './upstream-request.js';
