/**
 * SIGTERM/SIGINT ask the work to stop at its next commit boundary; a second signal exits at once.
 * Returns the signal to pass down and which signal arrived (for the exit code).
 */
export function stopOnSignals(onFirst?: (signal: NodeJS.Signals) => void): { signal: AbortSignal; received: () => NodeJS.Signals | null } {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const handler = (sig: NodeJS.Signals): void => {
    if (received !== null) process.exit(sig === 'SIGINT' ? 130 : 143);
    received = sig;
    onFirst?.(sig);
    controller.abort(new Error(`received ${sig}`));
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return { signal: controller.signal, received: () => received };
}

/** Exit code for a run stopped by a signal: 128 + the signal number, as shells report it. */
export function signalExitCode(sig: NodeJS.Signals): number {
  return sig === 'SIGINT' ? 130 : 143;
}
