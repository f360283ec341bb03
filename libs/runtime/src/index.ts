export * from './nim-env.js';
export * from './runtime.js';
export * from './local/index.js';
export * from './kubernetes/nim.compiler.js';
export * from './kubernetes/kubernetes.runtime.js';
export * from './kubernetes/instance-status.js';
