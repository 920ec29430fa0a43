import { parse } from 'yaml';
import {
  definedTemplates,
  hasValuesPath,
  loadChart,
  referencedTemplates,
  valuesPathsUsed,
} from './helm-chart';
import type { Chart } from './helm-chart';
import { TALLY_SERVICES, UMBRELLA_CHART } from './tally-services';

const charts: Chart[] = [...TALLY_SERVICES.map((s) => loadChart(s.chart)), loadChart(UMBRELLA_CHART)];

/** Template typos a render would catch, found without `helm`: unknown includes and values paths. */
function templateProblems(chart: Chart): string[] {
  const defined = definedTemplates(chart);
  const problems: string[] = [];
  for (const ref of referencedTemplates(chart)) {
    if (!defined.has(ref.name)) problems.push(`${ref.file}: include "${ref.name}" is not defined`);
  }
  for (const used of valuesPathsUsed(chart)) {
    if (!hasValuesPath(chart.values, used.path)) {
      problems.push(`${used.file}: .Values.${used.path.join('.')} is not in values.yaml`);
    }
  }
  return problems;
}

describe.each(charts)('$dir templates', (chart) => {
  it('include only defined templates and read only values that exist in values.yaml', () => {
    expect(templateProblems(chart)).toEqual([]);
  });
});

describe.each(TALLY_SERVICES.map((s) => loadChart(s.chart)))('$dir objects', (chart) => {
  const name = chart.metadata.name;
  const text = (file: string) => chart.templates.get(file) ?? '';

  it('has helm create helpers: name, fullname, chart, labels, selectorLabels, serviceAccountName', () => {
    const defined = definedTemplates(chart);
    for (const helper of ['name', 'fullname', 'chart', 'labels', 'selectorLabels', 'serviceAccountName']) {
      expect(defined).toContain(`${name}.${helper}`);
    }
    const helpers = text('_helpers.tpl');
    for (const label of [
      'app.kubernetes.io/name',
      'app.kubernetes.io/instance',
      'app.kubernetes.io/version',
      'app.kubernetes.io/managed-by',
      'helm.sh/chart',
    ]) {
      expect(helpers).toContain(`${label}:`);
    }
  });

  it('renders every object kind the issue asks for', () => {
    const kinds = [...chart.templates.values()].flatMap((t) =>
      [...t.matchAll(/^kind:\s*(\S+)/gm)].map((m) => m[1]),
    );
    expect(kinds.sort()).toEqual(
      expect.arrayContaining([
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'PodDisruptionBudget',
        'Service',
        'ServiceAccount',
        'ServiceMonitor',
      ]),
    );
    expect(text('service-headless.yaml')).toMatch(/clusterIP: None/);
    expect(text('service.yaml')).toMatch(/name: grpc[\s\S]*name: metrics/);
  });

  // The health port is plaintext even when the gRPC port speaks TLS: kubelet's gRPC probes cannot.
  it('probes with native gRPC on the plaintext health port: startup, liveness, readiness', () => {
    const deployment = text('deployment.yaml');
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(deployment).toMatch(
        new RegExp(`${probe}:\\n\\s+grpc:\\n\\s+port: \\{\\{ \\.Values\\.ports\\.health \\}\\}`),
      );
    }
    expect(deployment).toMatch(/name: HEALTH_PORT\n\s+value: \{\{ \.Values\.ports\.health \| quote \}\}/);
    expect(deployment).toMatch(/containerPort: \{\{ \.Values\.ports\.grpc \}\}/);
    expect(deployment).toMatch(/name: GRPC_PORT\n\s+value: \{\{ \.Values\.ports\.grpc \| quote \}\}/);
    expect(deployment).toMatch(/name: METRICS_PORT\n\s+value: \{\{ \.Values\.ports\.metrics \| quote \}\}/);
  });

  it('takes secrets by reference and applies the security contexts and resources from values', () => {
    const deployment = text('deployment.yaml');
    expect(deployment).toContain(
      'securityContext:\n            {{- toYaml .Values.securityContext | nindent 12 }}',
    );
    expect(deployment).toContain('{{- toYaml .Values.podSecurityContext | nindent 8 }}');
    expect(deployment).toContain('{{- toYaml .Values.resources | nindent 12 }}');
    expect(deployment).not.toMatch(/kind:\s*Secret/);
    if (name === 'feature-service')
      expect(deployment).toMatch(/secretKeyRef:\n\s+name: \{\{ \.Values\.store\.existingSecret\.name \}\}/);
  });

  it('is valid YAML once the template actions are blanked out (catches indentation slips)', () => {
    for (const [file, body] of chart.templates) {
      if (!file.endsWith('.yaml')) continue;
      const blanked = body
        .replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, '') // template comments
        .split('\n')
        .filter((line) => !/^\s*\{\{-?.*-?\}\}\s*$/.test(line)) // control lines
        .map((line) => line.replace(/\{\{-?[^}]*-?\}\}/g, 'x'))
        .join('\n');
      expect(() => parse(blanked)).not.toThrow();
    }
  });
});

describe('the template checks catch typos', () => {
  it('reports an unknown include and a values path that does not exist', () => {
    const chart = loadChart(TALLY_SERVICES[0].chart);
    const templates = new Map(chart.templates);
    templates.set(
      'typo.yaml',
      'name: {{ include "feature-service.fulname" . }}\nport: {{ .Values.service.grpcPrt }}\n',
    );
    expect(templateProblems({ ...chart, templates })).toEqual([
      'typo.yaml: include "feature-service.fulname" is not defined',
      'typo.yaml: .Values.service.grpcPrt is not in values.yaml',
    ]);
  });
});
