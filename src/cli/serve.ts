import { isOperatorError, startGate } from '../gate/node.ts';

/**
 * `signpost serve`: the production server for `dist/`, with the private-article gate. Prints its
 * start-up notices and one line per brand, then serves until SIGINT or SIGTERM. An operator
 * problem (missing secret, bad key, unreachable JWKS, no dist) is one line on stderr and exit 1.
 */
export async function runServe(options: {
  dist: string;
  port?: string | undefined;
  host?: string | undefined;
  brand?: string | undefined;
  trustProxy: boolean;
}): Promise<number> {
  const port = Number(options.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`signpost serve: --port ${options.port}: expected a port number (0-65535)`);
    return 1;
  }
  let gate;
  try {
    gate = await startGate({
      dist: options.dist,
      port,
      host: options.host ?? '127.0.0.1',
      brand: options.brand,
      trustProxy: options.trustProxy,
      env: process.env,
    });
  } catch (error) {
    if (!isOperatorError(error)) throw error;
    console.error(`signpost serve: ${error.message}`);
    return 1;
  }
  const { port: bound } = new URL(gate.origin);
  const lines = gate.notices.map((notice) => `note: ${notice}`);
  for (const brand of gate.brands) {
    // Locally the brand's domain does not resolve; the Host header (or --brand) picks the brand.
    const where =
      options.brand || gate.brands.length === 1
        ? gate.origin
        : `${gate.origin} (Host: ${brand.domain}:${bound})`;
    const signIn = brand.privacy ? `${Object.keys(brand.private).length} private pages` : 'no sign-in';
    lines.push(`serving brand "${brand.brand}" at ${where}, ${signIn}`);
  }
  // One write, so a supervisor (or a test) reading stdout sees the whole start-up report at once.
  console.log(lines.join('\n'));
  // Containers stop with SIGTERM: finish the requests in flight, then exit.
  await new Promise<void>((resolve) => {
    const stop = () => void gate.close().then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
