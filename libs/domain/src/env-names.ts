/**
 * Environment variables a deployment config may set for its server. A name
 * must be a portable one, and must not be a variable that makes a program
 * load or run code it was not asked to: from the API such a variable is code
 * execution as the server's user (a local instance's is the worker's host),
 * whatever the server is. Matching is case-sensitive, as the kernel and the
 * C library match (`ld_preload` is an ordinary variable).
 *
 * What is not here, on purpose: `MALLOC_*` and the like tune an allocator and
 * load nothing (`MALLOC_ARENA_MAX` is common advice for Python servers);
 * `NIM_*`, `HF_*`, `VLLM_*` are the servers' own settings (trusting a model
 * repository's code is the model entity's `trust_remote_code`, as in NeMo).
 */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every name with one of these prefixes: the dynamic linkers' (glibc, musl, macOS). */
const CODE_LOADING_PREFIXES = ['LD_', 'DYLD_'] as const;

/** Each with what it does, for the message (a Map: `constructor` is not one of them). */
const CODE_LOADING_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // C library: module paths and the tunables parser (CVE-2023-4911)
    GCONV_PATH: 'loads iconv modules',
    GLIBC_TUNABLES: 'reconfigures the C library at load time',
    LOCPATH: 'loads locale data files',
    OPENSSL_CONF: 'may load OpenSSL engines (shared libraries)',
    OPENSSL_ENGINES: 'loads OpenSSL engines (shared libraries)',
    // Node.js
    NODE_OPTIONS: 'passes options such as --import and --require to Node.js',
    NODE_PATH: 'adds module directories to Node.js',
    NODE_REPL_EXTERNAL_MODULE: 'loads a module into Node.js',
    // Python
    PYTHONPATH: 'adds module directories to Python',
    PYTHONHOME: 'replaces the Python standard library',
    PYTHONSTARTUP: 'runs a file when Python starts',
    PYTHONINSPECT: 'opens an interactive Python prompt',
    PYTHONUSERBASE: "moves Python's user site-packages (whose .pth files run code)",
    PYTHONPLATLIBDIR: "moves Python's library directory",
    PYTHONBREAKPOINT: 'imports a function to call on breakpoint()',
    // Perl, Ruby, Java
    PERL5OPT: 'passes options such as -M to Perl',
    PERL5LIB: 'adds module directories to Perl',
    PERLLIB: 'adds module directories to Perl',
    PERL5DB: 'runs debugger code in Perl',
    RUBYOPT: 'passes options such as -r to Ruby',
    RUBYLIB: 'adds library directories to Ruby',
    JAVA_TOOL_OPTIONS: 'passes options such as -javaagent to the JVM',
    _JAVA_OPTIONS: 'passes options such as -javaagent to the JVM',
    JDK_JAVA_OPTIONS: 'passes options such as -javaagent to the java launcher',
    CLASSPATH: 'adds classes to the JVM',
    // Shells: NIM containers start through bash scripts
    BASH_ENV: 'runs a file when bash starts a script',
    ENV: 'runs a file when sh starts',
    SHELLOPTS: 'turns on bash options such as xtrace (with PS4, code)',
    BASHOPTS: 'turns on bash options',
    PS4: 'is expanded, command substitutions included, by bash -x',
    PROMPT_COMMAND: 'runs a command in bash',
    IFS: 'changes how shell scripts split words',
    // Which programs a start script runs
    PATH: 'decides which programs run',
  }),
);

/** Why `name` is not a portable environment variable name, or null. */
export function envNameSyntaxProblem(name: string): string | null {
  return ENV_NAME_PATTERN.test(name)
    ? null
    : `'${name}' is not an environment variable name: letters, digits and _, not starting with a digit`;
}

/**
 * Why `name` may not be set by a config, or null when it may. `allowed`:
 * names the operator allows all the same (CONFIG_ENV_ALLOW).
 */
export function envNameProblem(name: string, allowed: ReadonlySet<string> = new Set()): string | null {
  const syntax = envNameSyntaxProblem(name);
  if (syntax !== null || allowed.has(name)) return syntax;
  const prefix = CODE_LOADING_PREFIXES.find((p) => name.startsWith(p));
  const effect = prefix !== undefined ? 'configures the dynamic linker' : CODE_LOADING_NAMES.get(name);
  if (effect === undefined) return null;
  return `${name} may not be set: it ${effect}, which would run code the server was not meant to run (an operator can allow it with CONFIG_ENV_ALLOW)`;
}

/** Names in a comma-separated list (spaces around names ignored, empty entries dropped). */
export function parseEnvNameList(list: string): Set<string> {
  return new Set(
    list
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
}
