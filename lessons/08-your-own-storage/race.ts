// Flaw 3, run for real: one writer saves a session over and over while two readers load it, all at the
// same time in this process, the way a server interleaves requests that overlap. Every statement awaits
// its round trip, so the event loop runs whoever is ready next. With the seed's delete-then-insert, a
// load that falls between the delete and the insert finds no row: "session missing". The fixed upsert
// replaces the row in one statement, so a load always finds the old row or the new one.
import { setImmediate as roundTrip } from 'node:timers/promises';
import type { SessionFunctions } from './session-functions.ts';

export interface RaceFunctions {
  save(id: string, data: Record<string, unknown>): Promise<void>;
  load(id: string): Promise<unknown>;
}

export interface RaceResult {
  saves: number;
  loads: number;
  /** Loads that found no session although it was saved before the race began and never deleted. */
  missing: number;
}

export const RACE_ROUNDS = 30;
const READERS = 2;

export async function race(functions: RaceFunctions, id: string, rounds = RACE_ROUNDS): Promise<RaceResult> {
  await functions.save(id, { visits: 0 });
  const result: RaceResult = { saves: 0, loads: 0, missing: 0 };
  const writer = async () => {
    for (let i = 1; i <= rounds; i++) {
      await functions.save(id, { visits: i });
      result.saves++;
    }
  };
  const reader = async () => {
    for (let i = 0; i < rounds; i++) {
      const found = await functions.load(id);
      result.loads++;
      if (found === null) result.missing++;
    }
  };
  await Promise.all([writer(), ...Array.from({ length: READERS }, reader)]);
  return result;
}

/** The fixed functions with the same round trip after each statement, so both sides race alike. */
export function fixedForRace(fixed: SessionFunctions): RaceFunctions {
  return {
    async save(id, data) {
      const now = Date.now();
      fixed.saveSessionData(id, { data: data as never, createdAt: now, expiresAt: now + 3_600_000 });
      await roundTrip();
    },
    async load(id) {
      const found = fixed.loadSessionData(id);
      await roundTrip();
      return found;
    },
  };
}
