// Global setup: says once why the whole suite skips on a machine without Chromium. Under CI=true
// skipUnlessChromium throws instead, so a CI run without the browser fails rather than passing empty.
import { skipUnlessChromium } from '../sandbox/testing/servers.ts';

export default async function setup(): Promise<void> {
  const reason = await skipUnlessChromium();
  if (reason) console.log(`e2e: every browser test skips: ${reason}.`);
}
