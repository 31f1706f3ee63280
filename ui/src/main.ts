import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { createAppRouter } from './router.js';
import { loadRuntimeConfig } from './services/config.js';
import { PROBLEM_TYPES } from './services/errors.js';
import { http } from './services/index.js';
import { useAuthStore } from './stores/auth.js';
import { useToastStore } from './stores/toasts.js';
import { applyTheme, storedTheme } from './theme.js';
import './styles.css';

applyTheme(storedTheme());
const config = await loadRuntimeConfig();
http.configure(config.apiBaseUrl);

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const router = createAppRouter();
app.use(router);

// When the refresh cookie no longer works, go back to sign-in and come back here afterwards.
const auth = useAuthStore();
watch(
  () => auth.expired,
  (expired) => {
    if (!expired) return;
    const current = router.currentRoute.value;
    useToastStore().push('info', 'Your session has ended', 'Sign in again to continue.');
    if (!current.meta.public) void router.push({ name: 'signin', query: { redirect: current.fullPath } });
  },
);

// A workspace that requires two-factor sign-in refuses a member without it: lead them to set it up.
http.onProblem((problem) => {
  if (problem.type !== PROBLEM_TYPES.totpEnrolmentRequired) return;
  if (router.currentRoute.value.name !== 'security') {
    void router.push({ name: 'security', query: { required: '1' } });
  }
});

app.mount('#app');
