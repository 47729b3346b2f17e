/**
 * A corpus of malformed definition sets. Each case starts from one small VALID baseline (a YAML
 * cluster with three developers, a YAML project and a TypeScript project) and introduces ONE
 * defect. For every case:
 *
 * 1. `devfleet validate` exits 1 and prints a problem line that starts with exactly
 *    `<file>: <field path>: ` and names the offending value and the fix;
 * 2. `devfleet synth` on a root that already holds a generated `clusters/dev/` exits 1 with the
 *    same problems, and writes, deletes and leaves behind nothing.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { applyFiles, baseline, C, CLUSTER, defective, expectWellFormed, leftovers, lineNumberOf, problemLine, render, S, SHOP, synthesizedBaseline, W, WEB, type Defs, type Files } from '../helpers/bad-input.ts';

// The valid baseline (shared with every check's bad-input cases: test/helpers/bad-input.ts)

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

interface Case {
  /** What the one defect is, for the test name. */
  readonly given: string;
  /** Edits the baseline definitions (data level). */
  readonly defect?: (defs: Defs) => void;
  /** Edits the rendered file texts (for defects data cannot express: syntax, duplicate keys, code). */
  readonly text?: (files: Files) => void;
  readonly file: string;
  readonly path: string;
  /** Fragments the problem message must contain: the offending value and the fix. */
  readonly says: readonly (string | RegExp)[];
  /**
   * YAML/JSON sources: the problem line ends with ` (line N)`, N being the line of the file that
   * contains this text (its first occurrence, or the n-th with [text, n]).
   */
  readonly lineOf?: string | readonly [string, number];
  /** Whole-file syntax errors: the message says `line N, column M`, N found as for lineOf. */
  readonly messageLineOf?: string | readonly [string, number];
  /** How many problems the one defect causes in total (default 1). */
  readonly problems?: number;
}


const cases: Case[] = [
  // --- wrong types -------------------------------------------------------------------------
  {
    given: 'a port number written as a string',
    defect: (d) => (W(d).containers[0].ports[0].port = '8080'),
    file: WEB,
    path: 'containers[0].ports[0].port',
    says: ['must be a whole number', 'got the string "8080"'],
    lineOf: 'port: "8080"',
  },
  {
    given: 'containers written as one object instead of a list (TypeScript)',
    defect: (d) => (S(d).containers = S(d).containers[0]),
    file: SHOP,
    path: 'containers',
    says: ['must be a list', 'got an object {"name":"app"'],
  },
  {
    given: 'cluster developers written as a number',
    defect: (d) => (C(d).developers = 3),
    file: CLUSTER,
    path: 'developers',
    says: ['must be a list', 'got the number 3'],
    lineOf: 'developers: 3',
  },
  {
    given: 'a port protocol that is neither TCP nor UDP',
    defect: (d) => (W(d).containers[1].ports[0].protocol = 'HTTP'),
    file: WEB,
    path: 'containers[1].ports[0].protocol',
    says: ['"HTTP" is not accepted', 'use "TCP", or "UDP"'],
    lineOf: 'protocol: HTTP',
  },
  {
    given: 'a port number out of range',
    defect: (d) => (W(d).containers[1].ports[0].port = 90000),
    file: WEB,
    path: 'containers[1].ports[0].port',
    says: ['90000 is out of range', 'from 1 to 65535'],
    lineOf: 'port: 90000',
  },
  // --- typos in field names ----------------------------------------------------------------
  {
    given: 'the field "image" misspelt "imgae"',
    defect: (d) => {
      const c = W(d).containers[1];
      c.imgae = c.image;
      delete c.image;
    },
    file: WEB,
    path: 'containers[1].imgae',
    says: ['unknown field "imgae"', 'did you mean "image"?'],
    lineOf: 'imgae:',
    // the typo also leaves `image` missing, reported at containers[1].image
    problems: 2,
  },
  {
    given: 'the field "resources" misspelt "resourcse", its value a map (YAML: the line of the key, not of the map under it)',
    defect: (d) => {
      const c = W(d).containers[0];
      c.resourcse = c.resources;
      delete c.resources;
    },
    file: WEB,
    path: 'containers[0].resourcse',
    says: ['unknown field "resourcse"', 'did you mean "resources"?'],
    lineOf: 'resourcse:',
  },
  {
    given: 'the field "containers" misspelt "contaienrs" (TypeScript)',
    defect: (d) => {
      S(d).contaienrs = S(d).containers;
      delete S(d).containers;
    },
    file: SHOP,
    path: 'contaienrs',
    says: ['unknown field "contaienrs"', 'did you mean "containers"?'],
    problems: 2,
  },
  {
    given: 'routes[0].host misspelt "hots"',
    defect: (d) => {
      const r = W(d).routes[0];
      W(d).routes[0] = { hots: r.host, port: r.port };
    },
    file: WEB,
    path: 'routes[0].hots',
    says: ['unknown field "hots"', 'did you mean "host"?'],
    lineOf: 'hots:',
    problems: 2,
  },
  {
    given: 'the cluster field "timeZone" misspelt "timezone"',
    defect: (d) => {
      C(d).timezone = C(d).timeZone;
      delete C(d).timeZone;
    },
    file: CLUSTER,
    path: 'timezone',
    says: ['unknown field "timezone"', 'did you mean "timeZone"?'],
    lineOf: 'timezone:',
    problems: 2,
  },
  {
    given: 'an unknown top-level field in a project',
    defect: (d) => (W(d).owner = 'team-a'),
    file: WEB,
    path: 'owner',
    says: ['unknown field "owner"', 'allowed fields here: $schema, name, description, containers, routes, developers, schedule, hostAliases, secrets, swap, aws'],
    lineOf: 'owner:',
  },
  {
    given: 'an env secret reference with "key" misspelt "kye"',
    defect: (d) => (W(d).containers[1].env.DB_PASSWORD = { secret: 'web-db', kye: 'password' }),
    file: WEB,
    path: 'containers[1].env.DB_PASSWORD.kye',
    says: ['unknown field "kye"', 'did you mean "key"?'],
    lineOf: 'kye:',
    // and `key` is missing, reported at containers[1].env.DB_PASSWORD.key
    problems: 2,
  },
  {
    given: 'an env variable name starting with a digit',
    defect: (d) => (W(d).containers[1].env['1_BAD'] = 'x'),
    file: WEB,
    path: 'containers[1].env["1_BAD"]',
    says: ['"1_BAD" is not a valid name here', 'use letters, digits, "_", "-" and ".", not starting with a digit'],
    lineOf: '1_BAD:',
  },
  {
    given: 'an env variable name with a shell "$"',
    defect: (d) => (W(d).containers[1].env['APP$ENV'] = 'dev'),
    file: WEB,
    path: 'containers[1].env.APP$ENV',
    says: ['"APP$ENV" is not a valid name here', 'e.g. "DB_HOST" or "discovery.type"'],
    lineOf: 'APP$ENV:',
  },
  {
    given: 'an env variable name with "=" (the shell would split it)',
    defect: (d) => (W(d).containers[1].env['JAVA_OPTS=-Xmx1g'] = 'x'),
    file: WEB,
    path: 'containers[1].env["JAVA_OPTS=-Xmx1g"]',
    says: ['"JAVA_OPTS=-Xmx1g" is not a valid name here', 'use letters, digits, "_", "-" and "."'],
    lineOf: 'JAVA_OPTS=-Xmx1g:',
  },
  {
    given: 'an env variable name starting with ".." (Kubernetes refuses it)',
    defect: (d) => (W(d).containers[1].env['..data'] = 'x'),
    file: WEB,
    path: 'containers[1].env["..data"]',
    says: ['"..data" is not a valid name here', 'not ".", ".." or "..<anything>"'],
    lineOf: '..data:',
  },
  // --- bad names ---------------------------------------------------------------------------
  {
    given: 'an upper-case project name (TypeScript)',
    defect: (d) => (S(d).name = 'Shop'),
    file: SHOP,
    path: 'name',
    says: ['"Shop" is not valid', 'use lower-case letters'],
  },
  {
    given: 'a project name containing "--"',
    defect: (d) => {
      d['projects/my--shop.ts'] = { ...S(d), name: 'my--shop' };
      delete d[SHOP];
    },
    file: 'projects/my--shop.ts',
    path: 'name',
    says: ['"my--shop" is not valid', 'single hyphens'],
  },
  {
    given: 'a project name of 41 characters',
    defect: (d) => {
      d['projects/customer-self-service-portal-for-partners.ts'] = { ...S(d), name: 'customer-self-service-portal-for-partners' };
      delete d[SHOP];
    },
    file: 'projects/customer-self-service-portal-for-partners.ts',
    path: 'name',
    says: ['"customer-self-service-portal-for-partners" is 41 characters long', 'the limit is 40', 'Shorten it'],
  },
  {
    given: 'a developer name of 40 characters (one more than a GitHub login)',
    defect: (d) => (C(d).developers[2].name = 'christopher-alexander-montgomery-smith-jr'.slice(0, 40)),
    file: CLUSTER,
    path: 'developers[2].name',
    says: ['"christopher-alexander-montgomery-smith-j" is 40 characters long', 'the limit is 39', 'Shorten it'],
    lineOf: 'name: christopher-alexander-montgomery-smith-j',
  },
  {
    given: 'a project name that differs from its file name',
    defect: (d) => (W(d).name = 'website'),
    file: WEB,
    path: 'name',
    says: ['"website" must equal the file name "web"', 'rename the file to projects/website.yaml or set name: "web"'],
    lineOf: 'name: website',
  },
  {
    given: 'a cluster name that differs from its file name',
    defect: (d) => (C(d).name = 'development'),
    file: CLUSTER,
    path: 'name',
    says: ['"development" must equal the file name "dev"', 'rename the file to clusters/development.yaml'],
    lineOf: 'name: development',
  },
  {
    given: 'an upper-case developer name',
    defect: (d) => (C(d).developers[2].name = 'Carol'),
    file: CLUSTER,
    path: 'developers[2].name',
    says: ['"Carol" is not valid', 'use lower-case letters'],
    lineOf: 'name: Carol',
  },
  {
    given: 'a route host containing "--"',
    defect: (d) => (W(d).routes[1].host = 'api--web.com'),
    file: WEB,
    path: 'routes[1].host',
    says: ['"api--web.com" is not valid', 'no "--"'],
    lineOf: 'host: api--web.com',
  },
  // --- uniqueness inside a project ---------------------------------------------------------
  {
    given: 'two projects of the same name, shop.ts and shop.yaml',
    defect: (d) => (d['projects/shop.yaml'] = structuredClone(S(d))),
    file: 'projects/shop.yaml',
    path: 'name',
    says: ['project "shop" is already defined in projects/shop.ts', 'keep one file per project'],
    lineOf: 'name: shop',
  },
  {
    given: 'two clusters of the same name, dev.yaml and dev.json',
    defect: (d) => (d['clusters/dev.json'] = structuredClone(C(d))),
    file: 'clusters/dev.yaml',
    path: 'name',
    says: ['cluster "dev" is already defined in clusters/dev.json', 'keep one file per cluster'],
    lineOf: 'name: dev',
  },
  {
    given: 'two containers of the same name',
    defect: (d) => (W(d).containers[0].name = 'api'),
    file: WEB,
    path: 'containers[1].name',
    says: ['"api" is already the name of containers[0]', 'container names must be unique'],
    lineOf: ['name: api', 2],
  },
  {
    given: 'two containers listening on 8080',
    defect: (d) => (W(d).containers[1].ports[0].port = 8080),
    file: WEB,
    path: 'containers[1].ports[0].port',
    says: ['8080/TCP is already taken by containers[0].ports[0]', 'give each a different port'],
  },
  {
    given: 'two ports of the same name in different containers',
    defect: (d) => W(d).containers[1].ports.push({ name: 'http', port: 9091 }),
    file: WEB,
    path: 'containers[1].ports[1].name',
    says: ['port name "http" is already used by containers[0].ports[0]', 'must be unique in the Pod'],
  },
  {
    given: 'two volumes of one container mounting the same path',
    defect: (d) => W(d).containers[0].volumes.push({ name: 'cache2', path: '/var/cache/nginx/' }),
    file: WEB,
    path: 'containers[0].volumes[1].path',
    says: ['"/var/cache/nginx/" is already mounted by volumes[0]', 'mount each path once'],
  },
  {
    given: 'two volumes of one container with the same name',
    defect: (d) => W(d).containers[1].volumes.push({ name: 'data', path: '/var/data' }),
    file: WEB,
    path: 'containers[1].volumes[1].name',
    says: ['volume name "data" is already used by volumes[0]', 'must be unique in a container'],
  },
  // --- references --------------------------------------------------------------------------
  {
    given: 'a route to a port name no container declares',
    defect: (d) => (W(d).routes[1].port = 'apii'),
    file: WEB,
    path: 'routes[1].port',
    says: ['no container declares a port named "apii"', '(ports: "http", "api")', 'name a container port'],
    lineOf: 'port: apii',
  },
  {
    given: 'a route to a UDP port',
    defect: (d) => {
      W(d).containers[1].ports.push({ name: 'dns', port: 5353, protocol: 'UDP' });
      W(d).routes.push({ host: 'dns.web.com', port: 'dns' });
    },
    file: WEB,
    path: 'routes[2].port',
    says: ['port "dns" is UDP', 'needs a TCP (HTTP) port'],
  },
  {
    given: 'swap.container naming a container that does not exist',
    defect: (d) => (W(d).swap.container = 'go'),
    file: WEB,
    path: 'swap.container',
    says: ['"go" is not a container of this project', '(containers: "nginx", "api")', 'name one of them'],
    lineOf: 'container: go',
  },
  {
    given: 'readiness.port naming a port of another container',
    defect: (d) => (W(d).containers[0].readiness.port = 'api'),
    file: WEB,
    path: 'containers[0].readiness.port',
    says: ['"api" is not a port of container "nginx"', '(its ports: "http")', 'name one of them'],
  },
  {
    given: 'a project developer list naming someone who is in no cluster',
    defect: (d) => (W(d).developers = ['alice', 'zoe']),
    file: WEB,
    path: 'developers[1]',
    says: ['"zoe" is not a developer of any cluster (clusters/dev.yaml)', "add them to a cluster's developers or fix the name"],
    lineOf: '- zoe',
  },
  {
    given: 'a project developer list naming one developer twice',
    defect: (d) => (W(d).developers = ['alice', 'bob', 'alice']),
    file: WEB,
    path: 'developers',
    says: ['lists "alice" twice (items 0 and 2)', 'remove the duplicate'],
    // the line of the key, not of the list's first item under it
    lineOf: 'developers:',
  },
  // --- derived names ----------------------------------------------------------------------
  {
    // The Application name of <40-character project>--<39-character developer> is shortened to
    // "<project>--christopher-b0803319"; a developer literally named "christopher-b0803319" gets
    // the same name unshortened.
    given: 'a developer whose unshortened Application name equals another env\'s shortened one',
    defect: (d) => {
      C(d).developers.push({ name: 'christopher-alexander-montgomery-smith2' }, { name: 'christopher-b0803319' });
      d['projects/customer-self-service-portal-for-partner.yaml'] = { name: 'customer-self-service-portal-for-partner', containers: [{ name: 'app', image: 'nginx:1.27' }] };
    },
    file: CLUSTER,
    path: 'developers[4].name',
    says: [
      'env christopher-b0803319/customer-self-service-portal-for-partner of cluster dev gets the Argo CD Application name "customer-self-service-portal-for-partner--christopher-b0803319"',
      'as env christopher-alexander-montgomery-smith2/customer-self-service-portal-for-partner of cluster dev does',
      'change a developer name or rename project "customer-self-service-portal-for-partner" (projects/customer-self-service-portal-for-partner.yaml)',
    ],
    lineOf: 'name: christopher-b0803319',
  },
  // --- hosts across the fleet --------------------------------------------------------------
  {
    given: 'two projects claiming the same route host',
    defect: (d) => (S(d).routes[0].host = 'web.com'),
    file: WEB,
    path: 'routes[0].host',
    says: ['DNS label "web-com" (from "web.com") is already claimed by project "shop"', 'choose another host or set `subdomain`'],
  },
  {
    given: 'route hosts of two projects with the same slug (a-b.com and a.b-com)',
    defect: (d) => {
      S(d).routes[0].host = 'a-b.com';
      W(d).routes[0].host = 'a.b-com';
    },
    file: WEB,
    path: 'routes[0].host',
    says: ['DNS label "a-b-com" (from "a.b-com") is already claimed by project "shop"', 'set `subdomain`'],
  },
  {
    given: 'route hosts of one project with the same slug (api.web.com and api-web.com)',
    defect: (d) => W(d).routes.push({ host: 'api-web.com', port: 'http' }),
    file: WEB,
    path: 'routes[2].host',
    says: ['gives the DNS label "api-web-com", as routes[1] does', 'set a different `subdomain`'],
  },
  // --- values ------------------------------------------------------------------------------
  {
    given: 'an image without a tag',
    defect: (d) => (W(d).containers[0].image = 'nginx'),
    file: WEB,
    path: 'containers[0].image',
    says: ['"nginx" is not valid', 'give the image a tag or a digest: "nginx:<version>"'],
    lineOf: 'image: nginx',
  },
  {
    given: 'a CPU quantity with a space ("500 m")',
    defect: (d) => (W(d).containers[0].resources.cpu = '500 m'),
    file: WEB,
    path: 'containers[0].resources.cpu',
    says: ['"500 m" is not valid', 'write a Kubernetes quantity such as "500m"', 'no spaces'],
    lineOf: 'cpu: 500 m',
  },
  {
    given: 'a memory quantity in "GB"',
    defect: (d) => (W(d).containers[0].resources.memory = '1GB'),
    file: WEB,
    path: 'containers[0].resources.memory',
    says: ['"1GB" is not valid', 'write a size such as "512Mi"'],
    lineOf: 'memory: 1GB',
  },
  {
    given: 'a volume size "lots"',
    defect: (d) => (W(d).containers[1].volumes[0].size = 'lots'),
    file: WEB,
    path: 'containers[1].volumes[0].size',
    says: ['"lots" is not valid', 'write a size such as "5Gi"'],
    lineOf: 'size: lots',
  },
  {
    given: 'a cluster quota memory in "GB"',
    defect: (d) => (C(d).quota = { memory: '16GB' }),
    file: CLUSTER,
    path: 'quota.memory',
    says: ['"16GB" is not valid', 'write a size such as "16Gi"'],
    lineOf: 'memory: 16GB',
  },
  {
    given: 'a sleep time of 25:00',
    defect: (d) => (C(d).schedule.sleep = '25:00'),
    file: CLUSTER,
    path: 'schedule.sleep',
    says: ['"25:00" is not valid', 'write a 24-hour time "HH:MM"'],
    lineOf: 'sleep: 25:00',
  },
  {
    given: 'a wake time of 9:00 (one digit hour)',
    defect: (d) => (W(d).schedule.wake = '9:00'),
    file: WEB,
    path: 'schedule.wake',
    says: ['"9:00" is not valid', 'write a 24-hour time "HH:MM", e.g. "22:00" or "08:30"'],
    lineOf: 'wake: 9:00',
  },
  {
    given: 'a misspelt time zone "Asia/Tokio"',
    defect: (d) => (C(d).timeZone = 'Asia/Tokio'),
    file: CLUSTER,
    path: 'timeZone',
    says: ['"Asia/Tokio" is not an IANA time zone (tz database 2026d', 'did you mean "Asia/Tokyo"?'],
    lineOf: 'timeZone:',
  },
  {
    given: 'a time zone written as a city "tokyo"',
    defect: (d) => (C(d).timeZone = 'tokyo'),
    file: CLUSTER,
    path: 'timeZone',
    says: ['"tokyo" is not an IANA time zone (tz database 2026d', 'did you mean "Asia/Tokyo"?'],
    lineOf: 'timeZone:',
  },
  {
    given: 'a misspelt time zone "America/New_Yrok"',
    defect: (d) => (C(d).timeZone = 'America/New_Yrok'),
    file: CLUSTER,
    path: 'timeZone',
    says: ['"America/New_Yrok" is not an IANA time zone (tz database 2026d', 'did you mean "America/New_York"?'],
    lineOf: 'timeZone:',
  },
  {
    given: 'a time zone written in lower case "asia/kolkata"',
    defect: (d) => (C(d).timeZone = 'asia/kolkata'),
    file: CLUSTER,
    path: 'timeZone',
    says: ['"asia/kolkata" is not an IANA time zone', 'did you mean "Asia/Kolkata"?'],
    lineOf: 'timeZone:',
  },
  {
    given: 'a misspelt time zone "Europe/Kyev" (a current zone is suggested, not the backward link Europe/Kiev)',
    defect: (d) => (C(d).timeZone = 'Europe/Kyev'),
    file: CLUSTER,
    path: 'timeZone',
    says: ['"Europe/Kyev" is not an IANA time zone', 'did you mean "Europe/Kyiv"?'],
    lineOf: 'timeZone:',
  },
  {
    given: 'a time zone that is no place on Earth "Mars/Olympus"',
    defect: (d) => (C(d).timeZone = 'Mars/Olympus'),
    file: CLUSTER,
    path: 'timeZone',
    says: ['"Mars/Olympus" is not an IANA time zone', 'write Area/Location with an area of Africa, America, Antarctica, Asia, Atlantic, Australia, Etc, Europe, Indian, Pacific, e.g. "Asia/Tokyo"'],
    lineOf: 'timeZone:',
  },
  {
    given: 'the placeholder zone "Factory" (no place: its schedules would run in UTC)',
    defect: (d) => (C(d).timeZone = 'Factory'),
    file: CLUSTER,
    path: 'timeZone',
    says: ['"Factory" is not an IANA time zone', 'e.g. "Asia/Tokyo" or "Europe/Berlin"'],
    lineOf: 'timeZone:',
  },
  {
    given: 'a cluster domain with one label',
    defect: (d) => (C(d).domain = 'localhost'),
    file: CLUSTER,
    path: 'domain',
    says: ['"localhost" is not valid', 'at least two labels, e.g. "dev.example.com"'],
    lineOf: 'domain: localhost',
  },
  {
    given: 'an Argo CD repoURL without a scheme',
    defect: (d) => (C(d).argocd.repoURL = 'github.com/example/devfleet'),
    file: CLUSTER,
    path: 'argocd.repoURL',
    says: ['"github.com/example/devfleet" is not valid', 'e.g. "https://github.com/acme/devfleet.git"'],
    lineOf: 'repoURL:',
  },
  {
    given: 'no Argo CD application controller (argocd.shards 0)',
    defect: (d) => (C(d).argocd.shards = 0),
    file: CLUSTER,
    path: 'argocd.shards',
    says: ['0 is out of range', 'use a whole number from 1 to 32'],
    lineOf: 'shards: 0',
  },
  {
    given: 'a developer e-mail without a domain',
    defect: (d) => (C(d).developers[0].email = 'alice@'),
    file: CLUSTER,
    path: 'developers[0].email',
    says: ['"alice@" is not valid', 'write an e-mail address, e.g. "alice@example.com"'],
    lineOf: 'email: alice@',
  },
  {
    given: 'an env value that is a number, not a string',
    defect: (d) => (W(d).containers[1].env.PORT = 9090),
    file: WEB,
    path: 'containers[1].env.PORT',
    says: ['9090 is not accepted', 'use a string, or an object { secret, key }'],
    lineOf: 'PORT: 9090',
  },
  {
    given: 'project developers set to a word other than "all"',
    defect: (d) => (W(d).developers = 'everyone'),
    file: WEB,
    path: 'developers',
    says: ['"everyone" is not accepted', 'use "all", or a list of strings'],
    lineOf: 'developers: everyone',
  },
  {
    given: 'an empty entry in the containers list',
    text: (f) => (f[WEB] = f[WEB]!.replace('containers:\n', 'containers:\n  -\n')),
    file: WEB,
    path: 'containers[0]',
    says: ['must be an object, got null'],
  },
  {
    given: 'a port without its number in a .yml project',
    defect: (d) => {
      delete W(d).containers[0].ports[0].port;
      d['projects/web.yml'] = W(d);
      delete d[WEB];
    },
    file: 'projects/web.yml',
    path: 'containers[0].ports[0].port',
    says: ['is required; add it (a whole number)'],
  },
  // --- cluster-level -----------------------------------------------------------------------
  {
    given: 'the same developer twice in the cluster',
    defect: (d) => C(d).developers.push({ name: 'bob' }),
    file: CLUSTER,
    path: 'developers[3].name',
    says: ['"bob" is already developers[1]', 'developer names must be unique'],
  },
  {
    given: 'two developers with the same e-mail',
    defect: (d) => (C(d).developers[2].email = 'Alice@example.com'),
    file: CLUSTER,
    path: 'developers[2].email',
    says: ['"Alice@example.com" is already the e-mail of developers[0]', 'each developer needs their own'],
  },
  {
    given: 'namespacePrefix "kube-", which makes every namespace reserved',
    defect: (d) => (C(d).namespacePrefix = 'kube-'),
    file: CLUSTER,
    path: 'namespacePrefix',
    says: ['"kube-"', 'reserved', 'choose another prefix'],
    lineOf: 'namespacePrefix:',
  },
  {
    given: 'a developer whose namespace is the Argo CD namespace',
    defect: (d) => {
      C(d).argocd.namespace = 'dev-ops';
      C(d).developers.push({ name: 'ops' });
    },
    file: CLUSTER,
    path: 'developers[3].name',
    says: ['gives the namespace "dev-ops", which is reserved', 'choose another name or `namespacePrefix`'],
  },
  {
    given: 'ALB capacity overflow: per-env Ingresses (ingress.mode ingress-groups), ingress.groups 1 and 60 developers x 3 target groups',
    defect: (d) => {
      C(d).ingress = { mode: 'ingress-groups', groups: 1 };
      C(d).developers = Array.from({ length: 60 }, (_, i) => ({ name: `dev${String(i).padStart(2, '0')}` }));
      W(d).developers = 'all';
    },
    file: CLUSTER,
    path: 'ingress.groups',
    // 60 envs of web (2 routes on 2 ports) + 60 of shop (1 route): 180 target groups on one ALB.
    says: ['IngressGroup "devfleet-dev-0" would need 180 target groups (ALB limit 100, not adjustable) for its 120 envs', /set ingress\.groups to [2-9] \(now 1\b/],
  },
  // --- required and empty ------------------------------------------------------------------
  {
    given: 'a project without containers',
    defect: (d) => delete W(d).containers,
    file: WEB,
    path: 'containers',
    says: ['is required; add it', 'a list of'],
  },
  {
    given: 'a project with an empty containers list',
    defect: (d) => (W(d).containers = []),
    file: WEB,
    path: 'containers',
    says: ['needs at least 1 item(s)', 'add one'],
    lineOf: 'containers:',
  },
  {
    given: 'no cluster definition at all',
    defect: (d) => delete d[CLUSTER],
    file: 'clusters/',
    path: '(file)',
    says: ['no cluster definition found', 'add clusters/<name>.ts'],
  },
  {
    given: 'an empty YAML project file',
    text: (f) => (f[WEB] = ''),
    file: WEB,
    path: '(file)',
    says: ['is empty; write the project definition in it (required fields: name, containers)'],
  },
  {
    given: 'a YAML project that is a list instead of a mapping',
    text: (f) => (f[WEB] = '- name: web\n  containers: []\n'),
    file: WEB,
    path: '(file)',
    says: ['must be an object, got a list [{"name":"web","containers":[]}]'],
    lineOf: '- name: web',
  },
  // --- whole-file problems -----------------------------------------------------------------
  {
    given: 'a YAML syntax error (bad indentation)',
    text: (f) => (f[WEB] = f[WEB]!.replace('  - name: api\n', '  - name: api\n   bad: [\n')),
    file: WEB,
    path: '(file)',
    says: ['is not valid YAML/JSON: line ', 'fix the syntax'],
    messageLineOf: 'bad: [',
  },
  {
    given: 'a duplicate key in a YAML mapping',
    text: (f) => (f[WEB] = f[WEB]!.replace('    image: nginx:1.27\n', '    image: nginx:1.27\n    image: nginx:1.28\n')),
    file: WEB,
    path: '(file)',
    says: ['is not valid YAML/JSON: line ', 'Map keys must be unique', 'fix the syntax'],
    messageLineOf: 'image: nginx:1.28',
  },
  {
    given: 'a JSON syntax error in a .json project',
    text: (f) => (f['projects/api.json'] = '{\n  "name": "api",\n  "containers": [\n    { "name": "api" "image": "ghcr.io/acme/api:1.0" }\n  ]\n}\n'),
    file: 'projects/api.json',
    path: '(file)',
    says: ['is not valid YAML/JSON: line ', 'fix the syntax'],
    messageLineOf: '"name": "api" "image"',
  },
  {
    given: 'a TypeScript definition that throws at import',
    text: (f) => (f[SHOP] = f[SHOP]!.replace("from 'devfleet';\n", "from 'devfleet';\n\nthrow new Error('boom');\n")),
    file: SHOP,
    path: '(file)',
    says: ['could not be loaded: boom (line ', 'fix the TypeScript so it runs'],
  },
  {
    given: 'a TypeScript definition with a syntax error',
    text: (f) => (f[SHOP] = f[SHOP]!.replace(/\);\n$/, ';\n')),
    file: SHOP,
    path: '(file)',
    says: ['could not be loaded', '(line ', 'column ', 'fix the TypeScript so it runs'],
  },
  {
    given: 'a TypeScript definition whose default export is a string',
    text: (f) => (f[SHOP] = "export default 'shop';\n"),
    file: SHOP,
    path: '(file)',
    says: ['must be an object, got the string "shop"'],
  },
  {
    given: 'a TypeScript definition without a default export',
    text: (f) => (f[SHOP] = f[SHOP]!.replace('export default defineProject(', 'export const shop = defineProject(')),
    file: SHOP,
    path: '(file)',
    says: ['has no default export', 'end the file with `export default defineProject({ ... })`'],
  },
];

// ---------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('malformed definitions', () => {
  it('GIVEN the baseline WHEN validated THEN it is valid (every case below differs from it by one defect)', async () => {
    const result = await runCli('validate', '--root', tempRoot(render(baseline())));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ok: 2 project(s), 1 cluster(s), 5 env(s)\n');
    expect(result.code).toBe(0);
  });

  it('GIVEN a valid edit of the baseline WHEN synth runs THEN the generated tree changes (control: the unchanged-tree check below can fail)', async () => {
    const { root, files, generated } = await synthesizedBaseline();
    applyFiles(root, files, defective({ defect: (d) => (W(d).containers[0].image = 'nginx:1.28') }));
    const synth = await runCli('synth', '--root', root);
    expect(synth.code, synth.stderr).toBe(0);
    expect(snapshotTree(join(root, 'clusters', 'dev'))).not.toEqual(generated);
    expect(leftovers(root)).toEqual([]);
  });

  it('GIVEN the corpus WHEN counted THEN it holds at least 30 distinct defects', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.given)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.given, c] as const))(
    'GIVEN a valid baseline with %s WHEN validate and synth run THEN both exit 1 naming the file and field, and nothing is written',
    async (_, c) => {
      const { root, files, generated } = await synthesizedBaseline();
      const broken = defective(c);
      applyFiles(root, files, broken);
      const before = snapshotTree(root);

      // validate
      const validate = await runCli('validate', '--root', root);
      expect(validate.code, validate.stderr).toBe(1);
      expect(validate.stdout).toBe('');
      expectWellFormed(validate, c.problems ?? 1);
      const line = problemLine(validate, c);
      if (c.lineOf !== undefined) expect(line.endsWith(` (line ${lineNumberOf(broken[c.file]!, c.lineOf)})`), line).toBe(true);
      if (c.messageLineOf !== undefined) expect(line).toContain(`: line ${lineNumberOf(broken[c.file]!, c.messageLineOf)}, column `);
      if (c.file.endsWith('.ts')) expect(line).not.toMatch(/\(line \d+\)$/);

      // synth over an existing generated tree
      const synth = await runCli('synth', '--root', root);
      expect(synth.code, synth.stderr).toBe(1);
      expect(synth.stdout).toBe('');
      expect(synth.stderr).toBe(validate.stderr);
      expect(snapshotTree(root)).toEqual(before);
      expect(snapshotTree(join(root, 'clusters', 'dev'))).toEqual(generated);
      expect(leftovers(root)).toEqual([]);
    },
  );
});

describe('what Kubernetes accepts is accepted', () => {
  it.each([
    ['dotted and hyphenated env names (Elasticsearch, Spring)', (d: Defs) => Object.assign(W(d).containers[1].env, { 'discovery.type': 'single-node', 'xpack.security.enabled': 'false', 'spring.profiles-active': 'dev', _JAVA_OPTIONS: '-Xmx512m', '.hidden': 'x', '-dash': 'y' })],
    ['the current zone "Asia/Kolkata"', (d: Defs) => (C(d).timeZone = 'Asia/Kolkata')],
    ['the current zone "Europe/Kyiv"', (d: Defs) => (C(d).timeZone = 'Europe/Kyiv')],
    ['the backward link "Asia/Calcutta" (Go\'s tz database resolves links)', (d: Defs) => (C(d).timeZone = 'Asia/Calcutta')],
    ['the zone "UTC"', (d: Defs) => (C(d).timeZone = 'UTC')],
    ['a developer name of 39 characters (GitHub\'s login limit)', (d: Defs) => (C(d).developers[2].name = 'christopher-alexander-montgomery-smith2')],
    ['a project name of 40 characters', (d: Defs) => {
      d['projects/customer-self-service-portal-for-partner.ts'] = { ...S(d), name: 'customer-self-service-portal-for-partner' };
      delete d[SHOP];
    }],
  ])('GIVEN the baseline with %s WHEN validated THEN it is valid', async (_, edit) => {
    const result = await runCli('validate', '--root', tempRoot(defective({ defect: edit })));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('several problems at once', () => {
  it('GIVEN one YAML file with four schema defects WHEN validated THEN all four are reported, not only the first', async () => {
    const broken = defective({
      defect: (d) => {
        W(d).containers[0].ports[0].port = '8080';
        W(d).containers[0].resources.cpu = '500 m';
        W(d).containers[1].imgae = W(d).containers[1].image;
        delete W(d).containers[1].image;
        W(d).schedule.wake = '9:00';
      },
    });
    const result = await runCli('validate', '--root', tempRoot(broken));
    expect(result.code).toBe(1);
    expectWellFormed(result, 5);
    problemLine(result, { file: WEB, path: 'containers[0].ports[0].port', says: ['"8080"'] });
    problemLine(result, { file: WEB, path: 'containers[0].resources.cpu', says: ['"500 m"'] });
    problemLine(result, { file: WEB, path: 'containers[1].imgae', says: ['did you mean "image"?'] });
    problemLine(result, { file: WEB, path: 'containers[1].image', says: ['is required'] });
    problemLine(result, { file: WEB, path: 'schedule.wake', says: ['"9:00"'] });
    expect(result.stderr.split('\n').at(-1)).toBe('devfleet: 5 problem(s) in 1 file(s); nothing was written');
  });

  it('GIVEN one file with four cross-field defects WHEN validated THEN all four are reported', async () => {
    const broken = defective({
      defect: (d) => {
        W(d).containers[1].ports[0].port = 8080;
        W(d).containers[0].readiness.port = 'api';
        W(d).routes[1].port = 'apii';
        W(d).swap.container = 'go';
      },
    });
    const result = await runCli('validate', '--root', tempRoot(broken));
    expect(result.code).toBe(1);
    expectWellFormed(result, 4);
    problemLine(result, { file: WEB, path: 'containers[1].ports[0].port', says: ['8080/TCP'] });
    problemLine(result, { file: WEB, path: 'containers[0].readiness.port', says: ['"api"'] });
    problemLine(result, { file: WEB, path: 'routes[1].port', says: ['"apii"'] });
    problemLine(result, { file: WEB, path: 'swap.container', says: ['"go"'] });
  });

  it('GIVEN one YAML file with schema defects AND cross-field defects WHEN validated THEN every one is reported in one run, in file order', async () => {
    const broken = defective({
      defect: (d) => {
        W(d).containers[0].image = 'nginx:latest';
        W(d).containers[1].resourcse = {};
        W(d).routes[1].port = 'apii';
        W(d).developers = ['alice', 'bobb'];
        W(d).swap.container = 'go';
      },
    });
    const result = await runCli('validate', '--root', tempRoot(broken));
    expect(result.code).toBe(1);
    expectWellFormed(result, 5);
    const paths = result.stderr.split('\n').slice(0, -1).map((line) => line.split(': ')[1]);
    expect(paths).toEqual(['containers[0].image', 'containers[1].resourcse', 'routes[1].port', 'developers[1]', 'swap.container']);
    problemLine(result, { file: WEB, path: 'routes[1].port', says: ['"apii"', 'did you mean "api"?'] });
    problemLine(result, { file: WEB, path: 'developers[1]', says: ['"bobb"', 'did you mean "bob"?'] });
    problemLine(result, { file: WEB, path: 'swap.container', says: ['"go"'] });
  });

  it('GIVEN a schema defect in a field a cross-check reads WHEN validated THEN only the schema problem is reported for it (the check skips what it cannot read)', async () => {
    const broken = defective({
      defect: (d) => {
        // The port's value is refused by the schema; its route and readiness still name it, so no second problem.
        W(d).containers[0].ports[0].port = 70000;
        // A broken list item takes its list out of the checks: no "no container declares a port" for the routes.
        W(d).containers[1].ports[0].protocol = 'SCTPX';
      },
    });
    const result = await runCli('validate', '--root', tempRoot(broken));
    expect(result.code).toBe(1);
    expectWellFormed(result, 2);
    problemLine(result, { file: WEB, path: 'containers[0].ports[0].port', says: ['70000'] });
    problemLine(result, { file: WEB, path: 'containers[1].ports[0].protocol', says: ['"SCTPX"'] });
  });

  it('GIVEN defects in three files WHEN validated THEN each file is reported and the summary counts three files', async () => {
    const broken = defective({
      defect: (d) => {
        C(d).timeZone = 'tokyo';
        S(d).contaienrs = S(d).containers;
        delete S(d).containers;
        W(d).containers[0].image = 'nginx';
      },
    });
    const result = await runCli('validate', '--root', tempRoot(broken));
    expect(result.code).toBe(1);
    expectWellFormed(result, 4);
    problemLine(result, { file: CLUSTER, path: 'timeZone', says: ['"tokyo"'] });
    problemLine(result, { file: SHOP, path: 'contaienrs', says: ['did you mean "containers"?'] });
    problemLine(result, { file: WEB, path: 'containers[0].image', says: ['"nginx"'] });
    expect(result.stderr.split('\n').at(-1)).toBe('devfleet: 4 problem(s) in 3 file(s); nothing was written');
  });
});

describe('stable order', () => {
  const manyDefects = () =>
    defective({
      defect: (d) => {
        C(d).timeZone = 'Asia/Tokio';
        C(d).developers.push({ name: 'bob' });
        W(d).schedule.wake = '9:00';
        W(d).containers[0].resources.memory = '1GB';
        W(d).owner = 'team-a';
        S(d).containers[0].image = 'shop';
        d['projects/api.json'] = { name: 'api', containers: [{ name: 'api', image: 'ghcr.io/acme/api:1.0', ports: [{ name: 'http', port: '80' }] }] };
      },
    });

  it('GIVEN several defects in several files WHEN validated twice THEN stderr is identical and sorted by file, then line', async () => {
    const root = tempRoot(manyDefects());
    const first = await runCli('validate', '--root', root);
    const second = await runCli('validate', '--root', root);
    expect(first.code).toBe(1);
    expect(second.stderr).toBe(first.stderr);
    expectWellFormed(first, 7);
    const problems = first.stderr.split('\n').slice(0, -1);
    const files = problems.map((line) => line.slice(0, line.indexOf(': ')));
    expect(files).toEqual([CLUSTER, CLUSTER, 'projects/api.json', SHOP, WEB, WEB, WEB]);
    const lineOf = (line: string) => Number(/\(line (\d+)\)$/.exec(line)?.[1]);
    expect(problems.map((line) => line.slice(0, line.indexOf(': ', line.indexOf(': ') + 2)))).toEqual([
      `${CLUSTER}: timeZone`,
      `${CLUSTER}: developers[3].name`,
      'projects/api.json: containers[0].ports[0].port',
      `${SHOP}: containers[0].image`,
      `${WEB}: containers[0].resources.memory`,
      `${WEB}: schedule.wake`,
      `${WEB}: owner`,
    ]);
    expect(lineOf(problems[0]!)).toBeLessThan(lineOf(problems[1]!));
    expect(lineOf(problems[4]!)).toBeLessThan(lineOf(problems[5]!));
    expect(lineOf(problems[5]!)).toBeLessThan(lineOf(problems[6]!));
  });

  it('GIVEN the same defects written in a different order WHEN validated THEN stderr is the same', async () => {
    const files = manyDefects();
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    const a = await runCli('validate', '--root', tempRoot(files));
    const b = await runCli('validate', '--root', tempRoot(reversed));
    expect(a.code).toBe(1);
    expect(b.stderr).toBe(a.stderr);
  });
});

describe('the suggested fix works', () => {
  it('GIVEN the ALB overflow WHEN ingress.groups is set to the suggested number THEN validate and synth succeed', async () => {
    const overflow = cases.find((c) => c.path === 'ingress.groups')!;
    const broken = defective(overflow);
    const root = tempRoot(broken);
    const failed = await runCli('validate', '--root', root);
    const suggested = Number(/set ingress\.groups to (\d+)/.exec(failed.stderr)?.[1]);
    expect(suggested).toBeGreaterThan(1);

    const fixed = defective({
      defect: (d) => {
        overflow.defect!(d);
        C(d).ingress.groups = suggested;
      },
    });
    applyFiles(root, broken, fixed);
    const validate = await runCli('validate', '--root', root);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const synth = await runCli('synth', '--root', root);
    expect(synth.code, synth.stderr).toBe(0);
    expect(leftovers(root)).toEqual([]);
  });

  it('GIVEN the same 120 envs behind the front door (ingress.mode left at its default, ingress.groups 1) WHEN validated THEN they are accepted: one load balancer serves any number of envs', async () => {
    const overflow = cases.find((c) => c.path === 'ingress.groups')!;
    const frontDoor = defective({
      defect: (d) => {
        overflow.defect!(d);
        C(d).ingress = { groups: 1 };
      },
    });
    const validate = await runCli('validate', '--root', tempRoot(frontDoor));
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toMatch(/^ok: \d+ project\(s\), 1 cluster\(s\), 120 env\(s\)\n$/);
  });
});
