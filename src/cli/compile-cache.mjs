import module from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Imported first by the command line (`signpost.mjs`): Node keeps the code it compiles for each
 * module (Astro, Vite, Sätteri, ours) on disk, by the module's bytes, and the next run loads it
 * instead of compiling again (~0.3 s less in each process that loads Astro). Our TypeScript
 * modules are kept with their types stripped, so a command whose modules are all in the cache
 * does not load Node's type stripper at all. It lives beside the image cache (`.astro/cache/`), so
 * a CI runner that keeps one keeps both; `NODE_COMPILE_CACHE` moves it and
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off. The processes a command starts (`apart.ts`) find it
 * through `NODE_COMPILE_CACHE`. Where it cannot be written, Node goes on without it.
 *
 * JavaScript, not TypeScript: a module Node has to strip is stripped before the cache is on.
 */
const cache = module.enableCompileCache?.(
  process.env.NODE_COMPILE_CACHE ??
    fileURLToPath(new URL('../../.astro/cache/node-compile', import.meta.url)),
);
if (cache?.directory) process.env.NODE_COMPILE_CACHE ??= cache.directory;
