// deploy/prometheus: the scrape examples and the alert rules, checked by Debian's promtool
// (package prometheus) where it is installed, and against what Portcullis exports.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readRepoFile, repoPath } from './deploy-files';

const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
const DIR = repoPath('deploy/prometheus');
const hasPromtool = existsSync(PROMTOOL);
if (!hasPromtool)
  console.warn(
    `SKIPPED promtool checks: ${PROMTOOL} is missing; install Debian's prometheus package, as .ci/run does`,
  );
const withPromtool = hasPromtool ? it : it.skip;

function promtool(...args: string[]): string {
  const result = spawnSync(PROMTOOL, args, { cwd: DIR, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`promtool ${args.join(' ')}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Every metric name Portcullis registers: the `name:` of its metrics and the request tally's. */
function exportedMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
        for (const [, name] of readFileSync(path, 'utf8').matchAll(/'(portcullis_[a-z_]+)'/g))
          names.add(name);
    }
  };
  walk(repoPath('src'));
  // collectDefaultMetrics with the portcullis_ prefix: process and Node.js metrics.
  return names;
}

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = (
  parse(readRepoFile('deploy/prometheus/alerts.yml')) as { groups: { rules: Rule[] }[] }
).groups.flatMap((group) => group.rules);

describe('deploy/prometheus', () => {
  withPromtool('has a scrape configuration promtool accepts', () => {
    expect(promtool('check', 'config', 'prometheus.yml')).toContain('SUCCESS');
  });

  withPromtool('has alert rules promtool accepts, each fired and cleared by its unit tests', () => {
    expect(promtool('check', 'rules', 'alerts.yml')).toContain(`SUCCESS: ${rules.length} rules`);
    expect(promtool('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
    const tests = readRepoFile('deploy/prometheus/alerts.test.yml');
    for (const { alert } of rules) expect(tests).toContain(`alertname: ${alert}`);
  });

  it('alerts on the signals that matter, each with a severity and a summary', () => {
    const metricsOf = (rule: Rule) =>
      [...rule.expr.matchAll(/\b(portcullis_[a-z_]+)/g)].map((m) => m[1]);
    const watched = new Set(rules.flatMap(metricsOf));
    for (const signal of [
      'portcullis_cluster_replicas',
      'portcullis_bus_events_total',
      'portcullis_bus_subscriber_state',
      'portcullis_bus_propagation_lag_seconds_bucket',
      'portcullis_http_requests_total',
      'portcullis_auth_decisions_total',
    ])
      expect(watched).toContain(signal);
    for (const rule of rules) {
      expect(['page', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
    }
  });

  it('names only metrics Portcullis exports', () => {
    const exported = exportedMetrics();
    const used = rules.flatMap((rule) =>
      [...rule.expr.matchAll(/\b(portcullis_[a-z_]+)/g)].map((m) =>
        m[1].replace(/_(bucket|sum|count)$/, ''),
      ),
    );
    expect(used.length).toBeGreaterThan(0);
    for (const name of used)
      expect({ name, exported: exported.has(name) }).toEqual({ name, exported: true });
  });

  it('finds the Deployment pods in Kubernetes and scrapes their http port with a key', () => {
    const config = parse(readRepoFile('deploy/prometheus/prometheus-kubernetes.yml')) as {
      rule_files: string[];
      scrape_configs: {
        job_name: string;
        metrics_path: string;
        basic_auth: { username: string; password_file: string };
        kubernetes_sd_configs: { role: string }[];
        relabel_configs: { source_labels: string[]; regex: string; action?: string }[];
      }[];
    };
    expect(config.rule_files).toEqual(['alerts.yml']);
    const [job] = config.scrape_configs;
    expect(job.job_name).toBe('portcullis');
    expect(job.metrics_path).toBe('/api/prometheus/metrics');
    expect(job.basic_auth.username).toBe('apikey');
    expect(job.basic_auth.password_file).toMatch(/^\//);
    expect(job.kubernetes_sd_configs).toEqual([expect.objectContaining({ role: 'pod' })]);
    const keep = (label: string) =>
      job.relabel_configs.find((r) => r.action === 'keep' && r.source_labels[0] === label)?.regex;
    // The name label is one of the base's common labels; the port name is the container's.
    expect(readRepoFile('k8s/kustomization.yaml')).toContain(
      `app.kubernetes.io/name: ${keep('__meta_kubernetes_pod_label_app_kubernetes_io_name')}`,
    );
    expect(readRepoFile('k8s/deployment.yaml')).toMatch(
      new RegExp(`- name: ${keep('__meta_kubernetes_pod_container_port_name')}\\s`),
    );
  });
});
