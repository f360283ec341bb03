export * from './queues.js';
export * from './reconcile-queue.js';
export * from './redis-connection.js';
