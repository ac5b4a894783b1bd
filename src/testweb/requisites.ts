/**
 * Page requisites of the synthetic web, served only when the `requisites` option is on (other
 * tests rely on the bytes of pages without them). Each HTML page then links a stylesheet (which
 * @imports another and refers to a background image and a font by `url()`), a favicon, a preload,
 * a script and an image with a `srcset`; every asset is a fixed, deterministic body. Tests of
 * `collect --page-requisites` and of replay check that all of them reach the archive.
 */

export interface StaticAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const svg = (label: string, color: string): Buffer =>
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="${color}"/><text x="6" y="26">${label}</text></svg>\n`);

const ASSETS: Record<string, StaticAsset> = {
  '/static/site.css': {
    contentType: 'text/css; charset=utf-8',
    body: Buffer.from(
      '@import url("base.css");\n' +
        '@font-face{font-family:"Synth";src:url(/static/fonts/synth.woff2) format("woff2")}\n' +
        '.hero{background:#eee url(\'img/bg.svg\') no-repeat;font-family:"Synth",sans-serif}\n',
    ),
  },
  '/static/base.css': { contentType: 'text/css; charset=utf-8', body: Buffer.from('body{color:#222}\nfooter{background-image:url(/static/img/foot.svg)}\n') },
  '/static/app.js': { contentType: 'text/javascript; charset=utf-8', body: Buffer.from("document.documentElement.setAttribute('data-app','loaded');\n") },
  '/static/img/bg.svg': { contentType: 'image/svg+xml', body: svg('bg', '#def') },
  '/static/img/foot.svg': { contentType: 'image/svg+xml', body: svg('foot', '#fed') },
  '/static/img/hero.svg': { contentType: 'image/svg+xml', body: svg('hero 1x', '#cfc') },
  '/static/img/hero-2x.svg': { contentType: 'image/svg+xml', body: svg('hero 2x', '#cfc') },
  '/static/fonts/synth.woff2': { contentType: 'font/woff2', body: Buffer.from('wOF2synthetic-font-bytes-not-a-real-font\n') },
  '/favicon.svg': { contentType: 'image/svg+xml', body: svg('icon', '#fcc') },
  // Under /private/, which the `disallow` and `crawlDelay` robots variants disallow: a requisite
  // that robots.txt refuses.
  '/private/pixel.svg': { contentType: 'image/svg+xml', body: svg('private', '#ccc') },
};

/** The asset at `path` (query ignored), when requisites are on; undefined otherwise. */
export function staticAsset(path: string): StaticAsset | undefined {
  const q = path.indexOf('?');
  return ASSETS[q >= 0 ? path.slice(0, q) : path];
}

/** Every requisite URL path one page pulls in, directly or through its CSS. */
export const REQUISITE_PATHS: readonly string[] = Object.keys(ASSETS);

/** Tags added to a page's head. */
export const REQUISITE_HEAD =
  '<link rel="stylesheet" href="/static/site.css">\n<link rel="icon" href="/favicon.svg">\n<link rel="preload" href="/static/img/hero.svg" as="image">\n<script src="/static/app.js" defer></script>';

/** Markup added at the start of a page's main. */
export const REQUISITE_BODY =
  '<div class="hero"><img src="/static/img/hero.svg" srcset="/static/img/hero.svg 1x, /static/img/hero-2x.svg 2x" alt="hero"><img src="/private/pixel.svg" alt=""></div>';
