// Sessions made before the clock starts (one per connection), and the check afterwards that every
// counted request landed in one of them.
import { Jar } from './load.ts';

/** One `GET /` per connection without a cookie: the server makes a session (count 1) and sets its cookie. */
export async function createSessions(url: string, count: number): Promise<Jar[]> {
  const jars: Jar[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`creating session ${i + 1}: HTTP ${response.status}`);
    const jar = new Jar();
    jar.store(response.headers.getSetCookie());
    if (jar.size === 0) throw new Error(`creating session ${i + 1}: the server set no cookie`);
    jars.push(jar);
  }
  return jars;
}

/** Each session's counter, read through the server's read-only `GET /_inspect`. */
export async function readCounters(url: string, jars: Jar[]): Promise<number[]> {
  const counts: number[] = [];
  for (const jar of jars.length > 0 ? jars : [new Jar()]) {
    const response = await fetch(`${url}/_inspect`, { headers: { cookie: jar.header } });
    const body = (await response.json()) as { pageViews?: number; data?: { pageViews?: number } | null };
    counts.push(Number(body.data?.pageViews ?? body.pageViews ?? 0));
  }
  return counts;
}
