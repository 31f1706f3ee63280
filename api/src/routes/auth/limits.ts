import type { DelaySpec } from '../../middlewares/growing-delay.js';
import type { LimitSpec } from '../../middlewares/rate-limit.js';

/**
 * Limits of the unauthenticated auth routes. Per IP they stop one client from hammering. Guesses at one account
 * are slowed per (account, address) with growing delays rather than capped per account: a cap per account would
 * let anyone lock its owner out from elsewhere, while these delays only slow the address that keeps failing.
 */
export const AUTH_LIMITS = {
  loginPerIp: { name: 'login-ip', points: 30, durationSeconds: 60 },
  registerPerIp: { name: 'register-ip', points: 20, durationSeconds: 10 * 60 },
  // 409 "email taken" answers whether an account exists; this bounds how often one address can be asked about.
  registerPerAccount: { name: 'register-account', points: 5, durationSeconds: 60 * 60 },
  forgotPerIp: { name: 'forgot-ip', points: 10, durationSeconds: 10 * 60 },
  resetPerIp: { name: 'reset-ip', points: 20, durationSeconds: 10 * 60 },
  verifyEmailPerIp: { name: 'verify-email-ip', points: 20, durationSeconds: 10 * 60 },
  // Each start stores a flow in Redis; each callback costs a token request to the provider.
  oidcStartPerIp: { name: 'oidc-start-ip', points: 30, durationSeconds: 60 },
  oidcCallbackPerIp: { name: 'oidc-callback-ip', points: 30, durationSeconds: 60 },
  totpPerIp: { name: 'totp-ip', points: 30, durationSeconds: 60 },
  /**
   * Wrong two-factor codes in a row per account, over sign-in challenges, enrolment and disabling (a right one clears
   * them): a million codes with three valid at a time cannot be walked at 10 per quarter hour. Only someone who already has the password can spend
   * these, so the lock-out this allows is theirs to cause.
   */
  totpPerUser: { name: 'totp-user', points: 10, durationSeconds: 15 * 60 },
} satisfies Record<string, LimitSpec>;

/** Growing delays per (account, address): failed sign-ins, and reset-link requests (each one sends an email). */
export const AUTH_DELAYS = {
  loginFailures: {
    name: 'login-fail',
    freeAttempts: 5,
    baseSeconds: 1,
    maxSeconds: 15 * 60,
    forgetSeconds: 24 * 3600,
  },
  forgotRequests: {
    name: 'forgot',
    freeAttempts: 3,
    baseSeconds: 30,
    maxSeconds: 3600,
    forgetSeconds: 24 * 3600,
  },
} satisfies Record<string, DelaySpec>;
