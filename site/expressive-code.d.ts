// The props that ec.config.mjs's plugins read, on every code block (and so on Starlight's <Code>): the
// line numbers plugin's own (showLineNumbers, startLineNumber), and two of this site's.
/// <reference types="@expressive-code/plugin-line-numbers" />
declare module '@expressive-code/core' {
  interface ExpressiveCodeBlockProps {
    /** Each shown line's number in the file; 0 for a line that stands for a gap (no number). */
    fileLines?: number[];
    /** The code block's name for a screen reader, when its title alone would not say enough. */
    label?: string;
  }
}

export {};
