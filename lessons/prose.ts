// Counts the words a learner reads on a page: the `.mdx` source without its frontmatter, imports, code
// blocks, component tags, HTML comments and the closing "Sources" list (links, not prose). Text inside
// components (asides, `<details>`) is prose and counts; so does inline code.

export function proseOf(mdx: string): string {
  return mdx
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/^##\s+Sources\b[\s\S]*$/m, '')
    .replace(/^(```|~~~)[\s\S]*?^\1\s*$/gm, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/^(import|export)\s.*$/gm, '')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/\]\([^)]*\)/g, ']');
}

/** Words of prose: runs of letters or digits (an apostrophe or hyphen inside a word keeps it one word). */
export function countProseWords(mdx: string): number {
  return proseOf(mdx).match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
