import { fileURLToPath } from 'node:url';

/**
 * The Signpost installation folder (holds the built-in `themes/`). Taken from the environment when
 * set, because code bundled by Astro no longer sits at its source path.
 */
export const PROJECT_ROOT: string =
  process.env.SIGNPOST_PROJECT_ROOT ?? fileURLToPath(new URL('../', import.meta.url));
