// What a person does on the `integra serve` page, in a real headless chromium (Debian's
// /usr/bin/chromium, driven by playwright-core): search, read highlighted passages with their
// pages, filter by a facet and go back, turn the page, open a document, upload a PDF and find
// it, reach the search box and the first hit with the keyboard alone, read the page on a phone.
//
// Run: cargo build --bin integra && cd tests/browser && npm ci && npm test
// INTEGRA_SCREENSHOT=path writes the screenshot of a result page there (docs/screenshot.png in
// the README is made so: npm run screenshot).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { LABELLED_PDF, PDF_FIXTURES, startServer } from './fixture.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server;
let context;
let profile;

before(async () => {
  server = await startServer();
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'integra-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    locale: 'de-DE',
    viewport: { width: 1280, height: 900 },
  });
});

after(async () => {
  await context?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
  await server?.stop();
});

/** A new tab at a path of the server. */
async function open(pathAndQuery, viewport) {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const response = await page.goto(new URL(pathAndQuery, server.url).href);
  assert.equal(response.status(), 200, `${pathAndQuery}: ${response.status()}`);
  return page;
}

/** Types a query into the search box and presses Enter, as a person does. */
async function search(page, query) {
  await page.fill('#q', query);
  await Promise.all([page.waitForURL(/\/search\?/), page.press('#q', 'Enter')]);
}

/** The number in #total ("14 Treffer · Seite 1/2" → 14). */
async function total(page) {
  const text = await page.textContent('#total');
  const found = /\d+/.exec(text);
  assert.ok(found, `no count in #total: ${text}`);
  return Number(found[0]);
}

/** A facet's values and counts, as the page shows them. */
async function facetCounts(page, facet) {
  return page.$$eval(`section.facet[data-facet="${facet}"] a.facet-value`, (links) =>
    links.map((a) => [a.dataset.value, Number(a.querySelector('.count').textContent)]),
  );
}

describe('the search page', () => {
  test('a typed query shows hits with highlighted passages and page labels', async () => {
    const page = await open('/');
    assert.equal(await page.getAttribute('label[for="q"]', 'for'), 'q');
    assert.ok((await page.textContent('#syntax-help')).trim().length > 0);
    await search(page, 'Kinderbetreuung');
    assert.match(page.url(), /[?&]q=Kinderbetreuung/);
    assert.equal(await total(page), 1);
    const hit = page.locator('li.hit').first();
    const marks = await hit.locator('.passage mark').allTextContents();
    assert.ok(
      marks.some((m) => /kinderbetreuung/i.test(m)),
      `highlights: ${marks}`,
    );
    // tex.pdf labels its pages i, 1, 2: the passage stands on the page labelled 1, the second.
    const label = hit.locator('.passage .page').first();
    assert.equal((await label.textContent()).trim(), 'S. 1');
    assert.match(await label.getAttribute('href'), new RegExp(`/documents/${LABELLED_PDF}#page=2$`));
    await page.close();
  });

  test('a facet value filters, its counts change, the URL holds it, and Back undoes it', async () => {
    const page = await open('/');
    await search(page, 'Integration');
    const before = await total(page);
    const institutions = await facetCounts(page, 'institution');
    assert.ok(institutions.length >= 3, `institutions: ${institutions}`);
    const [value, count] = institutions.find(([, n]) => n < before) ?? [];
    assert.ok(value, `no institution narrows ${before} hits: ${institutions}`);
    const years = await facetCounts(page, 'year');
    const link = page.locator(
      `section.facet[data-facet="institution"] a.facet-value[data-value="${value}"]`,
    );
    await Promise.all([page.waitForURL(/institution=/), link.click()]);
    assert.equal(new URL(page.url()).searchParams.getAll('institution').join(), value);
    assert.equal(await total(page), count);
    const selected = page.locator(
      `section.facet[data-facet="institution"] a.facet-value[data-value="${value}"]`,
    );
    assert.equal(await selected.getAttribute('aria-pressed'), 'true');
    assert.match(await selected.getAttribute('class'), /\bselected\b/);
    assert.notDeepEqual(await facetCounts(page, 'year'), years, 'the year counts follow the filter');
    for (const meta of await page.locator('li.hit .meta').allTextContents()) {
      assert.ok(meta.includes(value), `a hit without ${value}: ${meta}`);
    }
    // A year on top: across facets, both hold.
    const [year, yearCount] = (await facetCounts(page, 'year'))[0];
    await Promise.all([
      page.waitForURL(/from=|year=/),
      page.locator(`section.facet[data-facet="year"] a.facet-value[data-value="${year}"]`).click(),
    ]);
    assert.equal(await total(page), yearCount);
    assert.equal(new URL(page.url()).searchParams.getAll('institution').join(), value);
    await page.goBack();
    await page.goBack();
    assert.equal(new URL(page.url()).searchParams.get('institution'), null);
    assert.equal(await total(page), before);
    await page.close();
  });

  test('paging moves to the next hits and back', async () => {
    const page = await open('/');
    await search(page, 'Integration');
    assert.ok((await total(page)) > 10, 'more than a page of hits');
    const first = await page.locator('li.hit a.title').allTextContents();
    assert.equal(await page.locator('nav.paging a[rel=prev]').count(), 0);
    await Promise.all([page.waitForURL(/page=2/), page.click('nav.paging a[rel=next]')]);
    const second = await page.locator('li.hit a.title').allTextContents();
    assert.ok(second.length > 0);
    assert.deepEqual(
      second.filter((t) => first.includes(t)),
      [],
      'page 2 repeats no hit of page 1',
    );
    assert.equal(new URL(page.url()).searchParams.get('q'), 'Integration');
    await Promise.all([page.waitForURL((u) => !/page=2/.test(u)), page.click('nav.paging a[rel=prev]')]);
    assert.deepEqual(await page.locator('li.hit a.title').allTextContents(), first);
    await page.close();
  });

  test('no hits say why and offer the any-word search', async () => {
    const page = await open('/');
    await search(page, 'Kinderbetreuung Quxzyplort');
    assert.equal(await total(page), 0);
    assert.match(await page.textContent('#no-hits'), /Quxzyplort/);
    const any = page.locator('#no-hits a#any-words');
    assert.match(await any.getAttribute('href'), /mode=any/);
    await Promise.all([page.waitForURL(/mode=any/), any.click()]);
    assert.ok((await total(page)) > 0, 'the any-word search finds the known word');
    await page.close();
  });

  test('a hit opens its document: a PDF at the passage page, nothing outside the corpus', async () => {
    const page = await open('/');
    await search(page, 'Wohnsitzauflage');
    const pdf = page.locator(`li.hit a.title[href*="${LABELLED_PDF}"]`);
    const href = await pdf.getAttribute('href');
    assert.match(href, new RegExp(`^/documents/${LABELLED_PDF}#page=\\d+$`));
    const response = await page.request.get(new URL(href, server.url).href);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^application\/pdf/);
    const bytes = await response.body();
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    // A text document opens too, and a path out of the corpus does not.
    await search(page, 'Willkommensklassen');
    const text = await page.locator('li.hit a.title').first().getAttribute('href');
    assert.equal((await page.request.get(new URL(text, server.url).href)).status(), 200);
    for (const attempt of ['/documents/../Cargo.toml', '/documents/%2e%2e/%2e%2e/etc/passwd']) {
      const answer = await page.request.get(new URL(attempt, server.url).href);
      assert.notEqual(answer.status(), 200, attempt);
    }
    await page.close();
  });

  test('an uploaded PDF with a title can be found', async () => {
    const page = await open('/');
    // "Viertel" stands only in the PDF to upload.
    await search(page, 'Viertel');
    assert.equal(await page.locator('li.hit').count(), 0, 'nothing before the upload');
    await page.setInputFiles('#upload input[type=file][name=file]', path.join(PDF_FIXTURES, 'operators.pdf'));
    await page.fill('#upload [name=title]', 'Kurzbericht Fachkräfte aus dem Ausland');
    await page.fill('#upload [name=institutions]', 'Bundesagentur für Arbeit');
    await page.fill('#upload [name=year]', '2023');
    await Promise.all([page.waitForNavigation(), page.click('#upload button[type=submit]')]);
    const status = await page.textContent('#upload-status');
    assert.ok(!/fehlgeschlagen|failed|error/i.test(status), status);
    // A word of its text, found now or a moment later.
    let titles = [];
    for (let i = 0; i < 30 && !titles.length; i++) {
      if (i > 0) await page.waitForTimeout(1000);
      await search(page, 'Viertel');
      titles = await page.locator('li.hit a.title').allTextContents();
    }
    assert.deepEqual(titles.map((t) => t.trim()), ['Kurzbericht Fachkräfte aus dem Ausland']);
    assert.match(await page.textContent('li.hit .meta'), /Bundesagentur für Arbeit/);
    assert.match(await page.locator('li.hit a.title').getAttribute('href'), /\.pdf#page=\d+$/);
    await page.close();
  });

  test('the keyboard alone reaches the search box and the first hit', async () => {
    const page = await open('/search?q=Integration');
    // From the top of the page, as after loading it without the box's autofocus.
    const start = await page.evaluate(() => {
      const first = document.querySelector('a[href], input, button, select, textarea');
      first.focus();
      return first.id || first.tagName;
    });
    const reached = [start];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const here = await page.evaluate(() => {
        const el = document.activeElement;
        const first = document.querySelector('li.hit a.title');
        return el === first ? 'first-hit' : el?.id || el?.tagName;
      });
      reached.push(here);
      if (here === 'first-hit') break;
    }
    assert.ok(reached.includes('q'), `Tab order: ${reached}`);
    assert.equal(reached.at(-1), 'first-hit', `Tab order: ${reached}`);
    assert.ok(reached.indexOf('q') < reached.length - 1);
    // Enter on the focused box searches.
    await page.focus('#q');
    await search(page, 'Kommunen');
    assert.ok((await total(page)) > 0);
    await page.close();
  });

  test(
    'the hits can be exported as BibTeX from the page and the API',
    async () => {
      const page = await open('/search?q=Kitapl%C3%A4tze');
      const link = page.locator('a[href*="format=bibtex"]').first();
      assert.equal(await link.count(), 1, 'a BibTeX link on the result page');
      const fromPage = await page.request.get(new URL(await link.getAttribute('href'), server.url).href);
      assert.equal(fromPage.status(), 200);
      assert.match(fromPage.headers()['content-type'], /^application\/x-bibtex/);
      const bibtex = await fromPage.text();
      assert.match(bibtex, /^@\w+\{gesemann2016kitaplaetze,$/m);
      assert.match(bibtex, /institution = \{\{Bertelsmann Stiftung\}\}/);
      const api = await page.request.get(
        new URL('/api/search?q=Kitapl%C3%A4tze&format=csl-json', server.url).href,
      );
      assert.equal(api.status(), 200);
      const items = await api.json();
      assert.equal(items[0].id, 'gesemann2016kitaplaetze');
      await page.close();
    },
  );

  test('a phone-sized screen needs no horizontal scrolling', async () => {
    const page = await open('/search?q=Integration', { width: 390, height: 844 });
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `the page is ${scroll}px wide on a ${client}px screen`);
    assert.ok(await page.locator('#q').isVisible());
    assert.ok((await page.locator('li.hit').count()) > 0);
    await page.close();
  });

  test('a screenshot of a result page with facets', async () => {
    const page = await open(
      '/search?q=Integration+Kommunen&author=Frank+Gesemann',
    );
    assert.ok((await page.locator('section.facet').count()) >= 2);
    const file = process.env.INTEGRA_SCREENSHOT ?? path.join(server.dir, 'screenshot.png');
    await page.screenshot({ path: file, fullPage: false });
    assert.ok(fs.statSync(file).size > 10_000, 'a real picture');
    await page.close();
  });
});
