export * from './nim-env.js';
export * from './runtime.js';
export * from './local/index.js';
export * from './kubernetes/nim.compiler.js';
