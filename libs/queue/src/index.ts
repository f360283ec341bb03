export * from './queues.js';
export * from './reconcile-queue.js';
