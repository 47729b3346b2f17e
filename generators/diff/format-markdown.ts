/**
 * The diff as a pull-request comment. GitHub refuses longer comments (util/github-limits.ts), so the
 * summary comes first (validation, env counts, ALB usage), then one collapsible block per diff
 * group while they fit; what does not fit is cut with a marker saying where the rest is.
 * Every text that comes from definitions (values, problems, manifests) is inside a code block
 * whose fence is longer than any backtick run in it, so it cannot turn into markdown, HTML or
 * @mentions. Names shown outside code blocks passed the schema's name patterns.
 */
import { ALB_LIMITS } from '../plan/alb-usage.ts';
import { GITHUB_BODY_MAX } from '../util/github-limits.ts';
import type { Cents } from '../cost/fleet-cost.ts';
import { formatUsd } from '../cost/money.ts';
import type { ClusterDiff, DiffGroup, FileDiff, FleetDiff, IngressGroupDiff } from './fleet-diff.ts';

/** The hidden line that identifies devfleet's sticky comment on a pull request. */
export const DIFF_MARKER = '<!-- devfleet:diff -->';

export interface MarkdownOptions {
  /**
   * Upper bound of the output length in UTF-16 code units (which never undercount characters).
   * Default: fits a GitHub comment. `Infinity`: the complete diff, nothing cut.
   */
  readonly maxChars?: number;
  /** Where the complete output is, for the truncation marker. */
  readonly fullOutputHint?: string;
}

const LIST_MAX = 10;
const PROBLEMS_MAX = 100;
export const DEFAULT_MAX_CHARS = GITHUB_BODY_MAX - 536;

export function formatDiffMarkdown(diff: FleetDiff, options: MarkdownOptions = {}): { text: string; truncated: boolean } {
  const unlimited = options.maxChars === Infinity;
  const maxChars = unlimited ? Infinity : Math.min(options.maxChars ?? DEFAULT_MAX_CHARS, GITHUB_BODY_MAX - 1);
  const hint = options.fullOutputHint ?? 'run `npx devfleet diff --base <ref>` locally';
  const summary = summaryText(diff, unlimited);
  // One block may take a quarter of the comment, so one huge env cannot hide every other change.
  const details = diff.clusters.flatMap((cluster) => detailBlocks(cluster, unlimited ? Infinity : Math.max(2_000, Math.floor(maxChars / 4))));
  const cutNote = (shown: number, chars: number) =>
    `\n> [!NOTE]\n> **Truncated**: ${details.length - shown} of ${details.length} diff block(s) not shown (${chars.toLocaleString('en-US')} characters) to stay under GitHub's comment limit. The complete diff: ${hint}.\n`;

  if (summary.length + 200 > maxChars) {
    const text = `${DIFF_MARKER}\n## devfleet diff against \`${safeRef(diff.base.ref)}\`\n\n> [!NOTE]\n> **Truncated**: the summary alone (${summary.length.toLocaleString('en-US')} characters) is longer than a comment may be. The complete diff: ${hint}.\n`;
    return { text, truncated: true };
  }
  let text = summary;
  if (details.length > 0) text += '\n### Manifest diffs\n\n';
  let shown = 0;
  let truncated = false;
  for (const block of details) {
    const rest = details.slice(shown + 1).reduce((n, b) => n + b.length, 0);
    const reserve = rest > 0 ? cutNote(shown + 1, rest).length : 0;
    if (text.length + block.length + reserve > maxChars) {
      truncated = true;
      break;
    }
    text += block;
    shown++;
  }
  if (truncated) text += cutNote(shown, details.slice(shown).reduce((n, b) => n + b.length, 0));
  return { text, truncated };
}

function summaryText(diff: FleetDiff, unlimited: boolean): string {
  const problems = (list: readonly string[]) => codeBlock(unlimited || list.length <= PROBLEMS_MAX ? list.join('\n') : `${list.slice(0, PROBLEMS_MAX).join('\n')}\n... and ${list.length - PROBLEMS_MAX} more problem(s)`, 'text');
  const lines = [DIFF_MARKER, `## devfleet diff against \`${safeRef(diff.base.ref)}\` (${diff.base.commit.slice(0, 12)})`, ''];
  if (!diff.head.valid) {
    lines.push(`**The definitions do not validate** (${diff.head.problems.length} problem(s)); fix them, then the env diff appears here.`, '', problems(diff.head.problems));
  } else {
    lines.push(`Definitions valid. Envs: ${diff.base.envs} before, ${diff.head.envs} after.`);
  }

  if (!diff.base.valid) {
    lines.push('', `The base's definitions do not validate (${diff.base.problems.length} problem(s)), so envs are not compared.`, '', problems(diff.base.problems));
  }
  if (diff.head.valid && diff.base.valid) {
    const changedClusters = diff.clusters.filter((c) => c.change !== 'unchanged');
    if (changedClusters.length === 0) lines.push('', 'No generated file changes: every env stays as it is.');
    else if (diff.cost.before && diff.cost.after) lines.push('', `Monthly cost estimate of the fleet (prices of ${diff.cost.prices}; \`npx devfleet cost\` for details): ${costChange(diff.cost.before, diff.cost.after)}.`);
    for (const cluster of changedClusters) lines.push('', ...clusterSummary(cluster));
  }
  return `${lines.join('\n')}\n`;
}

function clusterSummary(cluster: ClusterDiff): string[] {
  const { envs } = cluster;
  const lines = [
    `### Cluster \`${cluster.cluster}\`${cluster.change === 'added' ? ' (new)' : cluster.change === 'removed' ? ' (removed)' : ''}`,
    '',
    `| envs | count | projects |`,
    `| --- | ---: | --- |`,
    `| added | ${envs.added.length} | ${byProject(envs.added)} |`,
    `| changed | ${envs.changed.length} | ${byProject(envs.changed)} |`,
    `| removed | ${envs.removed.length} | ${byProject(envs.removed)} |`,
    `| unchanged | ${envs.after - envs.added.length - envs.changed.length} | |`,
  ];
  if (cluster.charts.length > 0) {
    lines.push('', `Charts ${[...new Set(cluster.charts.map((c) => c.change))].join('/')}: ${cluster.charts.slice(0, LIST_MAX).map((c) => `\`${c.project}\`${c.change === 'changed' ? '' : ` (${c.change})`}`).join(', ')}${cluster.charts.length > LIST_MAX ? `, and ${cluster.charts.length - LIST_MAX} more` : ''}.`);
  }
  if (cluster.files.length > 0) {
    lines.push('', `Other generated files: ${cluster.files.slice(0, LIST_MAX).map((f) => `\`${f.path}\` (${f.change})`).join(', ')}${cluster.files.length > LIST_MAX ? `, and ${cluster.files.length - LIST_MAX} more` : ''}.`);
  }
  lines.push('', `Monthly cost estimate: ${costChange(cluster.cost.before, cluster.cost.after)}.`);
  lines.push('', ...ingressTable(cluster.ingressGroups));
  return lines;
}

/** `$387.29 → $411.61 (**+$24.32**: compute +$3.53, storage +$3.87, ...)`; a missing side counts as nothing. */
function costChange(before: Cents | undefined, after: Cents | undefined): string {
  const zero: Cents = { compute: 0, storage: 0, loadBalancers: 0, platform: 0, total: 0 };
  const [b, a] = [before ?? zero, after ?? zero];
  const delta = a.total - b.total;
  const parts = (
    [
      ['compute', a.compute - b.compute],
      ['storage', a.storage - b.storage],
      ['load balancers', a.loadBalancers - b.loadBalancers],
      ['platform', a.platform - b.platform],
    ] as const
  ).filter(([, d]) => d !== 0);
  const detail = parts.length === 0 ? '' : `: ${parts.map(([name, d]) => `${name} ${formatUsd(d, { sign: true })}`).join(', ')}`;
  return `${formatUsd(b.total)} → ${formatUsd(a.total)} (**${delta === 0 ? 'no change' : formatUsd(delta, { sign: true })}**${detail})`;
}

function byProject(refs: readonly { project: string }[]): string {
  const counts = new Map<string, number>();
  for (const ref of refs) counts.set(ref.project, (counts.get(ref.project) ?? 0) + 1);
  const parts = [...counts].slice(0, LIST_MAX).map(([project, n]) => `\`${project}\` (${n})`);
  return parts.join(', ') + (counts.size > LIST_MAX ? `, and ${counts.size - LIST_MAX} more` : '');
}

function ingressTable(groups: readonly IngressGroupDiff[]): string[] {
  if (groups.length === 0) return [];
  const same = (g: IngressGroupDiff) => JSON.stringify(g.before) === JSON.stringify(g.after);
  const load = (g: IngressGroupDiff) => Math.max(g.after?.targetGroups ?? 0, g.after?.rules ?? 0);
  // Every group that changed, and the fullest one after the change, however many groups there are.
  const fullest = [...groups].sort((x, y) => load(y) - load(x))[0]!;
  const shown = groups.filter((g) => !same(g) || g === fullest);
  const cell = (before: number | undefined, after: number | undefined, limit?: number) => {
    const flag = limit !== undefined && (after ?? 0) > limit ? ' **over the limit**' : '';
    return before === after ? `${after ?? 0}${flag}` : `${before ?? '-'} → ${after ?? '-'}${flag}`;
  };
  const lines = [
    `ALB usage per IngressGroup (one ALB each; limits ${ALB_LIMITS.targetGroups} target groups, not adjustable, and ${ALB_LIMITS.rules} rules). ${groups.length - shown.length} unchanged group(s) not listed.`,
    '',
    '| IngressGroup | envs | target groups | rules |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const g of shown) {
    lines.push(`| \`${g.group}\`${g === fullest ? ' (fullest)' : ''} | ${cell(g.before?.envs, g.after?.envs)} | ${cell(g.before?.targetGroups, g.after?.targetGroups, ALB_LIMITS.targetGroups)} | ${cell(g.before?.rules, g.after?.rules, ALB_LIMITS.rules)} |`);
  }
  return lines;
}

function detailBlocks(cluster: ClusterDiff, blockMax: number): string[] {
  const blocks = cluster.groups.map((group) => groupBlock(cluster.cluster, group, blockMax));
  for (const file of cluster.files) if (file.patch !== undefined) blocks.push(fileBlock(cluster.cluster, file, blockMax));
  return blocks;
}

function groupBlock(cluster: string, group: DiffGroup, blockMax: number): string {
  const [first, ...others] = group.developers;
  const envs = others.length === 0 ? `env \`${first}/${group.project}\`` : `${group.developers.length} envs of \`${group.project}\` (the same ${group.change === 'changed' ? 'change' : 'manifests'} for each)`;
  const list = others.length === 0 ? '' : `\n\nShown for \`${first}\`; also: ${others.slice(0, 50).join(', ')}${others.length > 50 ? `, and ${others.length - 50} more` : ''}.`;
  return details(`${cluster}: ${group.change} ${envs}`, `${list}\n\n${codeBlock(cut(group.patch, blockMax), 'diff')}`);
}

function fileBlock(cluster: string, file: FileDiff, blockMax: number): string {
  return details(`${cluster}: ${file.change} \`${file.path}\``, `\n\n${codeBlock(cut(file.patch ?? '', blockMax), 'diff')}`);
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>${body}\n</details>\n\n`;
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = text.slice(0, text.lastIndexOf('\n', max) + 1);
  const dropped = text.slice(kept.length).split('\n').length - 1;
  return `${kept}... ${dropped} more line(s) of this diff not shown\n`;
}

/** A fenced code block that its content cannot close: the fence is longer than any backtick run inside. */
export function codeBlock(content: string, language: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${content.endsWith('\n') || content === '' ? content : `${content}\n`}${fence}`;
}

/** A git ref as typed by the user, shown inside backticks: only characters git allows in refs, no backticks. */
function safeRef(ref: string): string {
  return ref.replace(/[^A-Za-z0-9._/@^~{}-]/g, '?');
}
