import type { LocationQueryValue } from 'vue-router';

/** Where to go after sign-in: only a path inside this app, never another site (`//host`, or `/\host`, which browsers read alike). */
export function safeRedirect(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const path = Array.isArray(value) ? value[0] : value;
  return typeof path === 'string' && path.startsWith('/') && !/^\/[/\\]/.test(path) ? path : '/';
}
