import module from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';

/**
 * Imported first by the command line: Node keeps the code it compiles for each module (Astro,
 * Vite, Sätteri, ours) on disk, by the module's bytes, and the next run loads it instead of
 * compiling again (~0.3 s less in each process that loads Astro). It lives beside the image cache
 * (`.astro/cache/`), so a CI runner that keeps one keeps both; `NODE_COMPILE_CACHE` moves it and
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off. The processes a command starts (`apart.ts`) find it
 * through `NODE_COMPILE_CACHE`. Where it cannot be written, Node goes on without it.
 */
const cache = module.enableCompileCache?.(
  process.env.NODE_COMPILE_CACHE ?? path.join(PROJECT_ROOT, '.astro', 'cache', 'node-compile'),
);
if (cache?.directory) process.env.NODE_COMPILE_CACHE ??= cache.directory;
