import { DEFAULT_MODEL, loadSimConfig, SimConfigError } from './sim.config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSimConfig(env);
  } catch (error) {
    if (error instanceof SimConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a SimConfigError');
}

describe('loadSimConfig', () => {
  it('defaults to NIM defaults and a well-behaved simulator', () => {
    const config = loadSimConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      servedModels: [DEFAULT_MODEL],
      maxModelLen: 8192,
      peftSource: null,
      peftRefreshIntervalS: null,
      loraAdapters: [],
      tokenDelayMs: 0,
      startDelayMs: 0,
      failAtStart: null,
      neverReady: false,
      crashAfterMs: null,
      errorRate: 0,
      streamCutAfter: null,
      exitOnSigtermDelayMs: 0,
      embeddingDim: 64,
      embeddingDelayMs: 0,
      classifierRules: null,
      classifierNoise: false,
      jsonMode: 'valid',
      nimEnv: {},
    });
  });

  it('takes NIM_SERVER_PORT, and PORT over it', () => {
    expect(loadSimConfig({ NIM_SERVER_PORT: '9001' }).port).toBe(9001);
    expect(loadSimConfig({ NIM_SERVER_PORT: '9001', PORT: '9002' }).port).toBe(9002);
  });

  it('reads a comma-separated served model list with the first as base, and adapter names', () => {
    const config = loadSimConfig({ NIM_SERVED_MODEL_NAME: ' org/a , org/b,,org/a ', SIM_LORA_ADAPTERS: 'x, y' });
    expect(config.servedModels).toEqual(['org/a', 'org/b']);
    expect(config.loraAdapters).toEqual(['x', 'y']);
  });

  it('reads every knob', () => {
    const config = loadSimConfig({
      SIM_TOKEN_DELAY_MS: '2.5',
      SIM_START_DELAY_MS: '100',
      SIM_FAIL_AT_START: 'no GPU found',
      SIM_NEVER_READY: 'true',
      SIM_CRASH_AFTER_MS: '50',
      SIM_ERROR_RATE: '0.25',
      SIM_STREAM_CUT_AFTER: '3',
      SIM_EXIT_ON_SIGTERM_DELAY_MS: '10',
      NIM_MAX_MODEL_LEN: '4096',
      NIM_PEFT_SOURCE: '/loras',
      NIM_PEFT_REFRESH_INTERVAL: '0.5',
      SIM_EMBEDDING_DIM: '8',
      SIM_EMBEDDING_DELAY_MS: '30',
      SIM_CLASSIFIER_RULES: ' code: Python | function|bug ; math:integral;chat:*; ',
      SIM_CLASSIFIER_NOISE: '1',
      SIM_JSON_MODE: 'mismatch',
    });
    expect(config).toMatchObject({
      tokenDelayMs: 2.5,
      startDelayMs: 100,
      failAtStart: 'no GPU found',
      neverReady: true,
      crashAfterMs: 50,
      errorRate: 0.25,
      streamCutAfter: 3,
      exitOnSigtermDelayMs: 10,
      maxModelLen: 4096,
      peftSource: '/loras',
      peftRefreshIntervalS: 0.5,
      embeddingDim: 8,
      embeddingDelayMs: 30,
      classifierRules: [
        { category: 'code', keywords: ['python', 'function', 'bug'], matchesAll: false },
        { category: 'math', keywords: ['integral'], matchesAll: false },
        { category: 'chat', keywords: [], matchesAll: true },
      ],
      classifierNoise: true,
      jsonMode: 'mismatch',
    });
  });

  it.each([
    ['PORT', '70000'],
    ['NIM_SERVER_PORT', 'eighty'],
    ['NIM_MAX_MODEL_LEN', '0'],
    ['NIM_MAX_MODEL_LEN', '1.5'],
    ['NIM_PEFT_REFRESH_INTERVAL', '0'],
    ['SIM_ERROR_RATE', '1.5'],
    ['SIM_ERROR_RATE', 'often'],
    ['SIM_TOKEN_DELAY_MS', '-1'],
    ['SIM_STREAM_CUT_AFTER', '2.5'],
    ['SIM_NEVER_READY', 'maybe'],
    ['SIM_CRASH_AFTER_MS', '99999999999'],
    ['NIM_SERVED_MODEL_NAME', ' , '],
    ['SIM_EMBEDDING_DIM', '0'],
    ['SIM_EMBEDDING_DIM', '5000'],
    ['SIM_EMBEDDING_DELAY_MS', 'soon'],
    ['SIM_CLASSIFIER_RULES', 'code'],
    ['SIM_CLASSIFIER_RULES', 'two words:x'],
    ['SIM_CLASSIFIER_RULES', 'code:python||bug'],
    ['SIM_CLASSIFIER_RULES', ';;'],
    ['SIM_CLASSIFIER_NOISE', 'loud'],
    ['SIM_JSON_MODE', 'broken'],
  ])('rejects %s=%j, naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} `));
  });

  it('reports every bad variable at once', () => {
    expect(
      problemsOf({ SIM_ERROR_RATE: '2', PORT: '-1' })
        .map((p) => p.split(' ')[0])
        .sort(),
    ).toEqual(['PORT', 'SIM_ERROR_RATE']);
  });

  it('keeps NIM_* and NGC_* variables, masking secret names and URL credentials', () => {
    const config = loadSimConfig({
      NGC_API_KEY: 'nvapi-very-secret',
      NIM_HF_TOKEN: 'hf_secret',
      NIM_DB_PASSWORD: '',
      NIM_CHAT_TEMPLATE: '{{ messages }}',
      NIM_REPOSITORY_OVERRIDE: 'https://user:pw@mirror.invalid/models',
      HOME: '/root',
      SIM_ERROR_RATE: '0',
    });
    expect(config.nimEnv).toEqual({
      NGC_API_KEY: '***',
      NIM_CHAT_TEMPLATE: '{{ messages }}',
      NIM_DB_PASSWORD: '***',
      NIM_HF_TOKEN: '***',
      NIM_REPOSITORY_OVERRIDE: 'https://***@mirror.invalid/models',
    });
    expect(JSON.stringify(config)).not.toMatch(/very-secret|hf_secret|user:pw/);
  });
});
