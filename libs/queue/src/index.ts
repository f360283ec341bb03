export * from './queue-backend.js';
export * from './queue-link.js';
export * from './queues.js';
export * from './reconcile-queue.js';
export * from './redis-connection.js';
