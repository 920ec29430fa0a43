import fs from 'node:fs';
import { loadChart, mergeValues, valueAt } from './helm-chart';
import type { Values } from './helm-chart';
import { schemaProblems } from './json-schema';
import { repoPath } from './repo-root';
import { describeServiceConfig } from './service-config';
import { TALLY_SERVICES, UMBRELLA_CHART } from './tally-services';

const serviceCharts = TALLY_SERVICES.map((service) => ({ service, chart: loadChart(service.chart) }));
const umbrella = loadChart(UMBRELLA_CHART);

describe.each(serviceCharts)('$service.name chart values', ({ service, chart }) => {
  it.each(chart.valuesFiles.map((f) => [f.file, f]))('%s passes values.schema.json', (_file, valuesFile) => {
    expect(schemaProblems(chart.schema, valuesFile.merged)).toEqual([]);
  });

  it('listens on the ports the service defaults to, plus a separate health port for the probes', () => {
    const config = describeServiceConfig(service);
    const ports = valueAt(chart.values, ['ports']) as Record<string, number>;
    expect(ports).toEqual({ grpc: config.grpcPort, metrics: config.metricsPort, health: expect.any(Number) });
    expect(new Set(Object.values(ports)).size).toBe(3);
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
  const problemsWith = (overlay: Values) => schemaProblems(chart.schema, mergeValues(chart.values, overlay));

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
