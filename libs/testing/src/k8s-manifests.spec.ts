import { COMMON_LABELS, validateManifest, validateManifests, type Manifest } from './k8s-manifests.js';

const labels = { ...COMMON_LABELS, 'app.kubernetes.io/component': 'api' };

const container = () => ({
  name: 'api',
  image: 'ghcr.io/modelplane/modelplane:1.0.0',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  livenessProbe: { httpGet: { path: '/health/live', port: 8080 } },
  readinessProbe: { httpGet: { path: '/health/ready', port: 8080 } },
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
});

/** A Deployment that passes every check; each test breaks one thing. */
const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'modelplane-api', labels: { ...labels } },
  spec: {
    selector: { matchLabels: { ...labels } },
    template: {
      metadata: { labels: { ...labels } },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [container()],
      },
    },
  },
});

const service = (selector: Record<string, string>): Manifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'modelplane-api', labels: { ...labels } },
  spec: { selector, ports: [{ port: 8080 }] },
});

const ALLOW = { allowSecrets: true };

describe('validateManifest', () => {
  it('passes a complete Deployment', async () => {
    expect(await validateManifest(deployment(), ALLOW)).toEqual([]);
  });

  it("fails what the kind's schema refuses", async () => {
    const d = deployment();
    (d.spec as Record<string, unknown>).replicas = 'two';
    expect(await validateManifest(d, ALLOW)).toEqual([expect.stringMatching(/^schema: .*replicas must be integer/)]);
  });

  it('fails a kind or an apiVersion kubernetes-models does not know, and a type that is no kind', async () => {
    const meta = { name: 'x', labels };
    expect(await validateManifest({ apiVersion: 'v1', kind: 'Frobnicator', metadata: meta })).toEqual([
      'unknown kind Frobnicator in v1',
    ]);
    expect(await validateManifest({ apiVersion: 'v1', kind: 'Container', metadata: meta })).toEqual([
      'unknown kind Container in v1',
    ]);
    expect(await validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta })).toEqual([
      'unknown apiVersion example.com/v1',
    ]);
    expect(await validateManifest({ apiVersion: '../../x', kind: 'Pod', metadata: meta })).toEqual([
      'malformed apiVersion ../../x',
    ]);
    expect(await validateManifest({ kind: 'Pod' })).toEqual(['apiVersion and kind must be strings']);
  });

  it('fails an object without the common labels', async () => {
    const d = deployment();
    delete (d.metadata.labels as Record<string, string>)['app.kubernetes.io/part-of'];
    expect(await validateManifest(d, ALLOW)).toEqual(['label app.kubernetes.io/part-of=modelplane missing']);
  });

  it("fails a selector that does not match the pod template's labels", async () => {
    const d = deployment();
    d.spec.selector.matchLabels['app.kubernetes.io/component'] = 'gateway';
    expect(await validateManifest(d, ALLOW)).toEqual([
      "selector app.kubernetes.io/component=gateway does not match the pod template's labels",
    ]);
  });

  it('fails containers without resources, probes or a locked-down security context', async () => {
    const d = deployment();
    const c = d.spec.template.spec.containers[0] as Record<string, unknown>;
    c.resources = { requests: { cpu: '100m' } };
    delete c.readinessProbe;
    c.securityContext = { capabilities: { drop: ['NET_RAW'] } };
    d.spec.template.spec.securityContext = { runAsNonRoot: false, seccompProfile: { type: 'Unconfined' } };
    expect(await validateManifest(d, ALLOW)).toEqual([
      'container api: resources.requests.memory missing',
      'container api: resources.limits.cpu missing',
      'container api: resources.limits.memory missing',
      'container api: runAsNonRoot is not true',
      'container api: seccompProfile is not RuntimeDefault',
      'container api: allowPrivilegeEscalation is not false',
      'container api: capabilities do not drop ALL',
      'container api: readinessProbe missing',
    ]);
  });

  it("does not ask a Job's containers for probes", async () => {
    const { spec, metadata } = deployment();
    const c = spec.template.spec.containers[0] as Record<string, unknown>;
    delete c.livenessProbe;
    delete c.readinessProbe;
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata,
      spec: { template: { ...spec.template, spec: { ...spec.template.spec, restartPolicy: 'Never' } } },
    };
    expect(await validateManifest(job, ALLOW)).toEqual([]);
  });

  it('fails a Secret where Secrets are created out of band', async () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels }, stringData: { A: 'b' } };
    expect(await validateManifest(secret, ALLOW)).toEqual([]);
    expect(await validateManifest(secret, { allowSecrets: false })).toEqual([
      'ships a Secret: this overlay expects Secrets created out of band',
    ]);
  });
});

describe('validateManifests', () => {
  it('passes a Service, a PodDisruptionBudget and an autoscaler that find their Deployment', async () => {
    const results = await validateManifests(
      [
        deployment(),
        service(labels),
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'modelplane-api', labels },
          spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
        },
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'modelplane-api', labels },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'modelplane-api' },
            minReplicas: 1,
            maxReplicas: 3,
          },
        },
      ],
      ALLOW,
    );
    expect([...results.values()].flat()).toEqual([]);
    expect([...results.keys()]).toEqual([
      'Deployment/modelplane-api',
      'Service/modelplane-api',
      'PodDisruptionBudget/modelplane-api',
      'HorizontalPodAutoscaler/modelplane-api',
    ]);
  });

  it('fails a Service that selects no pod, an autoscaler without its target and a name defined twice', async () => {
    const results = await validateManifests(
      [
        deployment(),
        deployment(),
        service({ ...labels, 'app.kubernetes.io/component': 'gateway' }),
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'modelplane-gateway', labels },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'modelplane-gateway' },
            maxReplicas: 3,
          },
        },
      ],
      ALLOW,
    );
    expect(Object.fromEntries(results)).toEqual({
      'Deployment/modelplane-api': ['defined twice'],
      'Service/modelplane-api': ['its selector matches no pod template'],
      'HorizontalPodAutoscaler/modelplane-gateway': ['scales Deployment/modelplane-gateway, not defined'],
    });
  });
});
