/** A service's ports and expose entries (generators/compose/parse-ports.ts). */
import { describe, expect, it } from 'vitest';
import { looksLikeHttp, parsePortEntry, portName } from '../../generators/compose/parse-ports.ts';

const ports = (entry: unknown, published = true) => {
  const parsed = parsePortEntry(entry, published);
  return 'ports' in parsed ? parsed.ports.map((p) => `${p.port}/${p.protocol}${p.appProtocol ? `/${p.appProtocol}` : ''}`) : parsed.refused;
};

describe('parsePortEntry', () => {
  it('GIVEN the short syntax forms WHEN parsed THEN the container side is the port', () => {
    expect(ports('80:80')).toEqual(['80/TCP']);
    expect(ports('127.0.0.1:8080:80')).toEqual(['80/TCP']);
    expect(ports('[::1]:8080:80/udp')).toEqual(['80/UDP']);
    expect(ports('3000')).toEqual(['3000/TCP']);
    expect(ports(9000)).toEqual(['9000/TCP']);
    expect(ports('8000-8002:8000-8002')).toEqual(['8000/TCP', '8001/TCP', '8002/TCP']);
  });

  it('GIVEN the long syntax WHEN parsed THEN target, protocol and app_protocol are kept', () => {
    expect(ports({ target: 80, published: '8080', protocol: 'tcp', app_protocol: 'HTTP' })).toEqual(['80/TCP/http']);
  });

  it('GIVEN entries that are no port WHEN parsed THEN each is refused with the reason', () => {
    expect(ports('80:http')).toMatch(/not a number or a range/);
    expect(ports('1-100')).toMatch(/range of 100 ports/);
    expect(ports('80/sctp')).toMatch(/tcp or udp/);
    expect(ports({ target: 'x' })).toMatch(/not a port number/);
    expect(ports('0')).toMatch(/outside 1-65535/);
  });
});

describe('looksLikeHttp and portName', () => {
  it('GIVEN web and database ports WHEN classified THEN only the web ones (or app_protocol http) look like HTTP', () => {
    const p = (port: number, appProtocol?: string) => ({ port, protocol: 'TCP' as const, published: true, appProtocol });
    expect([80, 3000, 8080, 5432, 3306, 6379].map((n) => looksLikeHttp(p(n)))).toEqual([true, true, true, false, false, false]);
    expect(looksLikeHttp(p(7000, 'http'))).toBe(true);
    expect(looksLikeHttp(p(80, 'grpc'))).toBe(false);
  });

  it('GIVEN ports WHEN named THEN well-known ports get their name and the rest port-<n>, UDP suffixed, all valid port names', () => {
    expect([portName(80, 'TCP'), portName(3306, 'TCP'), portName(8000, 'TCP'), portName(65535, 'UDP')]).toEqual(['http', 'mysql', 'port-8000', 'port-65535-udp']);
  });
});
