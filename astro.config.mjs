// @ts-check
import { defineConfig } from 'astro/config';
import signpost from './src/integration/index.ts';

// The Signpost CLI (`npm run build`, `npm run dev`) drives Astro with this config; the content
// folder and the computed site reach the pages through the integration, not through src/content.
export default defineConfig({
  output: 'static',
  build: {
    format: 'directory',
    // Every brand is deployed from its own folder, so a page must not depend on shared CSS files.
    inlineStylesheets: 'always',
  },
  compressHTML: true,
  devToolbar: { enabled: false },
  integrations: [signpost()],
});
