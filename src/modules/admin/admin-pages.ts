import { combineStyles } from '@adminjs/design-system';
import type AdminJS from 'adminjs';
import {
  type CurrentAdmin,
  createStore,
  getAssets,
  getBranding,
  getLocales,
  initializeAssets,
  initializeBranding,
  initializeLocale,
  initializePages,
  initializeStore,
  ViewHelpers,
} from 'adminjs';

import { escapeHtml, inlineJson } from '../../common/http/html.js';
import { ADMIN_FONT_STYLESHEET, ADMIN_STYLESHEET } from './admin-assets.js';
import { mayOpenPage } from './pages/index.js';

/** What a page is made of: values for its inline scripts (serialised safely here), and what to render. */
interface PageParts {
  title: string;
  favicon?: string;
  globals: Record<string, unknown>;
  /** The application to mount: `AdminJS.Application` or `AdminJS.LoginApplication`. */
  application: string;
  scripts: string[];
  styles: string[];
}

/**
 * One HTML page of the back office. Replaces AdminJS's page templates, which put values (a user's name, a
 * sign-in error) into inline scripts with `JSON.stringify` (a `</script>` in a value ends the script) and
 * link Google Fonts. Here every value goes through `inlineJson`, every attribute through `escapeHtml`, and
 * only these two inline scripts — the app's own — carry the response's CSP nonce.
 */
function page(parts: PageParts, nonce: string): string {
  const n = escapeHtml(nonce);
  const globals = Object.entries(parts.globals)
    .map(([name, value]) => `window.${name} = ${inlineJson(value)};`)
    .join('\n');
  const favicon = parts.favicon ? `<link rel="icon" href="${escapeHtml(parts.favicon)}">` : '';
  const styles = [ADMIN_FONT_STYLESHEET, ...parts.styles]
    .map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`)
    .join('\n');
  const scripts = parts.scripts.map((src) => `<script src="${escapeHtml(src)}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<title>${escapeHtml(parts.title)}</title>
${favicon}
<script nonce="${n}">
${globals}
window.THEME_COMPONENTS = {};
window.AdminJS = { Components: {} };
</script>
${scripts}
${styles}
</head>
<body>
<div id="app"></div>
<script nonce="${n}">
createRoot(document.getElementById('app')).render(${parts.application});
</script>
</body>
</html>`;
}

/** AdminJS's four bundles (global, design system, app, our components), in the order it loads them. */
function coreScripts(admin: AdminJS, assets: unknown): string[] {
  const h = new ViewHelpers({ options: admin.options });
  return ['global.bundle.js', 'design-system.bundle.js', 'app.bundle.js', 'components.bundle.js'].map(
    (file) => h.assetPath(file, assets as never),
  );
}

/** Every page of the signed-in back office (the single-page app routes from the URL itself). */
export async function renderAppPage(
  admin: AdminJS,
  currentAdmin: CurrentAdmin,
  nonce: string,
): Promise<string> {
  const store = await initializeStore(admin, currentAdmin);
  // The sidebar lists only the pages this user may open (their handlers refuse the others anyway).
  const pages = Object.entries(admin.options.pages ?? {}).filter(([name]) => mayOpenPage(currentAdmin, name));
  store.dispatch(initializePages(pages.map(([name, p]) => ({ name, component: p.component, icon: p.icon }))));
  const state = store.getState();
  const { branding, assets } = state;
  return page(
    {
      title: branding.companyName ?? 'venture-crm',
      favicon: branding.favicon,
      globals: { REDUX_STATE: state, THEME: combineStyles(branding.theme ?? {}) },
      application: 'AdminJS.Application',
      scripts: [...coreScripts(admin, assets), ...(assets?.scripts ?? [])],
      styles: [ADMIN_STYLESHEET, ...(assets?.styles ?? []).filter((s) => s !== ADMIN_STYLESHEET)],
    },
    nonce,
  );
}

/**
 * The sign-in page. `props.errorMessage` is one of the codes Login.jsx knows (admin-auth.provider.ts), never
 * the text of an unexpected error.
 */
export async function renderLoginPage(
  admin: AdminJS,
  props: { action: string; errorMessage: string | null },
  nonce: string,
): Promise<string> {
  const store = createStore();
  const branding = await getBranding(admin);
  const assets = await getAssets(admin);
  store.dispatch(initializeBranding(branding));
  store.dispatch(initializeAssets(assets));
  store.dispatch(initializeLocale(await getLocales(admin)));
  return page(
    {
      title: branding.companyName ?? 'venture-crm',
      favicon: branding.favicon,
      globals: {
        REDUX_STATE: store.getState(),
        THEME: combineStyles(branding.theme ?? {}),
        __APP_STATE__: props,
      },
      application: 'AdminJS.LoginApplication',
      scripts: [...coreScripts(admin, assets), ...(assets?.scripts ?? [])],
      styles: [ADMIN_STYLESHEET],
    },
    nonce,
  );
}
