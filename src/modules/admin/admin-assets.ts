import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import express, { type RequestHandler, type Response, type Router } from 'express';
import helmet from 'helmet';

import { ADMIN_ROOT } from './admin.constants.js';
import { componentsBundlePath } from './admin-components.js';

const FONT_WEIGHTS = [300, 400, 500, 700];
const FONT_FILE = /^roboto-[a-z-]+-\d{3}-normal\.woff2?$/;

/** Roboto, served here (from @fontsource/roboto): AdminJS's own templates would load it from Google Fonts. */
export const ADMIN_FONT_STYLESHEET = `${ADMIN_ROOT}/fonts/roboto.css`;

/**
 * LP data and users' IPs stay in-house: the pages (admin-pages.ts) link this font instead of Google's.
 */
function fontRoutes(router: Router): void {
  const dir = dirname(createRequire(import.meta.url).resolve('@fontsource/roboto/package.json'));
  const css = FONT_WEIGHTS.map((w) => readFileSync(join(dir, `${w}.css`), 'utf8'))
    .join('\n')
    .replaceAll('url(./files/', `url(${ADMIN_ROOT}/fonts/files/`);
  router.get('/fonts/roboto.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=86400').send(css);
  });
  router.get('/fonts/files/:file', (req, res, next) => {
    const file = req.params.file;
    if (!FONT_FILE.test(file)) return next();
    res.sendFile(join(dir, 'files', file), { maxAge: '30d', immutable: true });
  });
}

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f4e79"/><path d="M8 10l8 13 8-13" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
const WORDMARK = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 170 32"><rect width="32" height="32" rx="7" fill="#1f4e79"/><path d="M8 10l8 13 8-13" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/><text x="42" y="22" font-family="Roboto, Helvetica, Arial, sans-serif" font-size="17" font-weight="500" fill="#1c2430">venture-crm</text></svg>`;

/**
 * The CSS reset AdminJS's page templates carry inline (Eric Meyer's, plus full-height app), then small
 * corrections to its look: no mid-word breaks in table cells (emails), quieter dashboard links, and the
 * sidebar in view from 1200 px wide (a 1280 px laptop; AdminJS keeps it only from 1324 px, behind a menu
 * button below that), and on contact and organization pages the hub's name as the visible title (AdminJS's
 * "Contact" heading is kept for screen readers only).
 */
const STYLES = `
html, body, div, span, applet, object, iframe, h1, h2, h3, h4, h5, h6, p, blockquote, pre, a, abbr, acronym,
address, big, cite, code, del, dfn, em, img, ins, kbd, q, s, samp, small, strike, strong, sub, sup, tt, var,
b, u, i, center, dl, dt, dd, ol, ul, li, fieldset, form, label, legend, table, caption, tbody, tfoot, thead,
tr, th, td, article, aside, canvas, details, embed, figure, figcaption, footer, header, hgroup, main, menu, nav,
output, ruby, section, summary, time, mark, audio, video {
  margin: 0; padding: 0; border: 0; font-size: 100%; font: inherit; vertical-align: baseline;
}
article, aside, details, figcaption, figure, footer, header, hgroup, main, menu, nav, section { display: block; }
*[hidden] { display: none; }
body { line-height: 1; }
ol, ul { list-style: none; }
blockquote, q { quotes: none; }
blockquote:before, blockquote:after, q:before, q:after { content: ''; content: none; }
table { border-collapse: collapse; border-spacing: 0; }
html, body, #app { margin: 0; padding: 0; width: 100%; height: 100%; color: #0c1e29; }
#app { isolation: isolate; }
:root { color-scheme: light; }
table td a { word-break: normal !important; overflow-wrap: normal !important; white-space: nowrap; }
table td { word-break: normal !important; overflow-wrap: normal !important; }
table td:nth-child(2) { white-space: nowrap; }
[data-css$="-list-table-wrapper"] { overflow-x: auto; }
[data-css$="-list-table-wrapper"] td, [data-css$="-list-table-wrapper"] th { padding-left: 10px; padding-right: 10px; }
[data-testid="dashboard"] a { color: #1f4e79; text-decoration: none; }
[data-testid="dashboard"] a:hover { text-decoration: underline; }
[data-testid="login-form"] a, [data-testid="two-factor-setup-required"] a { color: #1f4e79; }
@media (min-width: 1200px) {
  [data-css="sidebar"] { position: relative !important; left: 0 !important; }
  [data-css="topbar"] > :first-child { display: none !important; }
}
[data-css="Contact-show-action-header"] h2, [data-css="Organization-show-action-header"] h2 {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; background: #eef1f5; padding: 1px 4px; border-radius: 3px; }
`;

export const ADMIN_STYLESHEET = `${ADMIN_ROOT}/brand/admin.css`;

function brandRoutes(router: Router): void {
  const svg = (body: string) => (_req: unknown, res: Response) =>
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(body);
  router.get('/brand/logo.svg', svg(LOGO));
  router.get('/brand/wordmark.svg', svg(WORDMARK));
  router.get('/brand/admin.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(STYLES);
  });
}

/** The component bundle built by `npm run build` (it replaces AdminJS's run-time bundling). */
function bundleRoute(router: Router): void {
  const file = componentsBundlePath();
  router.get('/frontend/assets/components.bundle.js', (_req, res) => {
    res
      .type('application/javascript')
      .set('Cache-Control', 'no-cache')
      .sendFile(file, (err) => {
        if (err && !res.headersSent) {
          res.status(503).type('text/plain').send('The back office is not built: run `npm run build`.');
        }
      });
  });
}

/** This response's CSP nonce: only the app's own inline scripts carry it (admin-pages.ts). */
export const nonceOf = (res: Response): string => (res.locals as { cspNonce: string }).cspNonce;

const cspNonce: RequestHandler = (_req, res, next) => {
  (res.locals as { cspNonce: string }).cspNonce = randomBytes(16).toString('base64');
  next();
};

/**
 * The API's strict CSP, loosened for /admin only as far as AdminJS needs: its pages bootstrap with inline
 * scripts (allowed by a per-response nonce) and styled-components inject styles. Nothing from other hosts.
 */
const adminHelmet: RequestHandler = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", (_req, res) => `'nonce-${nonceOf(res as Response)}'`],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
    },
  },
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: 'same-origin' },
});

export const adminSecurityHeaders: RequestHandler[] = [cspNonce, adminHelmet];

/** Static pieces of the back office that need no session: fonts, logo, component bundle. */
export function assetRoutes(): Router {
  const router = express.Router();
  fontRoutes(router);
  brandRoutes(router);
  bundleRoute(router);
  return router;
}
