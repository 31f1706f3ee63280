import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { AdminUser, Backup, Page, QueueCounts, Recovery } from './types.js';

export type Health = { live: boolean; ready: boolean };

/** Instance administration: backups, point-in-time recovery, queues, users, health. */
export class AdminService {
  constructor(private readonly http: HttpClient) {}

  backups(): Promise<Backup[]> {
    return this.http
      .call<Backup[] | Page<Backup>>(E.adminBackups)
      .then((result) => (Array.isArray(result) ? result : result.items));
  }
  backupNow(): Promise<{ jobId: string }> {
    return this.http.call(E.adminBackupNow);
  }
  drillNow(): Promise<{ jobId: string }> {
    return this.http.call(E.adminDrillNow);
  }
  recovery(): Promise<Recovery> {
    return this.http.call(E.adminRecovery);
  }
  queues(): Promise<QueueCounts> {
    return this.http.call(E.adminQueues);
  }
  users(cursor?: string): Promise<Page<AdminUser>> {
    return this.http.call(E.adminUsers, { query: { limit: 100, cursor } });
  }
  /** Turns off a user's two-factor sign-in (lost device). */
  resetTotp(userId: string): Promise<void> {
    return this.http.call(E.adminTotpReset, { params: { id: userId } });
  }
  /** /health and /ready live beside the API base (outside /api/v1). */
  async health(): Promise<Health> {
    const root = new URL(this.http.baseUrl, location.href);
    root.pathname = root.pathname.replace(/\/api\/v1$/, '') || '/';
    const probe = async (path: string) => {
      try {
        return (await fetch(new URL(path, root), { cache: 'no-store' })).ok;
      } catch {
        return false;
      }
    };
    const [live, ready] = await Promise.all([probe('health'), probe('ready')]);
    return { live, ready };
  }
}
