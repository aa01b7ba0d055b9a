// Lighthouse (12.2.3, pinned: 13 refuses this lock file) on Debian's Chromium, never a downloaded browser.
// Each run gets a fresh headless Chromium with the flags this machine needs (sandbox/testing/chromium.ts).
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../sandbox/testing/chromium.ts';

const FLAGS = ['--headless=new', ...CHROMIUM_ARGS];

export interface Scores {
  performance: number[];
  accessibility: number[];
  /** The audits that kept a score below 100 in any run, with their score. */
  belowOne: string[];
  /**
   * Lighthouse's measure of this machine's CPU speed at each run (higher is faster). Its mobile scores
   * simulate a 4× slower CPU from what it sees here, so they follow it: on this VM it moved from 1,660
   * to 2,570 within minutes, and the performance score from 80 to 100 with it.
   */
  benchmarkIndex: number[];
}

/** Scores (0–100) of `runs` Lighthouse runs on `url`, with Lighthouse's default (mobile) settings. */
export async function lighthouseScores(url: string, runs: number): Promise<Scores> {
  const scores: Scores = { performance: [], accessibility: [], belowOne: [], benchmarkIndex: [] };
  const failing = new Set<string>();
  for (let i = 0; i < runs; i++) {
    const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: FLAGS });
    try {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility'],
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
      const { categories, audits, environment } = result.lhr;
      scores.benchmarkIndex.push(Math.round(environment.benchmarkIndex));
      scores.performance.push(Math.round((categories.performance?.score ?? 0) * 100));
      scores.accessibility.push(Math.round((categories.accessibility?.score ?? 0) * 100));
      for (const category of [categories.performance, categories.accessibility]) {
        for (const ref of category?.auditRefs ?? []) {
          const audit = audits[ref.id];
          if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1)
            failing.add(`${ref.id} (${audit.displayValue ?? audit.score})`);
        }
      }
    } finally {
      chrome.kill();
    }
  }
  scores.belowOne = [...failing];
  return scores;
}
