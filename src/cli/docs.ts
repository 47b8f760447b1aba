/** Placeholder replaced below. */
export async function runDocs(_options: { check: boolean }): Promise<number> {
  return 0;
}
