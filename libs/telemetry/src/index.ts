export * from './request-context.js';
export * from './logger.js';
export * from './metrics.js';
export * from './tracing.js';
export * from './http-requests.js';
export * from './telemetry.js';
export * from './nest/telemetry.module.js';
export * from './nest/readiness.js';
