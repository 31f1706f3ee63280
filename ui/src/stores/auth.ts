import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, http } from '../services/index.js';
import type { User } from '../services/types.js';

/** Who is signed in. The access token itself stays inside the HTTP client, in memory only. */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null);
  /** `unknown` until the first silent refresh has answered. */
  const status = ref<'unknown' | 'signed-in' | 'signed-out'>('unknown');
  const expired = ref(false);
  let resuming: Promise<void> | null = null;

  const signedIn = computed(() => status.value === 'signed-in');
  const isAdmin = computed(() => user.value?.isInstanceAdmin === true);

  http.onSessionExpired(() => {
    if (status.value === 'signed-in') expired.value = true;
    user.value = null;
    status.value = 'signed-out';
  });

  /** Tries the refresh cookie once per page load, so a reload keeps the person signed in. */
  function resume(): Promise<void> {
    resuming ??= (async () => {
      try {
        const me = await api.auth.resume();
        user.value = me;
        status.value = me ? 'signed-in' : 'signed-out';
      } catch {
        status.value = 'signed-out';
      }
    })();
    return resuming;
  }

  /** Signs in; for an account with two-factor, answers the challenge `loginWithTotp` completes. */
  async function login(email: string, password: string): Promise<{ challenge: string } | undefined> {
    const result = await api.auth.login({ email, password });
    if ('challenge' in result) return result;
    signedInAs(result);
    return undefined;
  }

  async function loginWithTotp(challenge: string, code: string) {
    signedInAs(await api.auth.loginWithTotp(challenge, code));
  }

  function signedInAs(account: User) {
    user.value = account;
    status.value = 'signed-in';
    expired.value = false;
  }

  async function register(name: string, email: string, password: string) {
    user.value = await api.auth.register({ name, email, password });
    status.value = 'signed-in';
    expired.value = false;
  }

  async function logout() {
    try {
      await api.auth.logout();
    } finally {
      user.value = null;
      status.value = 'signed-out';
    }
  }

  return { user, status, expired, signedIn, isAdmin, resume, login, loginWithTotp, register, logout };
});
