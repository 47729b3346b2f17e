/**
 * Proof that a generated `projects/<name>.ts` is data: parsed with the TypeScript compiler API,
 * the file must be exactly `import { defineProject } from 'devfleet'` and
 * `export default defineProject(<object literal>)`, where the object literal contains only
 * object and array literals, string and number literals, true, false and null, with keys that are
 * string literals or plain property names (a property name is not a reference: `{ name: 'x' }`
 * reads no variable), never `__proto__` (it would set the prototype, not a field): no identifier
 * as a value, no call, template, spread, shorthand property, computed key or function anywhere.
 * Its only comment is the header line.
 */
import ts from 'typescript';

export function dataOnlyProblems(text: string): string[] {
  const problems: string[] = [];
  const file = ts.createSourceFile('project.ts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  if (diagnostics.length > 0) problems.push(`does not parse: ${diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
  const [first, second, ...rest] = file.statements;
  if (rest.length > 0 || !first || !second) problems.push(`has ${file.statements.length} statements, expected 2`);
  if (!first || !ts.isImportDeclaration(first) || first.getText() !== "import { defineProject } from 'devfleet';") problems.push(`first statement is not the defineProject import: ${first?.getText().slice(0, 80)}`);
  if (!second || !ts.isExportAssignment(second) || second.isExportEquals) {
    problems.push('second statement is not `export default ...`');
    return problems;
  }
  const call = second.expression;
  if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== 'defineProject' || call.typeArguments || call.arguments.length !== 1) {
    problems.push(`the default export is not defineProject(<one argument>): ${call.getText().slice(0, 80)}`);
    return problems;
  }
  const literal = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (!ts.isPropertyAssignment(property) || !(ts.isStringLiteral(property.name) || ts.isIdentifier(property.name))) problems.push(`property is not key: value: ${property.getText().slice(0, 60)}`);
        else if (property.name.text === '__proto__') problems.push(`property sets the prototype: ${property.getText().slice(0, 60)}`);
        else literal(property.initializer);
      }
    } else if (ts.isArrayLiteralExpression(node)) {
      node.elements.forEach(literal);
    } else if (!(ts.isStringLiteral(node) || ts.isNumericLiteral(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword)) {
      problems.push(`${ts.SyntaxKind[node.kind]} is not a literal: ${node.getText().slice(0, 60)}`);
    }
  };
  if (!ts.isObjectLiteralExpression(call.arguments[0]!)) problems.push('the argument is not an object literal');
  literal(call.arguments[0]!);

  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, text);
  let comments = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) comments++;
  }
  if (comments !== 1) problems.push(`has ${comments} comments, expected only the header`);
  if (/[^\x20-\x7e\n]/.test(text)) problems.push('contains characters outside printable ASCII (they must be \\u escapes)');
  return problems;
}
