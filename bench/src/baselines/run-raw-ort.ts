import { fork } from 'node:child_process';
import path from 'node:path';
import type { Measurement } from '../measurement';
import { summarizeLatencies } from '../stats/latency-summary';
import type { RawOrtReply, RawOrtRequest } from './raw-ort-protocol';

/** Runs the raw ONNX Runtime baseline in a child process: one measurement per batch size. */
export function runRawOrt(request: RawOrtRequest): Promise<Measurement[]> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'raw-ort-main.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const budgetMs = request.batchSizes.length * (request.warmupMs + request.durationMs) + 30000;
    const limit = setTimeout(() => child.kill('SIGKILL'), budgetMs);
    let settled = false;
    child.once('message', (message: RawOrtReply) => {
      settled = true;
      if (message.type === 'failed') {
        reject(new Error(`raw ONNX Runtime baseline failed: ${message.error}`));
        return;
      }
      resolve(
        message.results.map((r) => {
          const throughputPerSec = r.latenciesMs.length / (r.windowMs / 1000);
          return {
            label: `raw ONNX Runtime, batch ${r.batchSize}`,
            subject: 'baseline',
            load: `in-process batch ${r.batchSize}`,
            rowsPerCall: r.batchSize,
            throughputPerSec,
            rowsPerSec: throughputPerSec * r.batchSize,
            latencyMs: summarizeLatencies(r.latenciesMs),
            errors: {},
            windowMs: r.windowMs,
            generators: 0,
            clientCpuPercent: (r.cpuMs / r.wallMs) * 100,
          } satisfies Measurement;
        }),
      );
    });
    child.once('exit', (code, signal) => {
      clearTimeout(limit);
      if (!settled)
        reject(new Error(`raw ONNX Runtime baseline exited early (code ${code}, signal ${signal})`));
    });
    child.send(request);
  });
}
