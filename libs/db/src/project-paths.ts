import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the nearest ancestor of this file holding
 * prisma/schema.prisma. Works from the TypeScript sources (tests) and from the
 * compiled output under dist/, whose depths differ.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'prisma', 'schema.prisma'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find prisma/schema.prisma above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function migrationPaths(): { migrationsDir: string; schemaPath: string } {
  const root = projectRoot();
  return { migrationsDir: join(root, 'prisma', 'migrations'), schemaPath: join(root, 'prisma', 'schema.prisma') };
}
