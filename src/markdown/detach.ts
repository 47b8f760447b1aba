/**
 * A copy of `text` that holds on to nothing else. Sätteri decodes all the strings of a
 * materialized tree as one pool and hands out slices of it; a slice keeps its whole pool alive
 * (V8 keeps the parent of a sliced string), so one link URL kept from a parse kept a copy of its
 * whole body for the rest of the build: ~11 MB at 1,000 × 3 articles. Whatever outlives a tree
 * (references, titles, headings, image text) is copied out with this. A JSON round trip always
 * makes a new flat string, and keeps every code unit, lone surrogates included.
 */
export function detach(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
