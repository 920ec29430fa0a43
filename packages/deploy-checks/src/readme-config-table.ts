/**
 * The variable names of a README's configuration table: every Markdown table row whose first cell is
 * a variable name in backticks (`| \`STORE_URL\` | ... |`).
 */
export function readmeVariables(markdown: string): string[] {
  const names: string[] = [];
  for (const line of markdown.split('\n')) {
    const match = /^\s*\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/.exec(line);
    if (match) names.push(match[1]);
  }
  return names;
}
