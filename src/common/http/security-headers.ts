import type { IncomingMessage, ServerResponse } from 'node:http';

import helmet from 'helmet';

/** The API's security headers (helmet): strict by default; what needs more (Swagger UI) is served from this origin. */
const apiHelmet = () =>
  helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });

/**
 * The headers helmet sets on every API response, worked out once: with this configuration (no nonces) they
 * depend on nothing in the request, and running helmet's dozen middlewares per request cost more than setting
 * its result.
 */
export function securityHeaders(): (res: ServerResponse) => void {
  const headers = new Map<string, string | number | readonly string[]>();
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name, value),
    removeHeader: (name: string) => headers.delete(name),
  };
  let done = false;
  apiHelmet()({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error('helmet failed');
    done = true;
  });
  // helmet's middlewares are synchronous; one that was not would leave headers out.
  if (!done) throw new Error('helmet did not finish synchronously');
  const fixed = [...headers];
  return (res) => {
    for (const [name, value] of fixed) res.setHeader(name, value);
  };
}
