/** The "New project from compose" form's body: GitHub's ```yaml fence around the compose file, overrides one per line, problems by field. */
import { describe, expect, it } from 'vitest';
import { parseComposeIssueForm } from '../../generators/bots/parse-compose-issue-form.ts';
import { composeIssueBody } from '../helpers/issue-body.ts';

const compose = 'services:\n  web:\n    image: nginx:1.27\n';

describe('parseComposeIssueForm', () => {
  it('GIVEN the form as GitHub writes it WHEN parsed THEN the compose text is the file without its fence, and the other fields are read', () => {
    const parsed = parseComposeIssueForm(composeIssueBody({ name: 'shop', compose, registry: 'ghcr.io/acme', images: '- proxy=nginx:1.27\n\nweb=ghcr.io/acme/web:2', developers: 'alice bob' }));
    expect(parsed.problems).toEqual([]);
    expect(parsed.input).toEqual({
      name: 'shop',
      compose,
      registry: 'ghcr.io/acme',
      images: new Map([['proxy', 'nginx:1.27'], ['web', 'ghcr.io/acme/web:2']]),
      imageLines: new Map([['proxy', 'Image overrides, line 1'], ['web', 'Image overrides, line 3']]),
      developers: ['alice', 'bob'],
    });
  });

  it('GIVEN optional fields left empty WHEN parsed THEN no registry, no overrides, envs for all', () => {
    expect(parseComposeIssueForm(composeIssueBody({ name: 'shop', compose })).input).toMatchObject({ registry: undefined, images: new Map(), developers: 'all' });
  });

  it('GIVEN a compose text with a longer fence inside WHEN parsed THEN only GitHub\'s outer fence is removed', () => {
    const body = `### Project name\n\nshop\n\n### Compose file\n\n\`\`\`\`yaml\n${compose}# \`\`\`\n\`\`\`\``;
    expect(parseComposeIssueForm(body).input?.compose).toBe(`${compose}# \`\`\`\n`);
  });

  it('GIVEN mistakes in several fields WHEN parsed THEN every one is reported by field and line', () => {
    const parsed = parseComposeIssueForm(composeIssueBody({ name: 'My App', compose: '', registry: 'ghcr.io/a b', images: 'proxy\nweb=a:1\nweb=b:2\nx=\u202Eevil:1' }));
    expect(parsed.input).toBeUndefined();
    expect(parsed.problems).toEqual([
      { where: 'Project name', message: expect.stringMatching(/^"My App" is not a valid project name/) },
      { where: 'Compose file', message: 'is empty; paste the compose file (compose.yaml) into it' },
      { where: 'Registry for built images', message: '"ghcr.io/a b" contains spaces; give a registry such as ghcr.io/acme' },
      { where: 'Image overrides, line 1', message: '"proxy" is not SERVICE=IMAGE:TAG; write one override per line, e.g. proxy=nginx:1.27' },
      { where: 'Image overrides, line 3', message: 'overrides service "web" again (Image overrides, line 2 already does); keep one line per service' },
      { where: 'Image overrides, line 4', message: 'contains the invisible or text-reordering character U+202E; retype the line without it' },
    ]);
  });

  it('GIVEN a body without the compose field, or with a field twice WHEN parsed THEN the form is named', () => {
    expect(parseComposeIssueForm('### Project name\n\nshop').problems).toEqual([{ where: 'Compose file', message: 'is missing from the issue; open it with the "New project from compose" form, which has a "Compose file" field' }]);
    expect(parseComposeIssueForm(`${composeIssueBody({ name: 'shop', compose })}\n\n### Compose file\n\nx`).problems).toEqual([{ where: 'Compose file', message: expect.stringMatching(/^appears twice in the issue/) }]);
  });
});
