import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AccessConfig } from '#config';
import type { AccessRepository } from '#db';
import { newId } from '#domain';
import { apiKeyPrefix, BOOTSTRAP_PREFIX, generateApiKey, hashApiKey } from './api-key.js';

/** The PlatformAdmin the bootstrap creates. */
export const BOOTSTRAP_PRINCIPAL = 'admin';
const BOOTSTRAP_KEY_ID = 'apikey-bootstrap';

export interface BootstrapLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Secure by default, easy to start: with MODELPLANE_BOOTSTRAP_ADMIN_KEY, that key (its hash) is the
 * PlatformAdmin's, replacing the previous one; without it, on the first start with no principals, a
 * PlatformAdmin key is created and written to MODELPLANE_ADMIN_KEY_FILE (mode 0600), whose path (never
 * the key) is logged. Replicas starting together are serialised by an advisory lock.
 */
export async function bootstrapAdmin(
  config: AccessConfig,
  repository: AccessRepository,
  logger: BootstrapLogger,
): Promise<void> {
  const given = config.MODELPLANE_BOOTSTRAP_ADMIN_KEY;
  if (given) {
    const written = await repository.bootstrapAdmin(
      {
        principal: BOOTSTRAP_PRINCIPAL,
        keyId: BOOTSTRAP_KEY_ID,
        name: 'bootstrap (MODELPLANE_BOOTSTRAP_ADMIN_KEY)',
        prefix: apiKeyPrefix(given) ?? BOOTSTRAP_PREFIX,
        hash: hashApiKey(given),
      },
      false,
    );
    if (written)
      logger.log(`PlatformAdmin '${BOOTSTRAP_PRINCIPAL}' holds the key given by MODELPLANE_BOOTSTRAP_ADMIN_KEY`);
    return;
  }
  const generated = generateApiKey();
  const written = await repository.bootstrapAdmin(
    {
      principal: BOOTSTRAP_PRINCIPAL,
      keyId: newId('apikey'),
      name: 'bootstrap (first start)',
      prefix: generated.prefix,
      hash: generated.hash,
    },
    true,
  );
  if (!written) return;
  const file = resolve(config.MODELPLANE_ADMIN_KEY_FILE);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${generated.key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  logger.warn(
    `First start: created PlatformAdmin '${BOOTSTRAP_PRINCIPAL}' and wrote its API key to ${file} ` +
      '(readable by this user only). Use it as `Authorization: Bearer $(cat that file)`; issue keys of your own ' +
      'with POST /v2/iam/api-keys and keep this one safe.',
  );
}
