// The console's import progress page: without this script it has a link
// that shows how far the import is; with it the text and the bar follow
// the import by themselves (the text is a polite live region), and the
// page shows the result once the import is done.
export function followImport(status: HTMLElement): void {
  const url = status.dataset.statusUrl;
  const bar = document.getElementById('import-bar') as HTMLProgressElement | null;
  if (!url) return;
  const tick = async (): Promise<void> => {
    try {
      const res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) return schedule();
      const run = (await res.json()) as { finished?: boolean; stalled?: boolean; done: number; total: number; text: string };
      if (run.finished || run.stalled) {
        window.location.reload(); // the result, or the file to confirm again
        return;
      }
      if (status.textContent !== run.text) status.textContent = run.text;
      if (bar) {
        bar.max = run.total;
        bar.value = run.done;
      }
    } catch {
      // The service is restarting or the network is down: try again.
    }
    schedule();
  };
  const schedule = (): void => {
    window.setTimeout(() => void tick(), 1000);
  };
  schedule();
}
