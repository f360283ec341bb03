/**
 * Loaded (`--import`) into the API and the worker by the lifecycle benchmark
 * when BENCH_PROFILE=1, next to `--cpu-prof`: exits at once on SIGTERM, so the
 * profile is written (a graceful shutdown re-raises the signal, and a process
 * killed by a signal writes none). The benchmark stops them only when nothing
 * is left to shut down gracefully.
 */
process.prependListener('SIGTERM', () => process.exit(0));
