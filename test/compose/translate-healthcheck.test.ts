/** Which healthchecks become readiness checks (generators/compose/translate-healthcheck.ts). */
import { describe, expect, it } from 'vitest';
import { httpCheckOf } from '../../generators/compose/translate-healthcheck.ts';

describe('httpCheckOf', () => {
  it('GIVEN curl --fail or wget of the container itself WHEN translated THEN port and path are exact', () => {
    expect(httpCheckOf(['CMD', 'curl', '-f', 'http://localhost:8000/health'])).toEqual({ port: 8000, path: '/health' });
    expect(httpCheckOf(['CMD-SHELL', 'curl -fsS http://127.0.0.1:3000/ || exit 1'])).toEqual({ port: 3000, path: '/' });
    expect(httpCheckOf('wget -q --spider http://localhost/ready')).toEqual({ port: 80, path: '/ready' });
  });

  it('GIVEN checks a probe cannot repeat exactly WHEN translated THEN undefined', () => {
    expect(httpCheckOf(['CMD', 'curl', 'http://localhost:8000/'])).toBeUndefined(); // no --fail: any status passes
    expect(httpCheckOf(['CMD-SHELL', 'mysqladmin ping -h 127.0.0.1'])).toBeUndefined();
    expect(httpCheckOf(['CMD', 'curl', '-f', 'http://other:8000/'])).toBeUndefined();
    expect(httpCheckOf(['CMD', 'curl', '-f', '-H', 'X: y', 'http://localhost:8000/'])).toBeUndefined();
    expect(httpCheckOf(['CMD-SHELL', 'curl -f http://localhost/ && echo ok'])).toBeUndefined();
    expect(httpCheckOf(['CMD', 'curl', '-f', 'https://localhost/'])).toBeUndefined();
  });
});
