/** The nginx site configuration of a deployment, rendered from nginx/templates so nginx/ stays the one source. */
import { readFileSync } from 'node:fs';
import type { StackSettings } from './settings.js';

const template = (name: string) =>
  readFileSync(new URL(`../../../nginx/templates/${name}.conf.template`, import.meta.url), 'utf8');

const MiB = 1024 * 1024;

/** nginx accepts a little more than the API's upload limit, so the API answers 413 itself with a JSON problem. */
export function clientMaxBodySize(maxUploadBytes: number): string {
  return `${Math.ceil(maxUploadBytes / MiB) + 1}m`;
}

/** Fills a template's `{{NAME}}` placeholders; a placeholder alone on its line takes the whole line. */
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{([A-Z_]+)\}\}\n?/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`nginx template: unknown placeholder ${key}`);
    return match.endsWith('\n') && !value.endsWith('\n') ? `${value}\n` : value;
  });
}

/**
 * Renders the site config for these settings: stapling only with a public CA (test CAs publish no OCSP); with
 * monitoring, the internal stub_status server and, with Grafana, its `/grafana/` location.
 */
export function renderNginxSite(settings: StackSettings): string {
  const values: Record<string, string> = {
    DOMAIN: settings.domain,
    HTTPS_PORT_SUFFIX: settings.ports.https === 443 ? '' : `:${settings.ports.https}`,
    API_RATE: `${settings.rateLimits.apiPerMinute}r/m`,
    API_BURST: String(settings.rateLimits.apiBurst),
    AUTH_RATE: `${settings.rateLimits.authPerMinute}r/m`,
    AUTH_BURST: String(settings.rateLimits.authBurst),
    CLIENT_MAX_BODY_SIZE: clientMaxBodySize(settings.maxUploadBytes),
    IMPORT_MAX_BODY_SIZE: clientMaxBodySize(settings.maxImportBytes),
    OCSP_STAPLING:
      settings.acme.enabled && settings.acme.publicCa
        ? '    ssl_stapling on;\n    ssl_stapling_verify on;\n    ssl_trusted_certificate /etc/nginx/certs/current/chain.pem;\n'
        : '',
  };
  values.MONITORING_SERVER = settings.monitoring ? fill(template('stub-status'), values) : '';
  // Both of Grafana's locations proxy to it the same way (over TLS, verified).
  values.GRAFANA_UPSTREAM = template('grafana-upstream');
  values.GRAFANA_LOCATION = settings.monitoring && settings.grafana ? fill(template('grafana'), values) : '';
  return fill(template('site'), values);
}
