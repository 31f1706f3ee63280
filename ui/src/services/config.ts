/** Where the API lives, read at boot from /config.json so one build serves every deployment. */
export type RuntimeConfig = { apiBaseUrl: string };

const FALLBACK: RuntimeConfig = { apiBaseUrl: '/api/v1' };

/** Fetches /config.json; a missing or malformed file means the API is same-origin under /api/v1. */
export async function loadRuntimeConfig(fetcher: typeof fetch = fetch): Promise<RuntimeConfig> {
  try {
    const response = await fetcher('/config.json', {
      headers: { Accept: 'application/json' },
      cache: 'no-cache',
    });
    if (!response.ok) return FALLBACK;
    const body = (await response.json()) as Partial<RuntimeConfig>;
    if (typeof body.apiBaseUrl !== 'string' || body.apiBaseUrl === '') return FALLBACK;
    return { apiBaseUrl: body.apiBaseUrl.replace(/\/+$/, '') };
  } catch {
    return FALLBACK;
  }
}
