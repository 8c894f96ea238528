// k8s/ is a kustomize base: render it with `kubectl kustomize`, validate every object
// against the Kubernetes schemas offline (kubernetes-models 4.5, generated from the OpenAPI
// schemas of Kubernetes 1.27.1: no cluster is asked), and check what the README promises
// and what a reviewer would (requests and limits, probes, the drain, the disruption budget,
// non-root and read-only, no secret in a ConfigMap, spread across nodes).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { Deployment, IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import {
  HorizontalPodAutoscaler,
  IHorizontalPodAutoscaler,
} from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import {
  IPodDisruptionBudget,
  PodDisruptionBudget,
} from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap, IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { IContainer } from 'kubernetes-models/v1/Container';
import { ISecret, Secret } from 'kubernetes-models/v1/Secret';
import { IService, Service } from 'kubernetes-models/v1/Service';
import {
  kickstartKeyManagerEnv,
  parseYamlStream,
  PLACEHOLDER,
  repoPath,
  RUNTIME_VARIABLES,
  settingsReadByPortcullis,
} from './deploy-files';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const BASE = repoPath('k8s');
const PORT = 9011;
const COMMON_LABELS = {
  'app.kubernetes.io/name': 'portcullis',
  'app.kubernetes.io/part-of': 'portcullis',
};

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
}

/** The schema of every kind the base may hold; a kind missing here fails the render test. */
const SCHEMAS: Record<string, (object: KubeObject) => void> = {
  'apps/v1/Deployment': (o) => new Deployment(o).validate(),
  'v1/Service': (o) => new Service(o).validate(),
  'v1/ConfigMap': (o) => new ConfigMap(o).validate(),
  'v1/Secret': (o) => new Secret(o).validate(),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o).validate(),
  'autoscaling/v2/HorizontalPodAutoscaler': (o) => new HorizontalPodAutoscaler(o).validate(),
};

function kubectlRuns(): boolean {
  const probe = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8', timeout: 60_000 });
  return probe.error === undefined && probe.status === 0;
}

function kustomize(dir: string): KubeObject[] {
  const result = spawnSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return parseYamlStream(result.stdout, `kubectl kustomize ${dir}`) as KubeObject[];
}

function validate(objects: KubeObject[]): void {
  for (const object of objects) {
    const schema = SCHEMAS[`${object.apiVersion}/${object.kind}`];
    if (schema === undefined)
      throw new Error(`no schema listed for ${object.apiVersion} ${object.kind}`);
    try {
      schema(object);
    } catch (error) {
      throw new Error(`${object.kind} ${object.metadata.name}: ${(error as Error).message}`);
    }
  }
}

function only<T>(objects: KubeObject[], kind: string): T {
  const found = objects.filter((object) => object.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as T;
}

function named<T>(objects: KubeObject[], kind: string, name: string | undefined): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} named ${name} in the rendered base`);
  return found as T;
}

function resolvePort(container: IContainer, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

function preStopSeconds(container: IContainer): number {
  const hook = container.lifecycle?.preStop;
  if (hook?.sleep) return hook.sleep.seconds;
  const command = (hook?.exec?.command ?? []).join(' ');
  return Number(/\bsleep\s+(\d+)/.exec(command)?.[1] ?? 0);
}

const available = kubectlRuns();
const describeWithKubectl = available ? describe : describe.skip;
if (!available) {
  const message =
    `kubectl (${KUBECTL}) is not installed or does not run, and the k8s/ checks need ` +
    '`kubectl kustomize`: install kubectl, or set KUBECTL to its path';
  if (process.env.CI) {
    describe('k8s/ kustomize base', () => {
      it('has kubectl to render it', () => {
        throw new Error(message);
      });
    });
  } else {
    console.warn(`${message}. Skipping the k8s/ checks here; CI fails without kubectl.`);
  }
}

describeWithKubectl('k8s/ kustomize base', () => {
  let objects: KubeObject[];
  let deployment: IDeployment;
  let container: IContainer;
  let config: Record<string, string>;
  let secret: ISecret;

  beforeAll(() => {
    objects = kustomize(BASE);
    deployment = only<IDeployment>(objects, 'Deployment');
    const containers = deployment.spec!.template.spec!.containers;
    expect(containers.map((c) => c.name)).toEqual(['portcullis']);
    container = containers[0];
    const configRef = container.envFrom?.find((source) => source.configMapRef)?.configMapRef;
    config = named<IConfigMap>(objects, 'ConfigMap', configRef?.name).data ?? {};
    secret = named<ISecret>(
      objects,
      'Secret',
      container.envFrom?.find((s) => s.secretRef)?.secretRef?.name,
    );
  });

  /** The kickstart file as the pods see it: KICKSTART_FILE inside its mounted ConfigMap. */
  function kickstartText(): string {
    const path = config.KICKSTART_FILE;
    expect(path).toMatch(/^\//);
    const mount = container.volumeMounts?.find((m) => m.mountPath === dirname(path));
    const volume = deployment.spec!.template.spec!.volumes?.find((v) => v.name === mount?.name);
    const data = named<IConfigMap>(objects, 'ConfigMap', volume?.configMap?.name).data ?? {};
    const text = data[basename(path)];
    if (text === undefined) throw new Error(`${path} is not in the mounted ConfigMap`);
    return text;
  }

  it('renders objects that validate against the Kubernetes schemas', () => {
    expect(objects.map((object) => object.kind).sort()).toEqual([
      'ConfigMap',
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Secret',
      'Service',
    ]);
    validate(objects);
  });

  it('puts the common labels on every object and on the pods', () => {
    for (const object of objects) expect(object.metadata.labels).toMatchObject(COMMON_LABELS);
    expect(deployment.spec!.template.metadata!.labels).toMatchObject(COMMON_LABELS);
  });

  it('runs three replicas with requests and limits on every container', () => {
    expect(deployment.spec!.replicas).toBe(3);
    const pod = deployment.spec!.template.spec!;
    for (const each of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(each.resources?.requests).toEqual(
        expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
      );
      expect(each.resources?.limits).toEqual(
        expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
      );
    }
  });

  it('probes start-up and readiness on /api/health, and liveness on the port alone', () => {
    expect(resolvePort(container, 'http')).toBe(PORT);
    for (const probe of [container.readinessProbe, container.startupProbe]) {
      expect(probe?.httpGet?.path).toBe('/api/health');
      expect(resolvePort(container, probe?.httpGet?.port)).toBe(PORT);
    }
    // A database outage must not restart every pod: liveness does not ask /api/health.
    expect(container.livenessProbe?.httpGet).toBeUndefined();
    expect(resolvePort(container, container.livenessProbe?.tcpSocket?.port)).toBe(PORT);
  });

  it('drains before SIGTERM and lets in-flight requests finish before the kill', () => {
    const preStop = preStopSeconds(container);
    expect(preStop).toBeGreaterThan(0);
    const grace = Number(config.SHUTDOWN_GRACE_SECONDS ?? 10);
    const drain = Number(config.SHUTDOWN_DRAIN_SECONDS ?? 5);
    expect(deployment.spec!.template.spec!.terminationGracePeriodSeconds).toBeGreaterThan(
      preStop + drain + grace,
    );
    // The readiness probe sees the drain's 503 before the drain ends.
    const readiness = container.readinessProbe!;
    expect((readiness.periodSeconds ?? 10) * (readiness.failureThreshold ?? 3)).toBeLessThan(drain);
  });

  it('runs as non-root on a read-only root filesystem', () => {
    const pod = deployment.spec!.template.spec!;
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.securityContext?.runAsUser).not.toBe(0);
    for (const each of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(each.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('configures the replicas for MySQL, Redis and a kickstart file', () => {
    expect(container.envFrom?.map((s) => (s.configMapRef ? 'configMap' : 'secret'))).toEqual([
      'configMap',
      'secret',
    ]);
    const settings = { ...config, ...secret.stringData };
    expect(settings.DATABASE_URL).toMatch(/^mysql:\/\//);
    expect(settings.REDIS_URL).toMatch(/^redis:\/\//);
    expect(settings.PORT ?? String(PORT)).toBe(String(PORT));
    const known = settingsReadByPortcullis();
    const kickstartEnv = kickstartKeyManagerEnv(kickstartText(), 'the mounted kickstart.json');
    const unknown = Object.keys(settings).filter(
      (name) =>
        !known.has(name) && !RUNTIME_VARIABLES.includes(name) && !kickstartEnv.includes(name),
    );
    expect(unknown).toEqual([]);
  });

  it('kickstarts a key-manager key whose value comes from the Secret', () => {
    for (const name of kickstartKeyManagerEnv(kickstartText(), 'the mounted kickstart.json')) {
      expect(Object.keys(secret.stringData ?? {})).toContain(name);
    }
  });

  it('commits a Secret template holding placeholders only', () => {
    expect(secret.data).toBeUndefined();
    const values = Object.entries(secret.stringData ?? {});
    expect(values.map(([name]) => name).sort()).toEqual([
      'DATABASE_URL',
      'KEY_ENCRYPTION_SECRET',
      'PORTCULLIS_API_KEY',
    ]);
    for (const [name, value] of values) {
      expect([name, value.includes(PLACEHOLDER)]).toEqual([name, true]);
    }
  });

  it('refuses to start a pod while the Secret holds placeholders', () => {
    const guard = deployment.spec!.template.spec!.initContainers?.find((c) =>
      c.envFrom?.some((source) => source.secretRef?.name === secret.metadata!.name),
    );
    const [program, flag, script] = guard?.command ?? [];
    expect([program, flag]).toEqual(['node', '-e']);
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env });
    const refused = run(secret.stringData ?? {});
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('PORTCULLIS_API_KEY');
    expect(refused.stderr).toContain('KEY_ENCRYPTION_SECRET');
    expect(
      run({
        DATABASE_URL: 'mysql://u:p@db:3306/portcullis',
        PORTCULLIS_API_KEY: 'k',
        KEY_ENCRYPTION_SECRET: 's',
      }).status,
    ).toBe(0);
  });

  it('serves port 9011 from the pods through a Service', () => {
    const service = only<IService>(objects, 'Service');
    const ports = service.spec!.ports!;
    expect(ports.map((p) => [p.port, resolvePort(container, p.targetPort)])).toEqual([
      [PORT, PORT],
    ]);
    expect(deployment.spec!.template.metadata!.labels).toMatchObject(service.spec!.selector!);
    expect(Object.keys(service.spec!.selector!).length).toBeGreaterThan(0);
  });

  it('keeps at least two replicas through voluntary disruptions', () => {
    const budget = only<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
    expect(budget.spec!.selector!.matchLabels).toEqual(deployment.spec!.selector.matchLabels);
    const { minAvailable, maxUnavailable } = budget.spec!;
    expect(maxUnavailable === 1 || (typeof minAvailable === 'number' && minAvailable >= 2)).toBe(
      true,
    );
  });

  it('spreads the pods across nodes', () => {
    const spread = deployment.spec!.template.spec!.topologySpreadConstraints ?? [];
    const byHost = spread.find((c) => c.topologyKey === 'kubernetes.io/hostname');
    expect(byHost?.maxSkew).toBe(1);
    expect(deployment.spec!.template.metadata!.labels).toMatchObject(
      byHost?.labelSelector?.matchLabels ?? { missing: 'labelSelector' },
    );
  });

  it('keeps no secret in a ConfigMap', () => {
    const secretNames = /PASSWORD|SECRET|TOKEN|_KEY$|^PORTCULLIS_API_KEY$/;
    for (const map of objects.filter((object) => object.kind === 'ConfigMap') as IConfigMap[]) {
      for (const [name, value] of Object.entries(map.data ?? {})) {
        expect({ name, secretName: secretNames.test(name) }).toEqual({ name, secretName: false });
        // A URL with credentials in it (mysql://user:password@…, redis://:password@…).
        expect({ name, credentialsInUrl: /\/\/[^/\s@]*:[^/\s@]*@/.test(value) }).toEqual({
          name,
          credentialsInUrl: false,
        });
      }
    }
  });

  it('scales the Deployment on CPU from three replicas up', () => {
    const hpa = only<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    expect(hpa.spec!.scaleTargetRef).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata!.name,
    });
    expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(3);
    expect(hpa.spec!.maxReplicas).toBeGreaterThan(hpa.spec!.minReplicas!);
    const cpu = hpa.spec!.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    expect(cpu?.resource?.target.type).toBe('Utilization');
    expect(cpu?.resource?.target.averageUtilization).toBeGreaterThan(0);
  });

  it('takes an overlay that sets the image and replaces the Secret (the README recipe)', () => {
    const overlay = mkdtempSync(join(tmpdir(), 'portcullis-overlay-'));
    try {
      writeFileSync(
        join(overlay, 'kustomization.yaml'),
        [
          'apiVersion: kustomize.config.k8s.io/v1beta1',
          'kind: Kustomization',
          'resources:',
          `  - ${relative(overlay, BASE)}`,
          'images:',
          '  - name: portcullis',
          '    newName: registry.example.com/portcullis',
          '    newTag: 1.2.3',
          'secretGenerator:',
          '  - name: portcullis-secrets',
          '    behavior: replace',
          '    envs:',
          '      - secrets.env',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(overlay, 'secrets.env'),
        'DATABASE_URL=mysql://portcullis:pw@mysql:3306/portcullis\nPORTCULLIS_API_KEY=k\nKEY_ENCRYPTION_SECRET=s\n',
      );
      const rendered = kustomize(overlay);
      validate(rendered);
      const replaced = only<ISecret>(rendered, 'Secret');
      expect(replaced.stringData).toBeUndefined();
      const decoded = Object.values(replaced.data ?? {}).map((v) =>
        Buffer.from(v, 'base64').toString(),
      );
      expect(decoded).toHaveLength(3);
      expect(decoded.join('\n')).not.toContain(PLACEHOLDER);
      const pod = only<IDeployment>(rendered, 'Deployment').spec!.template.spec!;
      for (const each of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(each.image).toBe('registry.example.com/portcullis:1.2.3');
      }
    } finally {
      rmSync(overlay, { recursive: true, force: true });
    }
  });
});
