import fs from 'node:fs';
import { loadChart, mergeValues, valueAt } from './helm-chart';
import type { Values } from './helm-chart';
import { schemaProblems } from './json-schema';
import { repoPath } from './repo-root';
import { describeServiceConfig } from './service-config';
import { TALLY_SERVICES, UMBRELLA_CHART } from './tally-services';

const serviceCharts = TALLY_SERVICES.map((service) => ({ service, chart: loadChart(service.chart) }));
const umbrella = loadChart(UMBRELLA_CHART);

/** The feature-service's values.yaml alone names no store Secret: refused on purpose (see below). */
const installable = (file: string) => file !== 'helm/feature-service/values.yaml';

describe.each(serviceCharts)('$service.name chart values', ({ service, chart }) => {
  it.each(chart.valuesFiles.filter((f) => installable(f.file)).map((f) => [f.file, f]))(
    '%s passes values.schema.json',
    (_file, valuesFile) => {
      expect(schemaProblems(chart.schema, valuesFile.merged)).toEqual([]);
    },
  );

  it('listens on the ports the service defaults to, and the probes use them', () => {
    const config = describeServiceConfig(service);
    expect(valueAt(chart.values, ['ports'])).toEqual({ grpc: config.grpcPort, metrics: config.metricsPort });
    expect(valueAt(chart.values, ['service', 'grpcPort'])).toBe(config.grpcPort);
    expect(valueAt(chart.values, ['service', 'metricsPort'])).toBe(config.metricsPort);
  });

  it('is a helm create style application chart named after the service', () => {
    expect(chart.metadata).toMatchObject({ apiVersion: 'v2', name: service.name, type: 'application' });
    expect(chart.metadata.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fs.existsSync(repoPath(chart.dir, '.helmignore'))).toBe(true);
  });

  it('keeps a non-root, read-only root filesystem security context with requests and limits', () => {
    expect(valueAt(chart.values, ['podSecurityContext', 'runAsNonRoot'])).toBe(true);
    expect(valueAt(chart.values, ['securityContext', 'readOnlyRootFilesystem'])).toBe(true);
    expect(valueAt(chart.values, ['securityContext', 'allowPrivilegeEscalation'])).toBe(false);
    for (const kind of ['requests', 'limits']) {
      expect(Object.keys((valueAt(chart.values, ['resources', kind]) as object) ?? {}).sort()).toEqual([
        'cpu',
        'memory',
      ]);
    }
  });

  it('gives start-up (migrations, model loading) at least a minute before liveness applies', () => {
    const startup = valueAt(chart.values, ['probes', 'startup']) as {
      periodSeconds: number;
      failureThreshold: number;
    };
    expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(60);
  });
});

describe('values.schema.json refuses bad values', () => {
  const [{ chart }] = serviceCharts;
  // Over installable values: the defaults plus a store Secret.
  const base = mergeValues(chart.values, { store: { existingSecret: { name: 'tally-store' } } });
  const problemsWith = (overlay: Values) => schemaProblems(chart.schema, mergeValues(base, overlay));

  it('a wrong type', () => {
    expect(problemsWith({ replicaCount: 'two' })).toEqual(['/replicaCount must be integer']);
    expect(problemsWith({ ports: { grpc: '50051' } })).toEqual(['/ports/grpc must be integer']);
    expect(problemsWith({ env: { SHUTDOWN_GRACE_MS: 5000 } })).toEqual([
      '/env/SHUTDOWN_GRACE_MS must be string',
    ]);
  });

  it('a misspelt variable or key', () => {
    expect(problemsWith({ env: { LOG_LEVLE: 'debug' } })).toEqual([
      '/env must NOT have additional properties (LOG_LEVLE)',
    ]);
    expect(problemsWith({ replicas: 3 })).toEqual(['(root) must NOT have additional properties (replicas)']);
  });

  it('a value outside what the service allows, or a weakened security context', () => {
    expect(problemsWith({ env: { LOG_LEVEL: 'verbose' } })).toEqual([
      '/env/LOG_LEVEL must be equal to one of the allowed values (["","debug","info","warn","error"])',
    ]);
    expect(problemsWith({ securityContext: { readOnlyRootFilesystem: false } })).toEqual([
      '/securityContext/readOnlyRootFilesystem must be equal to constant',
    ]);
    expect(problemsWith({ ports: { grpc: 70000 } })).toEqual(['/ports/grpc must be <= 65535']);
  });

  it('a MySQL URL (with its password) in values instead of a Secret', () => {
    expect(problemsWith({ store: { url: 'mysql://tally:secret@mysql:3306/tally' } })).toEqual([
      '/store/url must match pattern "^sqlite:.+$"',
    ]);
  });
});

describe('the feature-service chart never splits its data across pods', () => {
  const { chart } = serviceCharts.find((c) => c.service.name === 'feature-service')!;
  const problemsWith = (overlay: Values) => schemaProblems(chart.schema, mergeValues(chart.values, overlay));
  const secret = { store: { existingSecret: { name: 'tally-store' } } };
  const demo = { store: { singleReplicaDemo: true }, replicaCount: 1, autoscaling: { enabled: false } };
  const demoProblem = '/store/singleReplicaDemo must be equal to constant';
  const thenProblem = '(root) must match "then" schema';

  it('refuses its defaults (2 replicas, HPA 2–10) on the per-pod SQLite file', () => {
    expect(problemsWith({}).sort()).toEqual(
      [
        demoProblem,
        '/replicaCount must be <= 1',
        '/autoscaling/enabled must be equal to constant',
        thenProblem,
      ].sort(),
    );
  });

  it('refuses the SQLite demo with more than one replica or with autoscaling', () => {
    expect(problemsWith({ ...demo, replicaCount: 2 })).toEqual(['/replicaCount must be <= 1', thenProblem]);
    expect(problemsWith({ ...demo, autoscaling: { enabled: true } })).toEqual([
      '/autoscaling/enabled must be equal to constant',
      thenProblem,
    ]);
    expect(problemsWith({ ...demo, store: { singleReplicaDemo: false } })).toEqual([
      demoProblem,
      thenProblem,
    ]);
  });

  it('accepts a store Secret with any replicas and autoscaling, and the explicit one-pod demo', () => {
    expect(problemsWith(secret)).toEqual([]);
    expect(problemsWith({ ...secret, replicaCount: 5, autoscaling: { enabled: false } })).toEqual([]);
    expect(problemsWith(demo)).toEqual([]);
    expect(chart.valuesFiles.filter((f) => !installable(f.file)).map((f) => f.file)).toEqual([
      'helm/feature-service/values.yaml',
    ]);
  });

  it('the deployment template fails on the same conditions, saying what to set', () => {
    const deployment = chart.templates.get('deployment.yaml') ?? '';
    expect(deployment.split('\n')[0]).toBe('{{- include "feature-service.checkStore" . }}');
    const helpers = chart.templates.get('_helpers.tpl') ?? '';
    const check = /\{\{- define "feature-service\.checkStore" -\}\}([\s\S]*?)\n\{\{- end \}\}\n?$/.exec(
      helpers,
    )?.[1];
    expect(check).toBeDefined();
    // No Secret → the demo switch is required, and the demo allows neither replicas > 1 nor the HPA.
    expect(check).toMatch(
      /\{\{- if not \.Values\.store\.existingSecret\.name \}\}\n\{\{- if not \.Values\.store\.singleReplicaDemo \}\}\n\{\{- fail "[^"]*store\.existingSecret\.name[^"]*singleReplicaDemo=true, replicaCount=1 and autoscaling\.enabled=false" \}\}/,
    );
    expect(check).toMatch(
      /\{\{- if or \(gt \(int \.Values\.replicaCount\) 1\) \.Values\.autoscaling\.enabled \}\}\n\{\{- fail \(printf "[^"]*one replica only/,
    );
  });
});

describe('the feature-service NetworkPolicy', () => {
  const { chart } = serviceCharts.find((c) => c.service.name === 'feature-service')!;
  const policy = chart.templates.get('networkpolicy.yaml') ?? '';

  it("selects the chart's pods and admits only the model-server and declared callers to gRPC, metricsFrom to metrics", () => {
    expect(policy).toMatch(/^\{\{- if \.Values\.networkPolicy\.enabled \}\}/);
    expect(policy).toMatch(/kind: NetworkPolicy/);
    expect(policy).toMatch(
      /podSelector:\n\s+matchLabels:\n\s+\{\{- include "feature-service\.selectorLabels" \. \| nindent 6 \}\}/,
    );
    expect(policy).toMatch(/policyTypes:\n\s+- Ingress\n/);
    expect(policy).toMatch(
      /- from:\n\s+- \{\{- toYaml \.Values\.networkPolicy\.modelServer \| nindent 10 \}\}\n\s+\{\{- range \.Values\.networkPolicy\.callers \}\}[\s\S]*?ports:\n\s+- protocol: TCP\n\s+port: \{\{ \.Values\.ports\.grpc \}\}/,
    );
    expect(policy).toMatch(
      /\{\{- with \.Values\.networkPolicy\.metricsFrom \}\}[\s\S]*?port: \{\{ \.Values\.ports\.metrics \}\}/,
    );
    // No other way in: one rule for gRPC, one (optional) for metrics.
    expect(policy.match(/- from:/g)).toHaveLength(2);
  });

  it("is on by default and names the model-server chart's pods", () => {
    const modelServer = serviceCharts.find((c) => c.service.name === 'model-server')!.chart;
    expect(valueAt(chart.values, ['networkPolicy', 'enabled'])).toBe(true);
    expect(valueAt(chart.values, ['networkPolicy', 'modelServer'])).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': modelServer.metadata.name } },
    });
    expect(valueAt(chart.values, ['networkPolicy', 'callers'])).toEqual([]);
    expect(
      schemaProblems(
        chart.schema,
        mergeValues(chart.values, {
          store: { existingSecret: { name: 's' } },
          networkPolicy: { callers: [{ podSelector: {} }, {}] },
        }),
      ),
    ).toEqual(['/networkPolicy/callers/1 must NOT have fewer than 1 properties']);
  });
});

describe('umbrella chart', () => {
  it('depends on the two service charts at their versions', () => {
    const dependencies = umbrella.metadata.dependencies ?? [];
    expect(dependencies.map((d) => d.name).sort()).toEqual(TALLY_SERVICES.map((s) => s.name).sort());
    for (const dependency of dependencies) {
      const sub = serviceCharts.find((c) => c.service.name === dependency.name)!.chart;
      expect(dependency.repository).toBe(`file://../${dependency.name}`);
      expect(dependency.version).toBe(sub.metadata.version);
      expect(dependency.condition).toBe(`${dependency.name}.enabled`);
    }
  });

  it.each(umbrella.valuesFiles.map((f) => [f.file, f]))(
    '%s passes its schema and, per section, the service chart’s schema',
    (_file, valuesFile) => {
      expect(schemaProblems(umbrella.schema, valuesFile.merged)).toEqual([]);
      for (const { service, chart } of serviceCharts) {
        const section = (valuesFile.merged[service.name] ?? {}) as Values;
        expect({
          section: service.name,
          problems: schemaProblems(chart.schema, mergeValues(chart.values, section)),
        }).toEqual({
          section: service.name,
          problems: [],
        });
      }
    },
  );

  it('points the model-server at the feature-service of the same release, on its gRPC port', () => {
    const featureService = serviceCharts.find((c) => c.service.name === 'feature-service')!;
    const port = describeServiceConfig(featureService.service).grpcPort;
    const address = valueAt(umbrella.values, ['model-server', 'featureService', 'address']);
    expect(address).toBe(`dns:///{{ .Release.Name }}-feature-service-headless:${port}`);
    expect(valueAt(featureService.chart.values, ['service', 'headless', 'enabled'])).toBe(true);
  });
});
