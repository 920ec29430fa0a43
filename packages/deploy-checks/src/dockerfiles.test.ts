import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import {
  GLIBC_NODE_VARIANTS,
  execForm,
  instructionsOf,
  keyValuePairs,
  labelsOf,
  nodeBaseImage,
  parseDockerfile,
} from './dockerfile';
import type { Dockerfile } from './dockerfile';
import { repoPath } from './repo-root';
import { describeServiceConfig } from './service-config';
import { TALLY_SERVICES } from './tally-services';

const OCI_LABELS = ['title', 'description', 'source', 'version', 'revision'].map(
  (l) => `org.opencontainers.image.${l}`,
);

/** What every service image must be; returns one line per problem. */
function imageProblems(dockerfile: Dockerfile, packageName: string, ports: number[]): string[] {
  const problems: string[] = [];
  const { stages } = dockerfile;
  if (stages.length < 2) problems.push('not multi-stage');
  const runtime = stages.at(-1)!;
  const base = nodeBaseImage(runtime.image);
  if (!base) problems.push(`final stage is not a node image: ${runtime.image}`);
  else {
    if (base.major < 22) problems.push(`final stage runs Node ${base.major} (22 or newer required)`);
    if (!(GLIBC_NODE_VARIANTS as readonly string[]).includes(base.variant)) {
      problems.push(`final stage base ${runtime.image} is not glibc (onnxruntime-node needs glibc)`);
    }
  }
  const deploys = stages.flatMap((s) => instructionsOf(s, 'RUN')).filter((r) => /pnpm deploy\b/.test(r.args));
  if (!deploys.some((r) => r.args.includes(`--filter=${packageName}`) && /--prod\b/.test(r.args))) {
    problems.push(`no \`pnpm deploy --filter=${packageName} --prod\` (production dependencies only)`);
  }
  if (!deploys.some((r) => /cp -r proto \S+\/node_modules\/@tally\/contracts\/proto/.test(r.args))) {
    problems.push('the .proto files are not copied beside the deployed @tally/contracts');
  }
  const users = instructionsOf(runtime, 'USER');
  const user = users.at(-1)?.args.split(':')[0];
  if (!user) problems.push('final stage has no USER (runs as root)');
  else if (user === 'root' || user === '0' || !/^\d+$/.test(user)) {
    problems.push(`USER ${user} must be a numeric non-root id (Kubernetes runAsNonRoot can verify it)`);
  }
  const entrypoint = instructionsOf(runtime, 'ENTRYPOINT').at(-1);
  if (!entrypoint) problems.push('no ENTRYPOINT');
  else if (!execForm(entrypoint.args)) problems.push(`ENTRYPOINT is not exec form: ${entrypoint.args}`);
  for (const cmd of instructionsOf(runtime, 'CMD')) {
    if (!execForm(cmd.args)) problems.push(`CMD is not exec form: ${cmd.args}`);
  }
  const labels = labelsOf(runtime);
  for (const label of OCI_LABELS) if (!labels.get(label)) problems.push(`no ${label} label`);
  const exposed = instructionsOf(runtime, 'EXPOSE')
    .flatMap((e) => e.args.split(/\s+/))
    .map((p) => Number(p.split('/')[0]));
  if (JSON.stringify([...exposed].sort()) !== JSON.stringify([...ports].sort())) {
    problems.push(`EXPOSE ${exposed.join(' ')} differs from the service's ports ${ports.join(' ')}`);
  }
  for (const healthcheck of instructionsOf(runtime, 'HEALTHCHECK')) {
    const cmd = /\bCMD\s+(\[.*\])$/.exec(healthcheck.args);
    const argv = cmd ? execForm(cmd[1]) : undefined;
    if (!argv) problems.push(`HEALTHCHECK is not exec form: ${healthcheck.args}`);
    else if (argv.at(-1) !== String(ports[0]))
      problems.push(`HEALTHCHECK checks port ${argv.at(-1)}, not ${ports[0]}`);
  }
  return problems;
}

describe.each(TALLY_SERVICES)('$name Dockerfile', (service) => {
  const dockerfile = () => parseDockerfile(fs.readFileSync(repoPath(service.dockerfile), 'utf8'));

  it('is multi-stage, production-only, glibc Node ≥22, non-root, exec form, labelled, exposing the real ports', () => {
    const config = describeServiceConfig(service);
    const packageName = `@tally/${service.name}`;
    expect(imageProblems(dockerfile(), packageName, [config.grpcPort, config.metricsPort])).toEqual([]);
  });

  it('builds from a stage that has the native toolchain, and only copies built output into the runtime', () => {
    const { stages } = dockerfile();
    const build = stages[0];
    expect(nodeBaseImage(build.image)?.variant).toBe('bookworm');
    const runtime = stages.at(-1)!;
    const copies = instructionsOf(runtime, 'COPY').map((c) => c.args);
    expect(copies.some((c) => c.startsWith(`--from=${build.name} /out/service /app`))).toBe(true);
    expect(instructionsOf(runtime, 'RUN').some((r) => /pnpm|npm install|apt-get/.test(r.args))).toBe(false);
  });
});

describe('the Dockerfile checks catch a bad image', () => {
  it('reports root, shell form, alpine, old Node, missing labels and wrong ports', () => {
    const bad = parseDockerfile(
      [
        'FROM node:20-alpine',
        'COPY . /app',
        'RUN pnpm install',
        'LABEL org.opencontainers.image.title=x',
        'EXPOSE 8080',
        'ENTRYPOINT node /app/dist/main.js',
      ].join('\n'),
    );
    expect(imageProblems(bad, '@tally/feature-service', [50051, 9101])).toEqual([
      'not multi-stage',
      'final stage runs Node 20 (22 or newer required)',
      'final stage base node:20-alpine is not glibc (onnxruntime-node needs glibc)',
      'no `pnpm deploy --filter=@tally/feature-service --prod` (production dependencies only)',
      'the .proto files are not copied beside the deployed @tally/contracts',
      'final stage has no USER (runs as root)',
      'ENTRYPOINT is not exec form: node /app/dist/main.js',
      ...OCI_LABELS.slice(1).map((l) => `no ${l} label`),
      "EXPOSE 8080 differs from the service's ports 50051 9101",
    ]);
  });

  it('reads ARG defaults in FROM, continued lines, quoted labels and heredocs', () => {
    const parsed = parseDockerfile(
      [
        'ARG NODE_MAJOR=24',
        'FROM node:${NODE_MAJOR}-trixie-slim AS runtime',
        'LABEL a="one two" \\',
        '      b=three',
        "COPY <<'EOF' /x.js",
        'console.log(1);',
        'EOF',
        'USER 1000:1000',
      ].join('\n'),
    );
    const [stage] = parsed.stages;
    expect(stage.name).toBe('runtime');
    expect(nodeBaseImage(stage.image)).toEqual({ major: 24, variant: 'trixie-slim' });
    expect([...labelsOf(stage)]).toEqual([
      ['a', 'one two'],
      ['b', 'three'],
    ]);
    expect(instructionsOf(stage, 'COPY')[0].heredoc).toBe('console.log(1);\n');
    expect(instructionsOf(stage, 'USER')[0].args).toBe('1000:1000');
    expect([...keyValuePairs('NAME value with spaces')]).toEqual([['NAME', 'value with spaces']]);
  });
});

// The image's HEALTHCHECK script, run for real against a real feature-service process.
describe('the images’ gRPC health check script', () => {
  const service = TALLY_SERVICES.find((s) => s.name === 'feature-service')!;
  let workDir: string;
  let proc: ServiceProcess | undefined;
  let script: string;

  function runCheck(port: number): Promise<number> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [script, String(port)],
        // the image resolves @grpc/grpc-js from /app/node_modules; here, from the service's own
        {
          env: { ...process.env, GRPC_PORT: '', NODE_PATH: repoPath(service.dir, 'node_modules') },
          timeout: 15000,
        },
      );
      child.on('exit', (code) => resolve(code ?? -1));
    });
  }

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-checks-'));
    const copies = TALLY_SERVICES.map((s) => {
      const text = fs.readFileSync(repoPath(s.dockerfile), 'utf8');
      const copy = instructionsOf(parseDockerfile(text).stages.at(-1)!, 'COPY').find((c) =>
        c.args.endsWith('/app/grpc-health-check.cjs'),
      );
      if (!copy?.heredoc) throw new Error(`${s.dockerfile}: no heredoc for /app/grpc-health-check.cjs`);
      return copy.heredoc;
    });
    expect(new Set(copies).size).toBe(1); // both images ship the same script
    script = path.join(workDir, 'grpc-health-check.cjs');
    fs.writeFileSync(script, copies[0]);
    proc = await startService({
      script: repoPath(service.main),
      env: { GRPC_PORT: '0', METRICS_PORT: '0', STORE_URL: `sqlite:${path.join(workDir, 'store.sqlite')}` },
    });
  });

  afterAll(async () => {
    await proc?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('exits 0 while the service is SERVING and 1 once it is gone', async () => {
    expect(await runCheck(proc!.grpcPort)).toBe(0);
    const port = proc!.grpcPort;
    await proc!.stop();
    expect(await runCheck(port)).toBe(1);
  });
});
