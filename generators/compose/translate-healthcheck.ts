/**
 * A Compose healthcheck as a readiness check, where the translation is exact: an HTTP request by
 * curl (with --fail) or wget to the container itself (localhost, 127.0.0.1 or 0.0.0.0) on one of
 * its ports, whose failure on an HTTP error status is what a Kubernetes httpGet probe checks.
 * Anything else (a database client, a script) has no equivalent in the definition: undefined, and
 * the caller warns.
 */
import { parse } from 'shell-quote';

export interface HttpCheck {
  readonly port: number;
  readonly path: string;
}

export function httpCheckOf(test: unknown): HttpCheck | undefined {
  let words: string[];
  if (typeof test === 'string') words = shellWords(test);
  else if (Array.isArray(test) && test.every((w) => typeof w === 'string')) {
    const [kind, ...rest] = test as string[];
    if (kind === 'CMD') words = rest;
    else if (kind === 'CMD-SHELL' && rest.length === 1) words = shellWords(rest[0]!);
    else return undefined;
  } else return undefined;
  // `curl -f URL || exit 1`: the `|| exit 1` changes nothing a probe sees.
  const orExit = words.findIndex((w) => w === '||');
  if (orExit >= 0) {
    const after = words.slice(orExit + 1);
    if (after.length !== 2 || after[0] !== 'exit' || !/^[1-9]\d*$/.test(after[1]!)) return undefined;
    words = words.slice(0, orExit);
  }
  const [tool, ...args] = words;
  const urls = args.filter((a) => /^https?:\/\//.test(a));
  const options = args.filter((a) => !/^https?:\/\//.test(a));
  if (urls.length !== 1) return undefined;
  if (tool === 'curl') {
    // Only flags that change neither the request nor what counts as failure, and --fail itself.
    const allowed = options.every((o) => /^-[fsSLq]+$/.test(o) || ['--fail', '--silent', '--show-error', '--location'].includes(o));
    const fails = options.some((o) => o === '--fail' || /^-[sSLq]*f[sSLq]*$/.test(o));
    if (!allowed || !fails) return undefined;
  } else if (tool === 'wget') {
    // wget exits non-zero on an HTTP error status by itself.
    const allowed = options.every((o) => ['-q', '--quiet', '--spider', '-O', '-', '-qO-', '-O-', '--no-verbose', '--tries=1', '-T1'].includes(o));
    if (!allowed) return undefined;
  } else return undefined;
  const url = /^http:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::(\d+))?(\/[\x21-\x7e]*)?$/.exec(urls[0]!);
  if (!url) return undefined;
  return { port: Number(url[1] ?? 80), path: url[2] ?? '/' };
}

function shellWords(text: string): string[] {
  return parse(text, (name) => `$${name}`).map((word) => (typeof word === 'string' ? word : 'op' in word ? word.op : '\u0000'));
}
