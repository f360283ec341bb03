import { envNameProblem, envNameSyntaxProblem, parseEnvNameList } from './env-names.js';

describe('envNameProblem', () => {
  it.each(['LD_PRELOAD', 'LD_ANYTHING_NEW', 'DYLD_INSERT_LIBRARIES', 'NODE_OPTIONS', 'PYTHONHOME', 'RUBYOPT', 'IFS'])(
    'refuses %s, naming it',
    (name) => expect(envNameProblem(name)).toMatch(new RegExp(`^${name} may not be set: it `)),
  );

  it.each([
    'ld_preload',
    'Node_Options',
    'LDFLAGS',
    'NIM_MAX_MODEL_LEN',
    'MALLOC_ARENA_MAX',
    'constructor',
    '__proto__',
  ])('accepts %s (case-sensitive, exact names and prefixes only)', (name) => expect(envNameProblem(name)).toBeNull());

  it('accepts a refused name the operator allows, and only that one', () => {
    const allowed = parseEnvNameList(' NODE_OPTIONS ,,LD_LIBRARY_PATH');
    expect([...allowed]).toEqual(['NODE_OPTIONS', 'LD_LIBRARY_PATH']);
    expect(envNameProblem('NODE_OPTIONS', allowed)).toBeNull();
    expect(envNameProblem('LD_LIBRARY_PATH', allowed)).toBeNull();
    expect(envNameProblem('LD_PRELOAD', allowed)).toMatch(/^LD_PRELOAD/);
  });

  it.each(['', '1X', 'A-B', 'A=B', 'A B', 'É'])('refuses %j as not a name, even when allowed', (name) => {
    expect(envNameSyntaxProblem(name)).toMatch(/is not an environment variable name/);
    expect(envNameProblem(name, new Set([name]))).toMatch(/is not an environment variable name/);
  });
});
