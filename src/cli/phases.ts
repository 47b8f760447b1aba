/** A build's wall time per phase, for its summary and the bench. */

/**
 * Wall seconds of each phase of a build, in the order they run. `check` and the content load are
 * one pass (reading a file is where it is validated), so they are one figure; likewise optimised
 * images are Astro's, timed between the last page it writes and the end of its build.
 */
export interface BuildTimings {
  /** Reading, parsing and validating every content file into the model: what `check` does. */
  checkAndLoad: number;
  /** Every page of every brand as data: URLs, listings, Markdown rendered once, links checked. */
  routeData: number;
  /** Astro's own work around the pages: config, integrations, the Vite bundle of the pages and their CSS, its finish. */
  bundle: number;
  /** Astro writing every HTML page from the route data. */
  render: number;
  /** Astro's optimised article images (a copy from the image cache when it has them). */
  images: number;
  /** Copying the pages that did not change from the previous output, and recording every page's inputs. */
  pageCache: number;
  /** Brand files, favicons and assets per deploy root, and the gate's manifests. */
  brandFiles: number;
  /**
   * Pagefind: every brand's public and private indexes; where a rebuild makes them while the feeds
   * are written (`pagesFirst` in `build-site.ts`), only what they took after the site build.
   */
  searchIndex: number;
  /** Knowledge feeds, `llms.txt` and the Markdown copies. */
  feeds: number;
  /** Clearing what killed builds left, and the two renames (the old tree is removed after exit). */
  outputSwap: number;
}

type Phase = keyof BuildTimings;

/** Wall time per phase: `start` ends the running phase and begins the next. */
export class PhaseClock {
  private readonly seconds: BuildTimings = {
    checkAndLoad: 0,
    routeData: 0,
    bundle: 0,
    render: 0,
    images: 0,
    pageCache: 0,
    brandFiles: 0,
    searchIndex: 0,
    feeds: 0,
    outputSwap: 0,
  };
  private running: { phase: Phase; since: number } | undefined;

  start(phase: Phase): void {
    this.stop();
    this.running = { phase, since: performance.now() };
  }

  stop(): void {
    if (this.running) this.seconds[this.running.phase] += (performance.now() - this.running.since) / 1000;
    this.running = undefined;
  }

  /** Adds the phases another process timed (the site build's) to this clock's. */
  add(timings: BuildTimings): void {
    for (const [phase, s] of Object.entries(timings)) this.seconds[phase as Phase] += s;
  }

  timings(): BuildTimings {
    return Object.fromEntries(
      Object.entries(this.seconds).map(([phase, s]) => [phase, Number(s.toFixed(3))]),
    ) as unknown as BuildTimings;
  }
}
