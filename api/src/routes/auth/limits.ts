import type { LimitSpec } from '../../middlewares/rate-limit.js';

/**
 * Limits of the unauthenticated auth routes. Per IP they stop one client from hammering; per account they stop
 * a distributed guess at one password (login counts failures only and a success clears them).
 */
export const AUTH_LIMITS = {
  loginPerIp: { name: 'login-ip', points: 30, durationSeconds: 60 },
  loginFailuresPerAccount: { name: 'login-account', points: 10, durationSeconds: 15 * 60 },
  registerPerIp: { name: 'register-ip', points: 20, durationSeconds: 10 * 60 },
  // 409 "email taken" answers whether an account exists; this bounds how often one address can be asked about.
  registerPerAccount: { name: 'register-account', points: 5, durationSeconds: 60 * 60 },
  forgotPerIp: { name: 'forgot-ip', points: 10, durationSeconds: 10 * 60 },
  forgotPerAccount: { name: 'forgot-account', points: 3, durationSeconds: 60 * 60 },
  resetPerIp: { name: 'reset-ip', points: 20, durationSeconds: 10 * 60 },
} satisfies Record<string, LimitSpec>;
