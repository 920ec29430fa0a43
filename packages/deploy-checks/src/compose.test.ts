import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
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

  it('runs NATS with JetStream and a healthcheck, and wires the feature-service to it', () => {
    expect(services.nats.image).toMatch(/^nats:2\.\d+\.\d+(-alpine)?$/);
    expect(services.nats.command).toContain('--jetstream');
    expect(containerPortsOf(services.nats)).toContain(4222);
    expect(healthcheckTest(services.nats).join(' ')).toContain('js-enabled-only=true');
    expect(environmentOf(services['feature-service']).get('NATS_URL')).toBe('nats://nats:4222');
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
      nats: 'service_healthy',
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

  it('seeds once with the CLI from the seed stage, which bakes in the demo table it reads', () => {
    const seed = services.seed;
    const { dockerfile, target } = buildOf('seed');
    expect(dockerfile).toBe('services/feature-service/Dockerfile');
    const stage = parseDockerfile(fs.readFileSync(repoPath(dockerfile), 'utf8')).stages.find(
      (s) => s.name === target,
    );
    expect(stage).toBeDefined();
    expect(seed.restart).toBe('no');
    expect(environmentOf(seed).size).toBe(0);
    const command = Array.isArray(seed.command) ? seed.command : [];
    expect(command[0]).toBe('ingest');
    const file = flag(command, 'file');
    expect(instructionsOf(stage!, 'COPY').some((c) => c.args.split(/\s+/).at(-1) === file)).toBe(true);
    const featureService = TALLY_SERVICES.find((s) => s.name === 'feature-service')!;
    expect(flag(command, 'address')).toBe(
      `feature-service:${describeServiceConfig(featureService).grpcPort}`,
    );
  });
});

function flag(command: readonly string[], name: string): string | undefined {
  return command.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

// The seed job for real: the Dockerfile's own step that prepares the demo table, then the compose
// command run by the real CLI against a real feature-service (SQLite store), then read back.
describe('the compose seed job, run here', () => {
  const featureService = TALLY_SERVICES.find((s) => s.name === 'feature-service')!;
  let workDir: string;
  let proc: ServiceProcess | undefined;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-checks-seed-'));
    proc = await startService({
      script: repoPath(featureService.main),
      env: { GRPC_PORT: '0', METRICS_PORT: '0', STORE_URL: `sqlite:${path.join(workDir, 'store.sqlite')}` },
    });
  });

  afterAll(async () => {
    await proc?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('loads every demo applicant with the flags compose passes', () => {
    const seed = parseDockerfile(fs.readFileSync(repoPath(featureService.dockerfile), 'utf8')).stages.find(
      (stage) => stage.name === 'seed',
    );
    const copy = instructionsOf(seed!, 'COPY').find((c) => c.args.startsWith('data/lending_club.csv '));
    expect(copy).toBeDefined(); // the image carries the demo file the command names
    const table = repoPath('data/lending_club.csv');
    const sourceRows = fs.readFileSync(table, 'utf8').trim().split('\n').length - 1;

    const args = (services.seed.command as string[]).map((a) =>
      a.startsWith('--address=')
        ? `--address=${proc!.address}`
        : a.startsWith('--file=')
          ? `--file=${table}`
          : a,
    );
    const output = execFileSync(
      process.execPath,
      [repoPath('packages/cli/dist/main.js'), ...args, '--json'],
      {
        encoding: 'utf8',
        timeout: 120000,
      },
    );
    const summary = JSON.parse(output) as { rowsRead: number; rowsWritten: number; rowsRejected: number };
    expect(summary).toMatchObject({ rowsRead: sourceRows, rowsWritten: sourceRows, rowsRejected: 0 });
  });
});
