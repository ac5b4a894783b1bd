import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { base32 } from '../../src/warc/index.js';

/** A 4x4 red PNG: an image the browser must decode from the archive. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==', 'base64');
export const GZ_BODY = gzipSync(Buffer.from('<html><body><p>compressed page body</p></body></html>'));

const digest = (b: Buffer): string => `sha1:${base32(createHash('sha1').update(b).digest())}`;

function response(url: string, date: string, status: string, headers: [string, string][], body: Buffer, type = 'response', extra: [string, string][] = []): Buffer {
  const head = Buffer.from(`HTTP/1.1 ${status}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`, 'latin1');
  const block = type === 'revisit' ? head : Buffer.concat([head, body]);
  const warcHead = [
    'WARC/1.0',
    `WARC-Type: ${type}`,
    `WARC-Record-ID: <urn:uuid:${createHash('md5').update(url + date + type).digest('hex').replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5')}>`,
    `WARC-Date: ${date}`,
    `WARC-Target-URI: ${url}`,
    'Content-Type: application/http; msgtype=response',
    `WARC-Payload-Digest: ${digest(body)}`,
    ...extra.map(([k, v]) => `${k}: ${v}`),
    `Content-Length: ${block.length}`,
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${warcHead}\r\n\r\n`, 'latin1'), block, Buffer.from('\r\n\r\n')]);
}

const html = (s: string): Buffer => Buffer.from(s, 'utf8');

export const SHOP_HOME_1 =
  '<!doctype html><html><head><title>Archived shop</title><link rel="stylesheet" href="/style.css" integrity="sha256-x"></head>' +
  '<body><h1>Welcome to the archived shop</h1><img id="logo" src="/logo.png" srcset="/logo.png 1x, logo.png?big=1 2x" alt="logo">' +
  '<div class="bg" style="background-image:url(\'/logo.png\')">bg</div><p><a id="about" href="/about">About us</a> <a href="https://elsewhere.example/x">out</a></p>' +
  '<form action="/search"><input name="q"></form><meta http-equiv="refresh" content="600; url=/about"></body></html>';
export const SHOP_HOME_2 = SHOP_HOME_1.replace('Welcome to the archived shop', 'Welcome back to the archived shop, now with sales').replace('About us', 'About the team');
export const ABOUT = '<html><body><h1>About the archived shop</h1><p>We sell archived things.</p></body></html>';
export const CSS = 'h1 { color: rgb(255, 0, 0); }\n.bg { background: url(logo.png); }\n@import "/more.css";\n';

/**
 * A plain WARC 1.0 as another tool would write it: two captures of the home page, its CSS and
 * image, a page and a revisit of it, a redirect, a 404, and a gzip-encoded body.
 */
export async function writeShopWarc(path: string): Promise<void> {
  const t1 = '2024-01-02T03:04:05Z';
  const t2 = '2024-02-02T03:04:05Z';
  const htmlHeaders: [string, string][] = [['Content-Type', 'text/html; charset=utf-8']];
  const records = [
    response('http://shop.example/', t1, '200 OK', [...htmlHeaders, ['Set-Cookie', 'sid=1'], ['Connection', 'X-Private-Hop'], ['X-Private-Hop', 'secret'], ['X-Kept', 'yes']], html(SHOP_HOME_1)),
    response('http://shop.example/style.css', t1, '200 OK', [['Content-Type', 'text/css']], html(CSS)),
    response('http://shop.example/logo.png', t1, '200 OK', [['Content-Type', 'image/png']], PNG),
    response('http://shop.example/about', '2024-01-02T03:04:06Z', '200 OK', htmlHeaders, html(ABOUT)),
    response('http://shop.example/', t2, '200 OK', htmlHeaders, html(SHOP_HOME_2)),
    response('http://shop.example/about', t2, '200 OK', htmlHeaders, html(ABOUT), 'revisit', [
      ['WARC-Profile', 'http://netpreserve.org/warc/1.0/revisit/identical-payload-digest'],
      ['WARC-Refers-To-Target-URI', 'http://shop.example/about'],
    ]),
    response('http://shop.example/old', t1, '301 Moved Permanently', [['Location', '/about'], ['Content-Type', 'text/html']], html('<a href="/about">moved</a>')),
    response('http://shop.example/missing', t1, '404 Not Found', htmlHeaders, html('<html><body><p>Nothing here, said the server.</p></body></html>')),
    response('http://shop.example/gz', t1, '200 OK', [...htmlHeaders, ['Content-Encoding', 'gzip']], GZ_BODY),
  ];
  await writeFile(path, Buffer.concat(records));
}

/** One whole response, for a WARC truncated later (damage after indexing). */
export async function writeLoneWarc(path: string, url: string, text: string, date = '2024-03-03T00:00:00Z'): Promise<void> {
  await writeFile(path, response(url, date, '200 OK', [['Content-Type', 'text/html']], html(`<html><body><p>${text}</p></body></html>`)));
}
