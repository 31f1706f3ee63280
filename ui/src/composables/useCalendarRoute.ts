import { computed, ref, watch, type Ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import {
  isDay,
  periodOf,
  todayIn,
  weekStartFor,
  windowOf,
  type CalendarMode,
  type Day,
} from '../components/calendar-dates.js';
import { api } from '../services/index.js';

/**
 * What a calendar screen shows, from its URL (`?mode=week&date=2026-12-03`, so a period can be bookmarked and
 * survives a reload): the range, a day of it, the workspace's time zone it is laid out in (the browser's until the
 * API answers, or if it cannot), and the due-date window to ask the API for.
 */
export function useCalendarRoute(workspaceId: Ref<string>) {
  const route = useRoute();
  const router = useRouter();
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const timeZone = ref(browserZone);
  /** False until the workspace's zone is known: a window asked for before would be the wrong one. */
  const zoneKnown = ref(false);
  watch(
    workspaceId,
    async (id) => {
      if (!id) return;
      zoneKnown.value = false;
      timeZone.value = await api.recurrences.timeZone(id).catch(() => browserZone);
      zoneKnown.value = true;
    },
    { immediate: true },
  );

  const mode = computed<CalendarMode>(() => (route.query.mode === 'week' ? 'week' : 'month'));
  const day = computed<Day>(() => (isDay(route.query.date) ? route.query.date : todayIn(timeZone.value)));
  const window = computed(() =>
    windowOf(periodOf(mode.value, day.value, weekStartFor()).flat(), timeZone.value),
  );

  /** Another period: replaces the URL's mode and date, keeping the rest (an open task, filters). */
  function navigate(next: CalendarMode, date: Day) {
    const { mode: _mode, date: _date, ...rest } = route.query;
    void router.replace({ query: { ...rest, ...(next === 'week' ? { mode: next } : {}), date } });
  }

  return { timeZone, zoneKnown, mode, day, window, navigate };
}
