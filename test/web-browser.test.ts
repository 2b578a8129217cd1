/// <reference lib="dom" />
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';
import { buildServer } from '../src/surfaces/http/server.js';
import { EXAMPLE_QUESTION, REPO_ROOT, SAMPLE_LIBRARY, tempDir } from './helpers.js';
import { PASSWORDS } from './web-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(REPO_ROOT, 'test-output/screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** Text made to attack the page if it were ever treated as markup. */
const PAYLOAD_SCRIPT = '<script>window.__pwned = "script"; alert("script")</script>';
const PAYLOAD_IMG = "<img src=x onerror=\"window.__pwned = 'onerror'; alert('onerror')\">";
const PAYLOAD_LINK = 'javascript:window.__pwned="link";alert("link")';

function hostileDocument(dir: string): string {
  const file = join(dir, 'hostile-test-document.md');
  writeFileSync(
    file,
    `---
id: hostile-test-document
title: ${JSON.stringify(`Quokkafern marker ${PAYLOAD_SCRIPT} test document`)}
kind: narrative-review
issuer: ${JSON.stringify(`Issuer ${PAYLOAD_IMG}`)}
year: 2024
---

# Quokkafern marker

## Summary

The quokkafern marker is a made-up word used to test how untrusted text is shown ${PAYLOAD_IMG} on a page.
The quokkafern marker text also carries a script tag ${PAYLOAD_SCRIPT} that must stay text.
A link to [the quokkafern marker](${PAYLOAD_LINK}) must never become a working javascript link.
`,
  );
  return file;
}

describe('the web application in Chromium', () => {
  let tmp: ReturnType<typeof tempDir>;
  let app: App;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    tmp = tempDir('evidentia-browser-');
    app = openApp(loadConfig({ dbPath: join(tmp.dir, 'browser.db') }));
    await app.ingest([SAMPLE_LIBRARY, hostileDocument(tmp.dir)]);
    await app.accounts.addUser({ username: 'reviewer', password: PASSWORDS.reviewer, role: 'reviewer' }, 'cli');
    server = await buildServer(app);
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    base = address.replace('127.0.0.1', 'localhost');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    tmp?.cleanup();
  });

  async function newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    return page;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('asks, follows citations, switches audience, follows up, and a reviewer approves', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await newPage(context);

    await page.goto(`${base}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Ask a clinical question');
    await expect(page.getByText('Which best describes you?').isVisible()).resolves.toBe(true);
    await shot(page, 'home');

    await page.fill('#question', EXAMPLE_QUESTION);
    await page.check('input[name=audience][value=clinician]');
    await Promise.all([page.waitForURL(/\/articles\/a-/), page.click('form.ask button[type=submit]')]);
    const articleUrl = page.url();
    const articleId = articleUrl.split('/articles/')[1]!;

    const headings = await page.locator('.evidentia-article section h2').allTextContents();
    expect(headings).toContain('Direct answer');
    expect(headings).toContain('References');
    expect(headings.length).toBeGreaterThanOrEqual(6);
    const statusBar = await page.locator('.review-status li').allTextContents();
    expect(statusBar).toEqual(['Submitted', 'Under review', 'Approved']);
    await expect(page.locator('.review-status li.current').textContent()).resolves.toBe('Submitted');
    await expect(page.getByText('Last updated').first().isVisible()).resolves.toBe(true);

    // A numbered citation jumps to its reference.
    const cite = page.locator('section:not(.direct-answer) a.cite').first();
    const href = await cite.getAttribute('href');
    expect(href).toMatch(/^#ref-\d+$/);
    await cite.click();
    expect(new URL(page.url()).hash).toBe(href);
    const target = page.locator(`${href}`);
    await expect(target.isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => document.querySelector(':target')?.closest('.references') !== null)).resolves.toBe(
      true,
    );
    expect(await target.locator('.label').textContent()).toMatch(/Guideline|Research|Consumer health|Local protocol/);

    // The supporting quote is there on demand.
    const quote = page.locator('details.quote').first();
    await expect(quote.locator('blockquote').first().isVisible()).resolves.toBe(false);
    await quote.locator('summary').click();
    await expect(quote.locator('blockquote').first().isVisible()).resolves.toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'article-clinician');

    // Switch audience: the patient version of the same question.
    await page.check('form.personalise input[value=patient]');
    await Promise.all([page.waitForURL((u) => u.toString() !== articleUrl), page.click('form.personalise button')]);
    const patientId = page.url().split('/articles/')[1]!;
    const patient = (await (await page.request.get(`${base}/api/articles/${patientId}`)).json()) as {
      audience: string;
      question: string;
    };
    expect(patient.audience).toBe('patient');
    expect(patient.question).toBe(EXAMPLE_QUESTION);
    await expect(page.locator('form.personalise input[value=patient]').isChecked()).resolves.toBe(true);
    const phone = await newPage(
      await browser.newContext({ viewport: PHONE, storageState: await context.storageState() }),
    );
    await phone.goto(page.url());
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(phone, 'article-patient-phone');
    await phone.screenshot({ path: join(SCREENSHOTS, 'article-patient-phone-top.png') });
    await phone.goto(`${base}/`);
    await shot(phone, 'home-phone');
    await expect(phone.locator('input[name=audience][value=patient]').isChecked()).resolves.toBe(true);

    // A follow-up is answered in the context of the thread, and the thread is shown.
    await page.goto(articleUrl);
    await page.fill('#follow-up', 'and the risks?');
    await Promise.all([page.waitForURL((u) => u.toString() !== articleUrl), page.click('.follow-up button')]);
    await expect(page.locator('.evidentia-article .question').textContent()).resolves.toBe(
      'What are the risks of basivertebral nerve ablation?',
    );
    const turns = await page.locator('.thread li').allTextContents();
    expect(turns).toHaveLength(2);
    expect(turns[1]).toContain('and the risks?');
    expect((await page.locator('.evidentia-article section h2').allTextContents()).join(' ')).toMatch(/risk/i);
    await shot(page, 'article-follow-up');

    // A logged-out visitor cannot reach the review queue.
    await page.goto(`${base}/review`);
    expect(new URL(page.url()).pathname).toBe('/login');

    // Sign in as reviewer and approve the first article.
    await page.fill('#username', 'reviewer');
    await page.fill('#password', PASSWORDS.reviewer);
    await Promise.all([page.waitForURL(/\/review$/), page.click('main button[type=submit]')]);
    await expect(page.locator('table').textContent()).resolves.toMatch(/basivertebral/i);
    await shot(page, 'review-queue');
    await page.goto(`${base}/review/${articleId}`);
    await Promise.all([page.waitForLoadState('load'), page.click('button[name=to][value=under_review]')]);
    await expect(page.locator('.badge').first().textContent()).resolves.toBe('Under review');
    await page.fill('#comment', 'Checked every statement against its source.');
    await Promise.all([page.waitForLoadState('load'), page.click('button[name=to][value=approved]')]);
    await expect(page.locator('.badge').first().textContent()).resolves.toBe('Approved');
    await shot(page, 'review');
    await page.click('a[href$="diff?from=2&to=3"]');
    await expect(page.locator('.diff ins').first().textContent()).resolves.toContain('approved');
    await shot(page, 'review-diff');

    // The public page, seen by a reader, says Approved with the date.
    const reader = await newPage(await browser.newContext({ viewport: DESKTOP }));
    await reader.goto(articleUrl);
    await expect(reader.locator('.review-status li.current').textContent()).resolves.toBe('Approved');
    await expect(reader.getByText('Last approved').isVisible()).resolves.toBe(true);
    await expect(reader.locator('.notice').count()).resolves.toBe(0);
    await shot(reader, 'article-approved');
    expect(dialogs).toEqual([]);
  });

  it('shows hostile source text and questions as text, and runs no script', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await newPage(context);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${base}/`);
    await page.fill('#question', `What does the quokkafern marker say? ${PAYLOAD_SCRIPT} ${PAYLOAD_IMG}`);
    await Promise.all([page.waitForURL(/\/articles\/a-/), page.click('form.ask button[type=submit]')]);
    await page.waitForLoadState('load');

    const text = await page.locator('main').innerText();
    expect(text).toContain('<script>');
    expect(text).toContain('quokkafern');
    await expect(page.locator('.references').innerText()).resolves.toContain('Quokkafern marker <script>');
    for (const d of await page.locator('details.quote').all()) await d.locator('summary').click();
    await expect(page.locator('main img').count()).resolves.toBe(0);
    await expect(page.locator('main script').count()).resolves.toBe(0);
    await expect(page.locator('a[href^="javascript:" i]').count()).resolves.toBe(0);
    await expect(page.locator('[onerror]').count()).resolves.toBe(0);
    await expect(page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).resolves.toBeUndefined();

    // The library lists the article, and nothing in it runs either.
    await page.goto(`${base}/library?q=quokkafern`);
    await expect(page.locator('.results').innerText()).resolves.toMatch(/quokkafern marker/i);
    await expect(page.locator('main img, main script, [onerror]').count()).resolves.toBe(0);
    await expect(page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).resolves.toBeUndefined();
    await shot(page, 'library');
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);
  });
});
