/**
 * A small Dockerfile parser: enough to check our images' structure (stages, base images, USER,
 * ENTRYPOINT/CMD form, labels, ENV, EXPOSE, heredoc files) without a Docker engine.
 */
export interface Instruction {
  /** Upper-case keyword, e.g. "FROM", "COPY". */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  readonly args: string;
  /** 1-based line of the keyword. */
  readonly line: number;
  /** Body of a heredoc (`COPY <<'EOF' /path` ... `EOF`), when the instruction has one. */
  readonly heredoc?: string;
}

export interface Stage {
  /** `AS name`, or the stage's index as text. */
  readonly name: string;
  /** Base image with ARG defaults substituted, e.g. "node:22-bookworm-slim". */
  readonly image: string;
  readonly instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  readonly globalArgs: ReadonlyMap<string, string>;
  readonly stages: Stage[];
}

function substitute(text: string, args: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, bare) => {
    const name = (braced ?? bare) as string;
    return args.get(name) ?? whole;
  });
}

function instructions(text: string): Instruction[] {
  const lines = text.split('\n');
  const out: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    if (/^\s*(#.*)?$/.test(first)) continue;
    const start = i;
    let joined = first;
    while (/\\\s*$/.test(joined) && i + 1 < lines.length) {
      i++;
      if (/^\s*#/.test(lines[i])) continue; // comments inside a continued instruction
      joined = joined.replace(/\\\s*$/, ' ') + lines[i].trim();
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(joined);
    if (!match) throw new Error(`line ${start + 1}: not an instruction: ${first}`);
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    const heredocMarker = /<<-?(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(args);
    if (heredocMarker) {
      const terminator = heredocMarker[2];
      const body: string[] = [];
      i++;
      while (i < lines.length && lines[i].trim() !== terminator) body.push(lines[i++]);
      if (i >= lines.length) throw new Error(`line ${start + 1}: heredoc ${terminator} is never closed`);
      out.push({ keyword, args, line: start + 1, heredoc: `${body.join('\n')}\n` });
    } else {
      out.push({ keyword, args, line: start + 1 });
    }
  }
  return out;
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({
        name: match[2] ?? String(stages.length),
        image: substitute(match[1], globalArgs),
        instructions: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (instruction.keyword !== 'ARG') {
        throw new Error(`line ${instruction.line}: only ARG may come before the first FROM`);
      }
      const [name, value = ''] = instruction.args.split('=', 2);
      globalArgs.set(name.trim(), value.trim());
      continue;
    }
    stage.instructions.push(instruction);
  }
  return { globalArgs, stages };
}

/** The instructions of `stage` with this keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** `["node", "main.js"]` → the array; shell form (or anything else) → undefined. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')
      ? (parsed as string[])
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits `k1="v 1" k2=v2` (LABEL, ENV key=value form) into pairs; quotes removed. */
export function keyValuePairs(args: string): Map<string, string> {
  const pairs = new Map<string, string>();
  const pattern = /([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (const match of args.matchAll(pattern)) {
    const raw = match[2];
    const value = /^["']/.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    pairs.set(match[1], value);
  }
  if (pairs.size === 0 && /^\S+\s+\S/.test(args)) {
    // legacy `ENV NAME value` form
    const [name, ...rest] = args.split(/\s+/);
    pairs.set(name, rest.join(' '));
  }
  return pairs;
}

/** Every LABEL of a stage, merged (later ones win). */
export function labelsOf(stage: Stage): Map<string, string> {
  const labels = new Map<string, string>();
  for (const instruction of instructionsOf(stage, 'LABEL')) {
    for (const [k, v] of keyValuePairs(instruction.args)) labels.set(k, v);
  }
  return labels;
}

/** Every ENV of a stage, merged (later ones win). */
export function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const instruction of instructionsOf(stage, 'ENV')) {
    for (const [k, v] of keyValuePairs(instruction.args)) env.set(k, v);
  }
  return env;
}

/** The `node:<tag>` base image's Node.js major version and flavour, or undefined for other images. */
export function nodeBaseImage(image: string): { major: number; variant: string } | undefined {
  const match =
    /^(?:docker\.io\/(?:library\/)?)?node:(\d+)(?:\.[\d.]+)?-?([a-z0-9-]*)(?:@sha256:[0-9a-f]+)?$/.exec(
      image,
    );
  return match ? { major: Number(match[1]), variant: match[2] } : undefined;
}

/** Debian/Ubuntu-based Node.js image variants (glibc). Alpine is musl: onnxruntime-node fails there. */
export const GLIBC_NODE_VARIANTS = [
  'bookworm',
  'bookworm-slim',
  'trixie',
  'trixie-slim',
  'bullseye',
  'bullseye-slim',
  'slim',
  '',
] as const;
