/**
 * The models this simulator serves: the base model(s) from
 * NIM_SERVED_MODEL_NAME and LoRA adapters, named in SIM_LORA_ADAPTERS or
 * found as subdirectories of NIM_PEFT_SOURCE. The directory is listed at
 * start and, when NIM_PEFT_REFRESH_INTERVAL is set, again on that interval,
 * as NIM does; lookups never touch the disk.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelLookup } from './openai.request.js';

export interface CatalogOptions {
  servedModels: string[];
  maxModelLen: number;
  loraAdapters: string[];
  peftSource: string | null;
  peftRefreshIntervalS: number | null;
  log: (line: string) => void;
}

export class ModelCatalog implements ModelLookup {
  readonly baseModel: string;
  readonly maxModelLen: number;
  private adapterIds: string[] = [];
  private served: Set<string>;
  private listBody: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  /** The last listing error, so a missing directory is logged once, not on every refresh. */
  private listError: string | null = null;
  /** Seconds, as OpenAI's `created`: when this process started serving. */
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(private readonly options: CatalogOptions) {
    this.baseModel = options.servedModels[0];
    this.maxModelLen = options.maxModelLen;
    this.served = new Set(options.servedModels);
  }

  /** Lists the adapters once, then keeps the listing fresh if an interval is set. */
  async start(): Promise<void> {
    await this.refresh();
    const { peftSource, peftRefreshIntervalS } = this.options;
    if (peftSource !== null && peftRefreshIntervalS !== null) {
      this.timer = setInterval(() => void this.refresh(), peftRefreshIntervalS * 1000);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  isServed(id: string): boolean {
    return this.served.has(id);
  }

  get adapters(): readonly string[] {
    return this.adapterIds;
  }

  /** The /v1/models body, cached until the adapters change. */
  listJson(): string {
    this.listBody ??= JSON.stringify({
      object: 'list',
      data: [
        ...this.options.servedModels.map((id) => this.card(id, id, null)),
        ...this.adapterIds.map((id) => this.card(id, id, this.baseModel)),
      ],
    });
    return this.listBody;
  }

  /** Re-lists the adapters; concurrent calls share one listing. */
  refresh(): Promise<void> {
    this.refreshing ??= this.listAdapters()
      .then((ids) => this.setAdapters(ids))
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async listAdapters(): Promise<string[]> {
    const ids = new Set(this.options.loraAdapters);
    const dir = this.options.peftSource;
    if (dir !== null) {
      try {
        for (const id of await subdirectories(dir)) ids.add(id);
        this.listError = null;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        if (code !== this.listError) this.options.log(`nim-sim: cannot list NIM_PEFT_SOURCE ${dir}: ${code}`);
        this.listError = code;
      }
    }
    // An adapter cannot shadow a base model.
    return [...ids].filter((id) => !this.options.servedModels.includes(id)).sort();
  }

  private setAdapters(ids: string[]): void {
    if (ids.length === this.adapterIds.length && ids.every((id, i) => id === this.adapterIds[i])) return;
    this.adapterIds = ids;
    this.served = new Set([...this.options.servedModels, ...ids]);
    this.listBody = null;
  }

  private card(id: string, root: string, parent: string | null): Record<string, unknown> {
    return {
      id,
      object: 'model',
      created: this.created,
      owned_by: 'system',
      root,
      parent,
      max_model_len: this.maxModelLen,
      permission: [
        {
          id: `modelperm-${id}`,
          object: 'model_permission',
          created: this.created,
          allow_create_engine: false,
          allow_sampling: true,
          allow_logprobs: true,
          allow_search_indices: false,
          allow_view: true,
          allow_fine_tuning: false,
          organization: '*',
          group: null,
          is_blocking: false,
        },
      ],
    };
  }
}

/** Visible subdirectories (symlinks to directories included, as mounted volumes use them). */
async function subdirectories(dir: string): Promise<string[]> {
  const ids: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(join(dir, entry.name)))))
      ids.push(entry.name);
  }
  return ids;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
