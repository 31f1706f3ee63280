/** The nginx site configuration of a deployment, rendered from nginx/templates so nginx/ stays the one source. */
import { readFileSync } from 'node:fs';
import type { StackSettings } from './settings.js';

const templateUrl = new URL('../../../nginx/templates/site.conf.template', import.meta.url);

const MiB = 1024 * 1024;

/** nginx accepts a little more than the API's upload limit, so the API answers 413 itself with a JSON problem. */
export function clientMaxBodySize(maxUploadBytes: number): string {
  return `${Math.ceil(maxUploadBytes / MiB) + 1}m`;
}

/** Renders the site config for these settings; stapling only with a public CA (test CAs publish no OCSP). */
export function renderNginxSite(settings: StackSettings): string {
  const values: Record<string, string> = {
    DOMAIN: settings.domain,
    HTTPS_PORT_SUFFIX: settings.ports.https === 443 ? '' : `:${settings.ports.https}`,
    API_RATE: `${settings.rateLimits.apiPerMinute}r/m`,
    API_BURST: String(settings.rateLimits.apiBurst),
    AUTH_RATE: `${settings.rateLimits.authPerMinute}r/m`,
    AUTH_BURST: String(settings.rateLimits.authBurst),
    CLIENT_MAX_BODY_SIZE: clientMaxBodySize(settings.maxUploadBytes),
    OCSP_STAPLING:
      settings.acme.enabled && settings.acme.publicCa
        ? '    ssl_stapling on;\n    ssl_stapling_verify on;\n    ssl_trusted_certificate /etc/nginx/certs/current/chain.pem;\n'
        : '',
  };
  return readFileSync(templateUrl, 'utf8').replace(/\{\{([A-Z_]+)\}\}\n?/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`nginx template: unknown placeholder ${key}`);
    return match.endsWith('\n') && !value.endsWith('\n') ? `${value}\n` : value;
  });
}
