export { CommandTemplate, splitShellWords, type CommandInput, type CommandVars } from './command-template.js';
export { LocalRuntime } from './local.runtime.js';
export type { LocalRuntimeOptions, RestartBackoff, RuntimeLogger } from './local-runtime.options.js';
export type { LocalInstanceInfo } from './supervisor-context.js';
export { INSTANCE_ID_VAR, STATE_DIR_VAR } from './process-table.js';
