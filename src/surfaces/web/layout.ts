import type { Actor } from '../../domain/account.js';
import { can } from '../../accounts/permissions.js';
import { html, type SafeHtml } from './html.js';

/** What every page needs to draw its frame. */
export interface PageContext {
  actor: Actor;
  /** The CSRF token for forms on this page. */
  csrf: string;
}

/** A hidden field carrying the CSRF token; every form that changes something includes it. */
export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}" />`;
}

/** The frame of every page: header with navigation, main content, footer with the disclaimer. */
export function page(title: string, ctx: PageContext, body: SafeHtml): string {
  const signedIn = ctx.actor.role !== 'reader';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — Evidentia</title>
        <link rel="stylesheet" href="/style.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <div class="bar">
            <a class="brand" href="/">Evidentia</a>
            <nav class="site" aria-label="Main">
              <a href="/">Ask</a>
              <a href="/library">Library</a>
              <a href="/policy">Editorial policy</a>
              ${can(ctx.actor.role, 'review.queue') ? html`<a href="/review">Review queue</a>` : ''}
              ${can(ctx.actor.role, 'users.manage') ? html`<a href="/admin">Admin</a>` : ''}
              ${
                signedIn
                  ? html`<a href="/account">${ctx.actor.name} (${ctx.actor.role})</a>
                      <form method="post" action="/logout">
                        ${csrfField(ctx)}<button class="link" type="submit">Sign out</button>
                      </form>`
                  : html`<a href="/login">Sign in</a>`
              }
            </nav>
          </div>
        </header>
        <main id="main">${body}</main>
        <footer class="site">
          <p>
            Evidentia summarises published evidence for education; it is not medical advice. In an emergency call your
            local emergency number. <a href="/policy">How answers are made and reviewed</a>.
          </p>
        </footer>
      </body>
    </html> `.value;
}
