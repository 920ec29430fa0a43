import fs from 'node:fs';
import { containerPortsOf, dependenciesOf, environmentOf, loadComposeFile } from './compose-file';
import type { ComposeService } from './compose-file';
import { instructionsOf, parseDockerfile } from './dockerfile';
import { repoPath } from './repo-root';
import { describeServiceConfig } from './service-config';
import { TALLY_SERVICES } from './tally-services';

const compose = loadComposeFile();
const services = compose.services;

function healthcheckTest(service: ComposeService): string[] {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test : test ? ['CMD-SHELL', test] : [];
}

function buildOf(name: string): { dockerfile: string; target: string } {
  const build = services[name].build;
  if (typeof build !== 'object' || !build.dockerfile || !build.target) {
    throw new Error(`docker-compose.yml ${name}: build needs dockerfile and target`);
  }
  expect(build.context ?? '.').toBe('.');
  return { dockerfile: build.dockerfile, target: build.target };
}

describe('docker-compose.yml', () => {
  it('runs MySQL 8 with a TCP healthcheck', () => {
    expect(services.mysql.image).toMatch(/^mysql:8(\.\d+)*$/);
    expect(healthcheckTest(services.mysql)).toEqual(expect.arrayContaining(['mysqladmin', 'ping']));
    expect(healthcheckTest(services.mysql).join(' ')).toContain('127.0.0.1');
  });

  it('runs Jaeger v2 with OTLP on 4317/4318 and the UI on 16686', () => {
    expect(services.jaeger.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    expect(containerPortsOf(services.jaeger).sort()).toEqual([16686, 4317, 4318]);
  });

  it.each(TALLY_SERVICES)(
    'builds $name from its Dockerfile and publishes the ports it listens on',
    (service) => {
      const config = describeServiceConfig(service);
      const { dockerfile, target } = buildOf(service.name);
      expect(dockerfile).toBe(service.dockerfile);
      const parsed = parseDockerfile(fs.readFileSync(repoPath(dockerfile), 'utf8'));
      expect(parsed.stages.at(-1)!.name).toBe(target);
      expect(containerPortsOf(services[service.name]).sort()).toEqual(
        [config.grpcPort, config.metricsPort].sort(),
      );
      // its healthcheck asks the gRPC port (the image's script), and the image has that script
      const test = healthcheckTest(services[service.name]);
      expect(test).toEqual(['CMD', 'node', '/app/grpc-health-check.cjs', String(config.grpcPort)]);
      const runtime = parsed.stages.at(-1)!;
      expect(instructionsOf(runtime, 'COPY').some((c) => c.args.endsWith('/app/grpc-health-check.cjs'))).toBe(
        true,
      );
    },
  );

  it('wires the feature-service to MySQL and Jaeger', () => {
    const env = environmentOf(services['feature-service']);
    const mysqlEnv = environmentOf(services.mysql);
    const url = new URL(env.get('STORE_URL') ?? '');
    expect(url.protocol).toBe('mysql:');
    expect(url.hostname).toBe('mysql');
    expect(url.port).toBe('3306');
    expect(url.pathname).toBe(`/${mysqlEnv.get('MYSQL_DATABASE')}`);
    expect(decodeURIComponent(url.username)).toBe(mysqlEnv.get('MYSQL_USER'));
    expect(decodeURIComponent(url.password)).toBe(mysqlEnv.get('MYSQL_PASSWORD'));
    expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://jaeger:4317');
  });

  it('wires the model-server to the feature-service (its gRPC port) and Jaeger', () => {
    const featureService = TALLY_SERVICES.find((s) => s.name === 'feature-service')!;
    const env = environmentOf(services['model-server']);
    expect(env.get('FEATURE_SERVICE_ADDR')).toBe(
      `feature-service:${describeServiceConfig(featureService).grpcPort}`,
    );
    expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://jaeger:4317');
  });

  it('starts in order: health conditions on everything a service needs', () => {
    expect(Object.fromEntries(dependenciesOf(services['feature-service']))).toEqual({
      mysql: 'service_healthy',
      jaeger: 'service_started',
    });
    expect(Object.fromEntries(dependenciesOf(services.seed))).toEqual({
      'feature-service': 'service_healthy',
    });
    expect(Object.fromEntries(dependenciesOf(services['model-server']))).toEqual({
      'feature-service': 'service_healthy',
      seed: 'service_completed_successfully',
      jaeger: 'service_started',
    });
    // every service_healthy target has a healthcheck
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, condition] of dependenciesOf(service)) {
        expect(services[dependency]).toBeDefined();
        if (condition === 'service_healthy') {
          expect({ name, dependency, healthcheck: healthcheckTest(services[dependency]).length > 0 }).toEqual(
            {
              name,
              dependency,
              healthcheck: true,
            },
          );
        }
      }
    }
  });

  it('seeds once with the CLI from the seed stage, reading the demo data baked into it', () => {
    const seed = services.seed;
    const { dockerfile, target } = buildOf('seed');
    const parsed = parseDockerfile(fs.readFileSync(repoPath(dockerfile), 'utf8'));
    const stage = parsed.stages.find((s) => s.name === target);
    expect(stage).toBeDefined();
    expect(seed.restart).toBe('no');
    expect(environmentOf(seed).size).toBe(0);
    const command = Array.isArray(seed.command) ? seed.command : [];
    expect(command[0]).toBe('ingest');
    const file = command.find((a) => a.startsWith('--file='))?.slice('--file='.length);
    const copied = instructionsOf(stage!, 'COPY').map((c) => c.args.split(/\s+/));
    const source = copied.find((args) => args.at(-1) === file)?.[0];
    expect(source).toBeDefined();
    expect(fs.existsSync(repoPath(source!))).toBe(true);
    const address = command.find((a) => a.startsWith('--address='))?.slice('--address='.length);
    const featureService = TALLY_SERVICES.find((s) => s.name === 'feature-service')!;
    expect(address).toBe(`feature-service:${describeServiceConfig(featureService).grpcPort}`);
  });
});
