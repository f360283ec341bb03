#!/usr/bin/env node
// The compiled CLI (cli/dist) is built by `npm run build` at the repository's root (`npm start` and `npm test`
// build it too), or by `npm run build` in cli/.
const entry = new URL('../dist/main.js', import.meta.url);
let main;
try {
  ({ main } = await import(entry.href));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(entry.pathname)) throw error;
  process.stderr.write('modelplane is not built yet: run `npm run build` in the repository (or in cli/)\n');
  process.exit(2);
}
process.exitCode = await main(process.argv);
