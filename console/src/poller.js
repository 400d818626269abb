// Repeats an async task while the page is visible, never overlapping runs.

export function poll(task, intervalMs) {
  let timer = null;
  let stopped = false;
  let running = false;

  async function tick() {
    if (stopped || running) return;
    if (document.hidden) return schedule();
    running = true;
    try {
      await task();
    } finally {
      running = false;
      schedule();
    }
  }
  function schedule() {
    if (!stopped) timer = setTimeout(tick, intervalMs);
  }
  function onVisible() {
    if (!document.hidden) {
      clearTimeout(timer);
      tick();
    }
  }
  document.addEventListener('visibilitychange', onVisible);
  tick();
  return {
    now() {
      clearTimeout(timer);
      return tick();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
