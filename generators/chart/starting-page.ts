/**
 * The page the front door shows while an env starts: the KEDA HTTP add-on's interceptor answers
 * every request to an env without a ready Pod with its InterceptorRoute's placeholder response
 * (interceptor/middleware/placeholder.go of the pinned add-on) instead of a load-balancer error. The
 * page says which env is starting and reloads itself (the `Refresh` header and a meta refresh)
 * until the env answers; each reload is a request, so waiting keeps the env awake.
 */
import type { ProjectModel } from '../plan/model.ts';
import { values } from './helm-text.ts';

/** Seconds between reloads; also the `Retry-After` a client is given. */
export const STARTING_PAGE_REFRESH_SECONDS = 5;

/** The response headers of the page. */
export function startingPageHeaders(): Record<string, string> {
  return {
    'Cache-Control': 'no-store',
    'Content-Type': 'text/html; charset=utf-8',
    Refresh: String(STARTING_PAGE_REFRESH_SECONDS),
    'Retry-After': String(STARTING_PAGE_REFRESH_SECONDS),
  };
}

/** Text as HTML character data or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The page, per project; the developer is the env's Helm value (its pattern allows only
 * lower-case letters, digits and hyphens, which need no HTML escaping). The project's
 * description is user text and is escaped.
 */
export function startingPage(project: ProjectModel): string {
  const name = escapeHtml(project.name);
  const developer = values('developer');
  const description = project.description ? `<p class="what">${escapeHtml(project.description)}</p>\n` : '';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="refresh" content="${STARTING_PAGE_REFRESH_SECONDS}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Starting ${name} for ${developer}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}.what,.small{color:#555}.small{font-size:.9rem}</style>',
    '</head>',
    '<body>',
    `<h1>Starting ${name} for ${developer}</h1>`,
    `${description}<p>This development environment (project <strong>${name}</strong>, developer <strong>${developer}</strong>) was asleep and is starting now. That usually takes under a minute, longer when its images are downloaded for the first time.</p>`,
    `<p>This page reloads itself every ${STARTING_PAGE_REFRESH_SECONDS} seconds and shows the environment as soon as it answers; you do not need to do anything.</p>`,
    `<p class="small">Still here after a few minutes? Run <code>npx devfleet status --developer ${developer}</code> or look at its Pods in Headlamp (an image that cannot be pulled, or a container that keeps crashing).</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
