#!/usr/bin/env node
// The compiled CLI (cli/dist) is built by `npm run build` at the repository's root, or `npm run build` here.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv);
