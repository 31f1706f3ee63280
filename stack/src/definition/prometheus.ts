/** Prometheus scrape config for the optional monitoring service: every api and worker task, found via Docker DNS. */
import { stringify } from 'yaml';
import type { StackSettings } from './settings.js';

/** dnsrr services resolve to one address per task, so DNS discovery scrapes each replica separately. */
export function renderPrometheusConfig(settings: StackSettings): string {
  const job = (name: string, port: number) => ({
    job_name: name,
    dns_sd_configs: [{ names: [`tasks.${name}`], type: 'A', port, refresh_interval: '30s' }],
  });
  return stringify(
    {
      global: { scrape_interval: '30s', external_labels: { stack: settings.name } },
      scrape_configs: [job('api', 3000), job('worker', 3001)],
    },
    { lineWidth: 0 },
  );
}
