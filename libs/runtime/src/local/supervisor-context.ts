import type { InstanceChange } from '../runtime.js';
import type { CommandTemplate } from './command-template.js';
import type { InstanceRecord, InstanceStore } from './instance-store.js';
import type { InstanceUser } from './instance-user.js';
import type { ResolvedLocalRuntimeOptions, RuntimeLogger } from './local-runtime.options.js';
import type { PortBook } from './ports.js';
import type { ProcessLauncher } from './process-launcher.js';

/** What LocalRuntime shares with each of its InstanceSupervisors. */
export interface SupervisorContext {
  options: ResolvedLocalRuntimeOptions;
  command: CommandTemplate;
  store: InstanceStore;
  ports: PortBook;
  logger: RuntimeLogger;
  launcher: ProcessLauncher;
  /** The user instances run as (set once the runtime has loaded), or null for the worker's own. */
  runAs: InstanceUser | null;
  /** Told of every change of an instance (see Runtime.watch). */
  changed(record: InstanceRecord, change: InstanceChange): void;
}

/** What a supervisor knows about one instance beyond its observation (for tooling and tests). */
export interface LocalInstanceInfo {
  instanceId: string;
  state: InstanceRecord['state'];
  /** The server process, while one runs. */
  pid: number | null;
  pgid: number | null;
  port: number | null;
  gpuIds: number[];
  argv: string[];
  /** Not started by this runtime but taken over from an earlier one. */
  adopted: boolean;
  logPath: string;
  recordPath: string;
}
