// Quiz progress as the browser keeps it (issue 12 §6): which questions of which chapter the learner last
// answered correctly. Pure functions over a plain object, and a store over any localStorage-like object
// that keeps working in memory when the browser refuses storage (private modes, storage turned off, a
// full quota): the quiz must never break because progress cannot be saved.

/** chapter slug (`03-session-id`) → question id → whether the last answer to it was right. */
export type Progress = Readonly<Record<string, Readonly<Record<string, boolean>>>>;

/** chapter slug → the ids of its questions, in page order (built from lessons/NN-slug/quiz.ts). */
export type Catalog = Readonly<Record<string, readonly string[]>>;

export const STORAGE_KEY = 'session-lab:quiz-progress';

/** The part of the Web Storage API the store uses (`window.localStorage` has it). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Reads stored progress; anything that is not the expected shape (old, edited, corrupt) is dropped. */
export function parseProgress(text: string | null): Progress {
  if (!text) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isRecord(data)) return {};
  const progress: Record<string, Record<string, boolean>> = {};
  for (const [chapter, answers] of Object.entries(data)) {
    if (!isRecord(answers)) continue;
    const kept: Record<string, boolean> = {};
    for (const [question, right] of Object.entries(answers))
      if (typeof right === 'boolean') kept[question] = right;
    progress[chapter] = kept;
  }
  return progress;
}

/** Progress with one more answer: the latest answer to a question replaces the one before. */
export function recordAnswer(
  progress: Progress,
  chapter: string,
  question: string,
  right: boolean,
): Progress {
  return { ...progress, [chapter]: { ...progress[chapter], [question]: right } };
}

/** How many of a chapter's questions (only those it still has) were last answered right. */
export function correctCount(progress: Progress, chapter: string, questions: readonly string[]): number {
  const answers = progress[chapter] ?? {};
  return questions.filter((question) => Object.hasOwn(answers, question) && answers[question] === true)
    .length;
}

export interface ChapterProgress {
  chapter: string;
  correct: number;
  total: number;
}

/** One line per chapter of the catalog, in its order. */
export function summarize(progress: Progress, catalog: Catalog): ChapterProgress[] {
  return Object.entries(catalog).map(([chapter, questions]) => ({
    chapter,
    correct: correctCount(progress, chapter, questions),
    total: questions.length,
  }));
}

export interface ProgressStore {
  /** False when the browser refused storage: progress then lasts only as long as the page. */
  readonly persistent: boolean;
  load(): Progress;
  record(chapter: string, question: string, right: boolean): Progress;
  reset(): void;
}

/**
 * A store over `storage()`, which may throw (Safari and Firefox throw on `localStorage` itself when
 * storage is blocked) or return null. Any failure to read or write switches the store to memory for
 * the rest of the page's life, keeping what it had.
 */
export function createProgressStore(storage: () => KeyValueStorage | null | undefined): ProgressStore {
  let backend: KeyValueStorage | null = null;
  try {
    backend = storage() ?? null;
    // Reading can succeed where writing fails (Safari's old private mode had a quota of 0).
    backend?.setItem(`${STORAGE_KEY}:probe`, '1');
    backend?.removeItem(`${STORAGE_KEY}:probe`);
  } catch {
    backend = null;
  }
  let memory: Progress = {};
  if (backend) {
    try {
      memory = parseProgress(backend.getItem(STORAGE_KEY));
    } catch {
      backend = null;
    }
  }
  return {
    get persistent() {
      return backend !== null;
    },
    load() {
      if (!backend) return memory;
      try {
        memory = parseProgress(backend.getItem(STORAGE_KEY));
      } catch {
        backend = null;
      }
      return memory;
    },
    record(chapter, question, right) {
      memory = recordAnswer(this.load(), chapter, question, right);
      try {
        backend?.setItem(STORAGE_KEY, JSON.stringify(memory));
      } catch {
        backend = null;
      }
      return memory;
    },
    reset() {
      memory = {};
      try {
        backend?.removeItem(STORAGE_KEY);
      } catch {
        backend = null;
      }
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
