// F0's one counter for every client, shared by its page and its read-only probe.
let count = 0;

export const countPlain = (): number => ++count;
export const plainCount = (): number => count;
