/**
 * The optional per-user config file, `$XDG_CONFIG_HOME/devfleet/config.yaml` (or
 * `~/.config/devfleet/config.yaml` when XDG_CONFIG_HOME is unset or not absolute, as the XDG Base
 * Directory specification says: https://specifications.freedesktop.org/basedir-spec/latest/).
 * It names one's developer once (`developer: alice`), for the commands that act on one's own env
 * when neither --developer nor $DEVFLEET_DEVELOPER is given (./whoami.ts). Checked against its
 * schema below: a typo in it is a problem naming the file and the field, never ignored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
import { DEVELOPER_NAME_MAX, DnsName } from '../schema/common.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { DefinitionError, joinPath, show, WHOLE_FILE, type Problem } from '../util/problem.ts';

export const UserConfigSchema = Type.Object(
  { developer: Type.Optional(DnsName(DEVELOPER_NAME_MAX, 'Your developer name in the cluster definition.')) },
  { additionalProperties: false },
);
export type UserConfig = Static<typeof UserConfigSchema>;

export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'devfleet', 'config.yaml');
}

/** The config file's content, {} when there is none; a DefinitionError names every problem of it. */
export function readUserConfig(file: string = userConfigPath()): UserConfig {
  if (!existsSync(file)) return {};
  const problem = (path: string, message: string): Problem => ({ file, path, message });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DefinitionError([problem(WHOLE_FILE, `could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the file, or remove it`)]);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, schema: 'core', strict: true });
  if (doc.errors[0]) throw new DefinitionError([problem(WHOLE_FILE, `is not valid YAML: ${doc.errors[0].message.split('\n')[0]}; fix the syntax, e.g. "developer: alice"`)]);
  const value: unknown = doc.toJS() ?? {};
  const validate = new Ajv({ allErrors: true, strict: false }).compile(UserConfigSchema);
  if (validate(value)) return value;
  const allowed = Object.keys(UserConfigSchema.properties);
  throw new DefinitionError(
    (validate.errors ?? []).map((e) => {
      if (e.keyword === 'additionalProperties') {
        const field = String((e.params as { additionalProperty: string }).additionalProperty);
        return problem(joinPath([field]), `unknown field "${field}"; ${didYouMean(field, allowed)}allowed fields here: ${allowed.join(', ')}`);
      }
      if (e.instancePath === '') return problem(WHOLE_FILE, `must be a map such as "developer: alice", got ${show(value)}`);
      const developer = (value as { developer?: unknown }).developer;
      return problem('developer', `${show(developer)} is not a developer name: ${String(UserConfigSchema.properties.developer['x-hint'])}`);
    }),
  );
}
