/**
 * Golden files for the NIM compiler: representative configs compiled to the
 * Kubernetes objects, compared with `__golden__/<case>.json`. After an
 * intended change: UPDATE_GOLDEN=1 npx jest nim.compiler, then review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileInstanceSpec, type ConfigVersionSpec, type EntitySpec } from '../nim-env.js';
import {
  ANNOTATIONS,
  compileNimWorkload,
  deepMerge,
  labelValue,
  overrideProblem,
  OverrideError,
  workloadName,
  type CompileOptions,
} from './nim.compiler.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '__golden__');
const OPTIONS: CompileOptions = {
  namespace: 'models',
  ngcSecretName: 'ngc-api',
  imagePullSecrets: ['ngc-registry'],
  surge: false,
};
const LLAMA = { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' };

function compile(name: string, config: ConfigVersionSpec, entity?: EntitySpec, options = OPTIONS) {
  const spec = compileInstanceSpec({ workspace: 'team-a', deployment: name, version: 2 }, config, entity);
  return compileNimWorkload(spec, options);
}

const CASES: Record<string, () => ReturnType<typeof compile>> = {
  'one-gpu': () =>
    compile('llama-8b', {
      engine: 'nim',
      modelEntityId: null,
      modelSpec: LLAMA,
      executorConfig: { gpu: 1 },
    }),
  'eight-gpus-tolerations-node-selector': () =>
    compile(
      'llama-70b',
      {
        engine: 'nim',
        modelEntityId: 'team-a/llama-70b',
        modelSpec: { model_namespace: 'meta', model_name: 'llama-3.1-70b-instruct' },
        executorConfig: {
          gpu: 8,
          image_name: 'nvcr.io/nim/meta/llama-3.1-70b-instruct',
          image_tag: '1.8.5',
          disk_size: '500Gi',
          k8s_nim_operator_config: {
            replicas: 2,
            resources: { requests: { cpu: '16', memory: '256Gi' }, limits: { memory: '320Gi' } },
            node_selector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
            tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
            shm_size: '64Gi',
            storage_class: 'fast-ssd',
            startup_probe_grace_seconds: 3600,
          },
        },
      },
      undefined,
      { ...OPTIONS, surge: true },
    ),
  lora: () =>
    compile('support-bot', {
      engine: 'nim',
      modelEntityId: 'team-a/llama-8b',
      modelSpec: { ...LLAMA, lora_enabled: true },
      executorConfig: { gpu: 1 },
    }),
  'tool-calling-chat-template': () =>
    compile(
      'agent',
      {
        engine: 'nim',
        modelEntityId: 'team-a/agent-model',
        modelSpec: { ...LLAMA, tool_call_config: { tool_call_parser: 'llama3_json' } },
        executorConfig: { gpu: 1 },
      },
      { chat_template: '{{ messages }}', tool_call_config: { tool_call_parser: 'hermes', auto_tool_choice: true } },
    ),
  'custom-envs-and-overrides': () =>
    compile('tuned', {
      engine: 'nim',
      modelEntityId: null,
      modelSpec: LLAMA,
      executorConfig: {
        gpu: 2,
        additional_envs: { NIM_MAX_MODEL_LEN: '16384', NIM_LOG_LEVEL: 'DEBUG' },
        additional_args: ['--max-num-seqs', '64'],
        run_as_user: 1234,
        run_as_group: 5678,
        k8s_nim_operator_config: { image_pull_secrets: ['private-registry'] },
        override_config: {
          metadata: { annotations: { 'team.example.com/owner': 'ml-platform' } },
          spec: {
            progressDeadlineSeconds: 7200,
            template: { spec: { priorityClassName: 'inference-high', terminationGracePeriodSeconds: 120 } },
          },
        },
      },
    }),
};

describe('compileNimWorkload (golden files)', () => {
  it.each(Object.keys(CASES))('%s', (name) => {
    const workload = CASES[name]();
    const text = JSON.stringify(workload, null, 2) + '\n';
    const file = join(GOLDEN, `${name}.json`);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, text);
    }
    // A missing golden file fails: it is written only on request, and then reviewed.
    expect(existsSync(file)).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it.each(Object.keys(CASES))('%s: every object is valid against the Kubernetes OpenAPI schemas', (name) => {
    const workload = CASES[name]();
    // kubernetes-models validates with the upstream schemas (ajv); it throws naming the path of what is wrong.
    expect(() => new Deployment(workload.deployment as never).validate()).not.toThrow();
    expect(() => new Service(workload.service as never).validate()).not.toThrow();
    if (workload.persistentVolumeClaim) {
      expect(() => new PersistentVolumeClaim(workload.persistentVolumeClaim as never).validate()).not.toThrow();
    }
  });

  it('the schema check catches what the API server would refuse', () => {
    const { deployment } = CASES['one-gpu']();
    const broken = { ...deployment, spec: { ...deployment.spec, replicas: 'two' } };
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas must be integer/);
  });
});

describe('compileNimWorkload (properties)', () => {
  it('references the NGC key, never copies it, and keeps the spec hash and identity on every object', () => {
    const w = CASES['one-gpu']();
    const container = w.deployment.spec!.template.spec!.containers[0];
    expect(container.env!.find((e) => e.name === 'NGC_API_KEY')).toEqual({
      name: 'NGC_API_KEY',
      valueFrom: { secretKeyRef: { name: 'ngc-api', key: 'NGC_API_KEY' } },
    });
    for (const object of [w.deployment, w.service]) {
      expect(object.metadata!.labels!['app.kubernetes.io/managed-by']).toBe('modelplane');
      expect(object.metadata!.annotations![ANNOTATIONS.deployment]).toBe('llama-8b');
    }
    expect(w.persistentVolumeClaim).toBeNull();
    expect(container.resources).toEqual({ requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } });
  });

  it('gives the start-up probe the configured grace, generous by default', () => {
    const probe = (name: string) => CASES[name]().deployment.spec!.template.spec!.containers[0].startupProbe!;
    expect(probe('one-gpu').failureThreshold).toBe(180); // 1800 s / 10 s
    expect(probe('eight-gpus-tolerations-node-selector').failureThreshold).toBe(360);
  });

  it('surges only when the runtime says a second copy fits', () => {
    expect(CASES['one-gpu']().deployment.spec!.strategy!.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(CASES['eight-gpus-tolerations-node-selector']().deployment.spec!.strategy!.rollingUpdate).toEqual({
      maxSurge: 1,
      maxUnavailable: 0,
    });
  });

  it('refuses an override that would change identity labels, the selector or the name', () => {
    expect(overrideProblem({ metadata: { labels: { 'app.kubernetes.io/managed-by': 'me' } } })).toMatch(
      /metadata\.labels\.app\.kubernetes\.io\/managed-by/,
    );
    expect(overrideProblem({ spec: { selector: { matchLabels: {} } } })).toMatch(/spec\.selector/);
    expect(
      overrideProblem({ spec: { template: { metadata: { labels: { 'app.kubernetes.io/instance': 'x' } } } } }),
    ).toMatch(/template\.metadata\.labels/);
    expect(overrideProblem({ metadata: { name: 'other' } })).toMatch(/metadata\.name/);
    expect(overrideProblem({ metadata: { labels: { team: 'ml' } } })).toBeNull();
    expect(() =>
      compile('bad', {
        engine: 'nim',
        modelEntityId: null,
        modelSpec: LLAMA,
        executorConfig: { gpu: 1, override_config: { spec: { selector: {} } } },
      }),
    ).toThrow(OverrideError);
  });

  it('merges objects key by key and replaces arrays', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({
      a: { b: 1, c: [3] },
      d: 1,
      e: 2,
    });
  });

  it('names objects DNS-1035 within 63 characters, uniquely, whatever the deployment name', () => {
    expect(workloadName('team-a', 'llama', 3)).toBe('team-a--llama-v3');
    expect(workloadName('team', 'a-llama', 3)).toBe('team--a-llama-v3');
    const odd = workloadName('default', 'meta-llama-3.1-8b-instruct@support+bot', 12);
    expect(odd).toMatch(/^default--meta-llama-3-1-8b-instruct-support-bo-[0-9a-f]{16}$/);
    expect(odd).not.toBe(workloadName('default', 'meta-llama-3.1-8b-instruct-support-bot', 12));
    const long = workloadName('a-very-long-workspace-name-for-testing', 'and-a-very-long-deployment-name-too', 1);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(labelValue('ok_value.1')).toBe('ok_value.1');
    expect(labelValue('model@adapter+x')).toMatch(/^model-adapter-x-[0-9a-f]{8}$/);
  });

  it('compiles under a given name (objects adopted from the earlier scheme): every object, label, selector and claim', () => {
    const spec = compileInstanceSpec(
      { workspace: 'team-a', deployment: 'llama', version: 1 },
      {
        engine: 'nim',
        modelEntityId: null,
        modelSpec: LLAMA,
        executorConfig: { gpu: 1, disk_size: '20Gi' },
      },
    );
    const workload = compileNimWorkload(spec, { ...OPTIONS, name: 'team-a-llama-v1' });
    const { deployment, service, persistentVolumeClaim: claim } = workload;
    expect(workload.name).toBe('team-a-llama-v1');
    expect([deployment.metadata?.name, service.metadata?.name, claim?.metadata?.name]).toEqual([
      'team-a-llama-v1',
      'team-a-llama-v1',
      'team-a-llama-v1-cache',
    ]);
    for (const labels of [deployment.metadata?.labels, deployment.spec?.selector.matchLabels, service.spec?.selector])
      expect(labels?.['app.kubernetes.io/instance']).toBe('team-a-llama-v1');
    const volume = deployment.spec?.template.spec?.volumes?.find((v) => v.name === 'model-cache');
    expect(volume?.persistentVolumeClaim?.claimName).toBe('team-a-llama-v1-cache');
    expect(compileNimWorkload(spec, OPTIONS).name).toBe('team-a--llama-v1');
  });
});
