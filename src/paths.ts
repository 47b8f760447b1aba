import { fileURLToPath } from 'node:url';

/** The Signpost installation folder (holds the built-in `themes/`, and is Astro's root). */
export const PROJECT_ROOT: string = fileURLToPath(new URL('../', import.meta.url));
