/**
 * The variable names of a README's configuration table: every row, under a header whose first cell is
 * "Variable", whose first cell is a variable name in backticks (`| \`STORE_URL\` | ... |`).
 */
export function readmeVariables(markdown: string): string[] {
  const names: string[] = [];
  // Only rows of configuration tables count: a table whose header's first cell is "Variable".
  let inConfigTable = false;
  for (const line of markdown.split('\n')) {
    if (!line.trimStart().startsWith('|')) {
      inConfigTable = false;
      continue;
    }
    if (/^\s*\|\s*Variable\s*\|/.test(line)) {
      inConfigTable = true;
      continue;
    }
    const match = /^\s*\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/.exec(line);
    if (inConfigTable && match) names.push(match[1]!);
  }
  return names;
}
