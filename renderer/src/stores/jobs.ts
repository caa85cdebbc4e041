import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ApiEvent, JobProgress } from '../../../core/contract/index.js';
import { api } from '../client/index.js';
import { useNoticeStore } from './notices.js';

/** Long work running in the engine (propagation, training): progress, the loss curve, cancelling. */
export const useJobStore = defineStore('jobs', () => {
  const notices = useNoticeStore();
  const jobs = ref<JobProgress[]>([]);
  /** Training loss per job, in step order. */
  const losses = ref<Record<string, { step: number; loss: number }[]>>({});

  async function refresh(): Promise<void> {
    jobs.value = (await notices.guard(() => api.listJobs({}))) ?? jobs.value;
  }

  function onEvent(event: ApiEvent): void {
    if (event.type === 'job') {
      const at = jobs.value.findIndex((j) => j.jobId === event.job.jobId);
      const before = at >= 0 ? jobs.value[at] : undefined;
      jobs.value = at >= 0 ? jobs.value.map((j, n) => (n === at ? event.job : j)) : [event.job, ...jobs.value];
      if (event.job.state === 'failed' && before?.state !== 'failed')
        notices.push('error', `${event.job.kind} failed: ${event.job.message ?? 'no reason given'}`);
    } else if (event.type === 'loss') {
      losses.value = { ...losses.value, [event.jobId]: [...(losses.value[event.jobId] ?? []), { step: event.step, loss: event.loss }] };
    }
  }

  async function cancel(jobId: string): Promise<void> {
    const job = await notices.guard(() => api.cancelJob({ jobId }));
    if (job) onEvent({ type: 'job', job });
  }

  const active = computed(() => jobs.value.filter((j) => j.state === 'queued' || j.state === 'running'));

  /** The latest job of a kind on an item. */
  function latest(kind: string, studyId: string | undefined, itemId: string | undefined): JobProgress | null {
    return jobs.value.find((j) => j.kind === kind && j.studyId === studyId && j.itemId === itemId) ?? null;
  }

  return { jobs, losses, active, refresh, onEvent, cancel, latest };
});
