// @ts-check
import { defineConfig } from 'astro/config';
import signpost from './src/integration/index.ts';

// The Signpost CLI (`npm run build`, `npm run dev`) drives Astro with this config; the computed
// site reaches the integration and the pages through src/integration/handoff.ts.
export default defineConfig({
  output: 'static',
  build: {
    // Pages whose URL is a folder are `index.astro` routes (`<url>/index.html`); files such as
    // `404.html` come from a file route and are written where they belong.
    format: 'preserve',
    // Every brand is deployed from its own folder, so a page must not depend on shared CSS files.
    inlineStylesheets: 'always',
    // Pages rendered at once. One at a time, the render waited for each page's file to be written
    // and sat idle more than half the time: 8 took 3,000 pages from 6.7–8.4 s to 3.2–4.5 s on two
    // cores, with the same bytes written.
    concurrency: 8,
  },
  compressHTML: true,
  // Optimised article images are kept here between builds (by the hash of the image and its
  // transform), shared by every build of this project; CI keeps the folder between runs (README,
  // "Performance"). Inside `.astro/`, which git, ESLint and Prettier already ignore.
  cacheDir: './.astro/cache',
  devToolbar: { enabled: false },
  integrations: [signpost()],
});
