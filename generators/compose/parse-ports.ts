/**
 * A service's `ports` and `expose` entries as (container port, protocol, published?) triples.
 * Short syntax `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]` with ranges (`8000-8002:8000-8002`),
 * a bare number, or the long syntax `{ target, published, protocol, app_protocol }`.
 * Ref https://github.com/compose-spec/compose-spec/blob/main/05-services.md#ports
 */

export interface ComposePort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** Published on the host in Compose (`ports`), as against only reachable by other services (`expose`). */
  readonly published: boolean;
  /** `app_protocol` of the long syntax, e.g. "http". */
  readonly appProtocol: string | undefined;
}

/** Ranges are expanded up to this many ports: a Pod's container lists at most 20 (schema/project.ts). */
const RANGE_MAX = 20;

/** The ports of one entry, or a message saying why it cannot be read. */
export function parsePortEntry(entry: unknown, published: boolean): { ports: ComposePort[] } | { refused: string } {
  if (typeof entry === 'number') return { ports: [{ port: entry, protocol: 'TCP', published, appProtocol: undefined }] };
  if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    const long = entry as Record<string, unknown>;
    const target = Number(long.target);
    if (!Number.isInteger(target) || target < 1 || target > 65535) return { refused: `has target ${JSON.stringify(long.target)}, not a port number; write the port the container listens on` };
    const protocol = protocolOf(long.protocol);
    if (!protocol) return { refused: `has protocol ${JSON.stringify(long.protocol)}; Kubernetes Pods take tcp or udp` };
    return { ports: [{ port: target, protocol, published, appProtocol: typeof long.app_protocol === 'string' ? long.app_protocol.toLowerCase() : undefined }] };
  }
  if (typeof entry !== 'string') return { refused: `is ${JSON.stringify(entry)}, not a port; write e.g. "8080:80" or 80` };
  const [spec, proto] = entry.split('/') as [string, string | undefined];
  const protocol = protocolOf(proto ?? 'tcp');
  if (!protocol) return { refused: `has protocol ${JSON.stringify(proto)}; Kubernetes Pods take tcp or udp` };
  // The container side is after the last ":" (an IPv6 host address is in brackets before it).
  const container = spec.slice(spec.lastIndexOf(':') + 1);
  const range = /^(\d+)(?:-(\d+))?$/.exec(container);
  if (!range) return { refused: `has container port ${JSON.stringify(container)}, not a number or a range; write e.g. "8080:80"` };
  const first = Number(range[1]);
  const last = Number(range[2] ?? range[1]);
  if (first < 1 || last > 65535 || last < first) return { refused: `has container ports ${container}, outside 1-65535; write ports Kubernetes accepts` };
  if (last - first + 1 > RANGE_MAX) return { refused: `is a range of ${last - first + 1} ports; a devfleet container lists at most ${RANGE_MAX}: list the ones the app uses` };
  const ports: ComposePort[] = [];
  for (let port = first; port <= last; port++) ports.push({ port, protocol, published, appProtocol: undefined });
  return { ports };
}

function protocolOf(value: unknown): 'TCP' | 'UDP' | undefined {
  const text = String(value ?? 'tcp').toLowerCase();
  return text === 'tcp' ? 'TCP' : text === 'udp' ? 'UDP' : undefined;
}

/** Ports development servers serve HTTP on, by convention (the web servers', frameworks' and dashboards' defaults). */
const HTTP_PORTS = new Set([80, 81, 3000, 3001, 4000, 4200, 5000, 5001, 5173, 5601, 8000, 8001, 8008, 8025, 8050, 8069, 8080, 8081, 8082, 8088, 8090, 8888, 9000, 9090]);

/** Whether a port looks like HTTP: its app_protocol says so, or it is one of the usual web ports. */
export function looksLikeHttp(port: ComposePort): boolean {
  if (port.protocol !== 'TCP') return false;
  if (port.appProtocol !== undefined) return /^(http|http2|h2c|ws)$/.test(port.appProtocol);
  return HTTP_PORTS.has(port.port);
}

/** Names of well-known ports; any other is `port-<number>` (a port name must hold a letter, at most 15 characters). */
const WELL_KNOWN: Record<number, string> = { 80: 'http', 443: 'https', 3306: 'mysql', 5432: 'postgres', 6379: 'redis', 27017: 'mongodb' };

/** The port's name in the definition: unique in the Pod because (port, protocol) is. */
export function portName(port: number, protocol: 'TCP' | 'UDP'): string {
  const base = WELL_KNOWN[port] ?? `port-${port}`;
  return protocol === 'UDP' ? `${base}-udp` : base;
}
