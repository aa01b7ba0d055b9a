// Time left before a session expires, on the server's clock: the page measures how far its own clock
// is from the server's (`now` in the inspect answer) and corrects by that, so a wrong laptop clock
// does not make a live session look expired.

/** Server time minus local time, measured when an inspect answer arrived. */
export function clockOffset(serverNow: number, localNow: number): number {
  return serverNow - localNow;
}

/**
 * Milliseconds left (never negative) before `expiresAt` on the server's clock, and never more than
 * `timeoutMs`: a session is never given longer than its idle timeout, so more is the offset's error
 * (a server clock read a little before the request that set the deadline), which would show 0:31.
 */
export function remainingMs(
  expiresAt: number,
  localNow: number,
  offset: number,
  timeoutMs = Infinity,
): number {
  return Math.min(timeoutMs, Math.max(0, expiresAt - (localNow + offset)));
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `m:ss` under an hour, `h:mm:ss` above; seconds round up so the clock reaches 0:00 only at expiry. */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`;
}

/** A sentence for screen readers and the visible label, e.g. "expires in 4:59 (idle timeout 5 min)". */
export function describeRemaining(ms: number, timeoutMinutes: number): string {
  const timeout = timeoutMinutes < 1 ? `${Math.round(timeoutMinutes * 60)} s` : `${timeoutMinutes} min`;
  if (ms <= 0) return `expired: the next request starts a new session (idle timeout ${timeout})`;
  return `expires in ${formatRemaining(ms)} unless you use it (idle timeout ${timeout})`;
}
