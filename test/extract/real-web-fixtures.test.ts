import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/index.js';

const para = (topic: string): string =>
  `<p>${topic} is easier than most people think. Start with fresh beans, weigh them, and keep the water just off the boil. ` +
  `Small changes to the grind size make a large difference to the taste in the cup, so change one thing at a time.</p>`;

const WORDPRESS = `<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>How to Brew Better Coffee at Home &#8211; The Daily Grind</title>
<meta name="description" content="Five small habits that make home-brewed coffee taste like it came from your favourite cafe.">
<link rel="canonical" href="https://dailygrind.example/2024/03/brew-better-coffee/">
<link rel='stylesheet' id='wp-block-library-css' href='https://dailygrind.example/wp-includes/css/dist/block-library/style.min.css' media='all' />
<script type="application/ld+json" class="yoast-schema-graph">{"@context":"https://schema.org","@graph":[
 {"@type":"Article","@id":"https://dailygrind.example/2024/03/brew-better-coffee/#article","headline":"How to Brew Better Coffee at Home",
  "datePublished":"2024-03-05T08:00:00+00:00","dateModified":"2024-03-06T10:30:00+00:00","isAccessibleForFree":true},
 {"@type":"Organization","@id":"https://dailygrind.example/#organization","name":"The Daily Grind","url":"https://dailygrind.example/"},
 {"@type":"BreadcrumbList","itemListElement":[{"@type":"ListItem","position":1,"name":"Home"}]}
]}</script>
<script>window._wpemojiSettings = {"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/"};</script>
<style id='global-styles-inline-css'>body{--wp--preset--color--black: #000000;}</style>
</head>
<body class="post-template-default single single-post postid-42 wp-embed-responsive">
<div id="cookie-notice" role="dialog" class="cookie-notice-hidden cookie-revoke-hidden cn-position-bottom">
  <div class="cookie-notice-container"><span id="cn-notice-text">We use cookies to ensure that we give you the best experience on our website.</span>
  <a href="#" id="cn-accept-cookie" class="cn-set-cookie cn-button">Accept</a></div>
</div>
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header">
  <div class="site-branding"><p class="site-title"><a href="https://dailygrind.example/" rel="home">The Daily Grind</a></p></div>
  <nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
    <li class="menu-item"><a href="/about/">About</a></li><li class="menu-item"><a href="/shop/">Shop</a></li></ul></nav>
</header>
<div id="content" class="site-content content-with-sidebar">
<div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-42" class="post-42 post type-post status-publish format-standard hentry category-brewing">
  <header class="entry-header"><h1 class="entry-title">How to Brew Better Coffee at Home</h1></header>
  <div class="entry-content">
    ${para('Brewing good coffee')}
    <h2 class="wp-block-heading">Grind fresh</h2>
    <p>A <a href="https://gear.example/grinders" rel="nofollow noopener" target="_blank">burr grinder</a> gives an even grind.</p>
    ${para('Weighing the dose')}
    ${para('Water temperature')}
  </div>
  <div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social"><h3 class="sd-title">Share this:</h3>
    <a href="https://twitter.com/intent/tweet?url=x" class="share-twitter">Twitter</a></div></div>
</article>
<div id="comments" class="comments-area"><h2 class="comments-title">3 thoughts on “How to Brew Better Coffee”</h2>
  <ol class="comment-list"><li>Great post, thanks!</li></ol></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Recent Posts</h2>
  <ul><li><a href="/2024/02/espresso/">Espresso 101</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">Proudly powered by WordPress</div></footer>
</div>
<script src='https://dailygrind.example/wp-includes/js/wp-emoji-release.min.js'></script>
</body>
</html>`;

const SHOPIFY_LD = `<script type="application/ld+json">[{"@context":"http://schema.org/","@graph":[
  {"@type":"Organization","name":"Acme Goods","url":"https://acme.example"},
  {"@type":["Product"],"name":"Classic Leather Wallet","sku":"W-1","brand":{"@type":"Brand","name":"Acme"},
   "offers":[{"@type":"Offer","price":"1,299.00","priceCurrency":"usd","availability":"http://schema.org/InStock"}]}
]}]</script>`;

const shopify = (withLd: boolean): string => `<!doctype html>
<html class="no-js" lang="en">
<head>
<title>Classic Leather Wallet – Acme Goods</title>
<meta name="description" content="Full-grain leather, six card slots and a coin pocket. Hand-stitched in small batches.">
<meta property="og:type" content="product">
<link rel="canonical" href="https://acme.example/products/classic-leather-wallet">
${withLd ? SHOPIFY_LD : ''}
<script>var Shopify = Shopify || {}; Shopify.shop = "acme.myshopify.com";</script>
</head>
<body class="template-product">
<div class="announcement-bar">Free shipping on orders over $50</div>
<header class="site-header"><nav><a href="/collections/all">Shop all</a><a href="/cart">Cart</a></nav></header>
<main id="MainContent" role="main">
<div itemscope itemtype="http://schema.org/Product" class="product-single">
  <h1 itemprop="name" class="product-single__title">Classic Leather Wallet</h1>
  <div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
    <span class="price-item price-item--regular" itemprop="price" content="1299.00">$1,299.00</span>
    <meta itemprop="priceCurrency" content="USD">
    <link itemprop="availability" href="http://schema.org/InStock">
  </div>
  <form action="/cart/add" method="post"><button type="submit" name="add" class="btn product-form__cart-submit">Add to cart</button></form>
  <div class="product-single__description rte" itemprop="description">
    <p>Full-grain leather that ages beautifully. Six card slots, a note compartment and a coin pocket.</p>
    <p>Hand-stitched in small batches. In stock and ready to ship with free shipping.</p>
  </div>
</div>
<div class="product-recommendations related-products"><h2>You may also like</h2><a href="/products/belt">Belt</a></div>
</main>
<footer class="site-footer"><a href="/policies/privacy-policy">Privacy</a></footer>
</body></html>`;

const extract = (html: string | Buffer, contentType: string | null = 'text/html; charset=utf-8', url = 'https://dailygrind.example/2024/03/brew-better-coffee/') =>
  extractPage({ url, body: typeof html === 'string' ? Buffer.from(html) : html, contentType, status: 200 });

describe('real-web style pages', () => {
  it('WordPress article: metadata, JSON-LD graph, main text without cookie banner, sharing, comments, widgets', () => {
    const r = extract(WORDPRESS);
    expect(r.title).toBe('How to Brew Better Coffee at Home – The Daily Grind');
    expect(r.description).toMatch(/^Five small habits/);
    expect(r.canonicalUrl).toBe('https://dailygrind.example/2024/03/brew-better-coffee/');
    expect(r.language).toBe('en');
    expect(r.article).toEqual({ published: '2024-03-05T08:00:00+00:00', modified: '2024-03-06T10:30:00+00:00' });
    expect(r.organization).toEqual({ name: 'The Daily Grind', url: 'https://dailygrind.example/' });
    expect(r.text.startsWith('How to Brew Better Coffee at Home\n\nBrewing good coffee is easier')).toBe(true);
    expect(r.text).toContain('Grind fresh\n\nA burr grinder gives an even grind.');
    expect(r.text).toContain('Water temperature is easier');
    for (const junk of ['cookies', 'Skip to content', 'Share this', 'Twitter', 'Great post', 'Recent Posts', 'Proudly powered', '_wpemoji', '--wp--preset']) {
      expect(r.text).not.toContain(junk);
    }
    expect(r.headings).toEqual(expect.arrayContaining(['How to Brew Better Coffee at Home', 'Grind fresh']));
    const grinder = r.links.find((l) => l.url === 'https://gear.example/grinders');
    expect(grinder).toEqual({ url: 'https://gear.example/grinders', text: 'burr grinder', rel: 'nofollow noopener', nofollow: true });
    expect(r.links.map((l) => l.url)).toContain('https://dailygrind.example/about/');
    expect(r.links.some((l) => l.url.includes('#'))).toBe(false);
    expect(r.signals).toMatchObject({ hasPrice: false, paywall: false, soft404: false });
  });

  it('Shopify product: JSON-LD @graph inside an array, offers array, lower-case currency, thousands separator', () => {
    const r = extract(shopify(true), 'text/html; charset=utf-8', 'https://acme.example/products/classic-leather-wallet');
    expect(r.product).toEqual({ name: 'Classic Leather Wallet', price: 1299, currency: 'USD' });
    expect(r.organization?.name).toBe('Acme Goods');
    expect(r.signals).toMatchObject({ hasPrice: true, price: 1299, currency: 'USD', paywall: false });
    expect(r.signals.buyIntent).toBeGreaterThanOrEqual(0.7);
    expect(r.text).toContain('$1,299.00');
    expect(r.text).not.toContain('You may also like');
    expect(r.text).not.toContain('Shopify.shop');
  });

  it('Shopify product without JSON-LD: microdata alone gives product, price and currency', () => {
    const r = extract(shopify(false), 'text/html', 'https://acme.example/products/classic-leather-wallet');
    expect(r.product).toEqual({ name: 'Classic Leather Wallet', price: 1299, currency: 'USD' });
    expect(r.signals).toMatchObject({ hasPrice: true, price: 1299, currency: 'USD' });
  });

  it('<base href> decides where relative links and the canonical point; non-web schemes are dropped', () => {
    const html = `<html><head><base href="https://cdn.example.com/docs/v2/"><link rel="canonical" href="page.html"></head><body>
      <a href="intro.html">Intro</a> <a href="/root">Root</a> <a href="../v1/old.html#s2">Old</a> <a href="#top">Top</a>
      <a href="javascript:void(0)">JS</a> <a href="mailto:a@b.example">Mail</a> <a href="//other.example/x">Proto</a>
      <a href=" HTTPS://Upper.Example/A ">Upper</a></body></html>`;
    const r = extract(html, 'text/html', 'https://www.example.com/guide/start');
    expect(r.canonicalUrl).toBe('https://cdn.example.com/docs/v2/page.html');
    expect(r.links.map((l) => [l.url, l.text])).toEqual([
      ['https://cdn.example.com/docs/v2/intro.html', 'Intro'],
      ['https://cdn.example.com/root', 'Root'],
      ['https://cdn.example.com/docs/v1/old.html', 'Old'],
      ['https://other.example/x', 'Proto'],
      ['https://upper.example/A', 'Upper'],
    ]);
  });

  it('windows-1252 page declared only in a meta tag (http-equiv and charset forms)', () => {
    const text = 'Prix : 10 € — “smart quotes” and café';
    for (const meta of ['<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', '<meta charset="iso-8859-1">']) {
      const body = iconv.encode(`<html><head>${meta}<title>${text}</title></head><body><p>${text}</p></body></html>`, 'win1252');
      const r = extract(body, 'text/html');
      expect(r.charset).toBe('windows-1252');
      expect(r.charsetSource).toBe('meta');
      expect(r.title).toBe(text);
      expect(r.text).toBe(text);
    }
  });

  it('Shift_JIS page declared in a meta tag', () => {
    const body = iconv.encode('<html><head><meta charset="Shift_JIS"><title>日本語のページ</title></head><body><p>こんにちは世界。</p></body></html>', 'shift_jis');
    const r = extract(body, 'text/html');
    expect(r.charset).toBe('shift_jis');
    expect(r.title).toBe('日本語のページ');
    expect(r.text).toBe('こんにちは世界。');
  });

  it('a BOM wins over the header and is not part of the text (UTF-8 and UTF-16LE)', () => {
    const html = '<html><head><title>Grüße</title></head><body><p>Straße</p></body></html>';
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(html)]);
    const r8 = extract(utf8, 'text/html; charset=iso-8859-1');
    expect(r8).toMatchObject({ charset: 'utf-8', charsetSource: 'bom', title: 'Grüße', text: 'Straße' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(html, 'utf16le')]);
    const r16 = extract(utf16, 'text/html');
    expect(r16).toMatchObject({ charset: 'utf-16le', charsetSource: 'bom', title: 'Grüße', text: 'Straße' });
  });

  it('a page without any declaration is sniffed: UTF-8 text stays UTF-8, Latin-1 text becomes windows-1252', () => {
    const html = '<html><head><title>Crème brûlée</title></head><body><p>À la carte</p></body></html>';
    expect(extract(Buffer.from(html), null)).toMatchObject({ charset: 'utf-8', charsetSource: 'sniff', title: 'Crème brûlée' });
    expect(extract(Buffer.from(html, 'latin1'), 'text/html')).toMatchObject({ charset: 'windows-1252', charsetSource: 'sniff', title: 'Crème brûlée' });
  });

  it('paywall from isAccessibleForFree:false and soft-404 from the title of a 200 page', () => {
    const paywalled = `<html lang="en"><head><title>Markets today</title><script type="application/ld+json">
      {"@context":"https://schema.org","@type":"NewsArticle","headline":"Markets today","isAccessibleForFree":"False"}</script></head>
      <body><article><p>The first paragraph is free to read for everyone.</p></article></body></html>`;
    expect(extract(paywalled).signals.paywall).toBe(true);
    const soft = '<html><head><title>Oops! Page not found | Shop</title></head><body><h1>Sorry</h1><p>Try the search.</p></body></html>';
    expect(extractPage({ url: 'https://s.example/x', body: Buffer.from(soft), contentType: 'text/html', status: 200 }).signals.soft404).toBe(true);
    // A real 404 is not a *soft* 404.
    expect(extractPage({ url: 'https://s.example/x', body: Buffer.from(soft), contentType: 'text/html', status: 404 }).signals.soft404).toBe(false);
  });

  it('regression: a French word ending in "eur" before a number is not a price in EUR', () => {
    const html = '<html lang="fr"><body><p>Stratégie Année Est Leur 49 projets sont prêts.</p></body></html>';
    const r = extract(html);
    expect(r.signals.hasPrice).toBe(false);
    expect(extract('<p>Prix : 49,99 EUR seulement</p>').signals).toMatchObject({ price: 49.99, currency: 'EUR' });
    expect(extract('<p>Only £1,234.50 today</p>').signals).toMatchObject({ price: 1234.5, currency: 'GBP' });
  });
});
