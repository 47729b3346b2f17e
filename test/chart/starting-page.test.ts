/** The page the front door shows while an env starts (generators/chart/starting-page.ts). */
import { describe, expect, it } from 'vitest';
import { escapeHtml, startingPage, startingPageHeaders } from '../../generators/chart/starting-page.ts';
import { renderTemplate, templateYaml } from '../../generators/chart/helm-text.ts';
import { projectModel } from '../../generators/plan/model.ts';
import { parse } from 'yaml';

describe('startingPage', () => {
  it('GIVEN text with HTML and quote characters WHEN escaped THEN none of them stays active', () => {
    expect(escapeHtml(`<script>alert("x") & 'y'</script>`)).toBe('&#60;script&#62;alert(&#34;x&#34;) &#38; &#39;y&#39;&#60;/script&#62;');
  });

  it('GIVEN a project whose description holds HTML and a Helm action WHEN its page is rendered for alice THEN it names the project and the developer, says it reloads, and carries the description as inert text', () => {
    const project = projectModel('projects/shop.yaml', { name: 'shop', description: '<b>Shop</b> {{ .Values.x }} & "more"', containers: [{ name: 'w', image: 'nginx:1.27' }] });
    const template = templateYaml({ body: startingPage(project) }, '');
    const html = (parse(renderTemplate(template, { developer: 'alice' }, { name: 'shop', namespace: 'dev-alice' })) as { body: string }).body;
    expect(html).toContain('<title>Starting shop for alice</title>');
    expect(html).toContain('<h1>Starting shop for alice</h1>');
    expect(html).toContain('<meta http-equiv="refresh" content="5">');
    expect(html).toContain('This page reloads itself every 5 seconds');
    expect(html).toContain('<p class="what">&#60;b&#62;Shop&#60;/b&#62; {{ .Values.x }} &#38; &#34;more&#34;</p>');
    expect(html).not.toContain('<b>');
  });

  it('GIVEN the page WHEN its headers are read THEN it is an uncached HTML page that asks to be fetched again in 5 seconds', () => {
    expect(startingPageHeaders()).toEqual({ 'Cache-Control': 'no-store', 'Content-Type': 'text/html; charset=utf-8', Refresh: '5', 'Retry-After': '5' });
  });

  it('GIVEN the longest description WHEN the page is made THEN it stays far below the InterceptorRoute body limit (32,768 characters)', () => {
    const project = projectModel('projects/x.yaml', { name: 'x', description: '&'.repeat(300), containers: [{ name: 'w', image: 'nginx:1.27' }] });
    expect(startingPage(project).length).toBeLessThan(8192);
  });
});
