// The Dockerfile, read as text (no Docker engine here): multi-stage, production
// dependencies only in the runtime stage, non-root.
import { readRepoFile } from './deploy-files';

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

/** Instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return logical
    .split('\n')
    .map((line) => /^\s*([A-Za-z]+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ keyword: match[1].toUpperCase(), args: match[2].trim() }));
}

function stages(text: string): Stage[] {
  const globalArgs: Record<string, string> = {};
  const result: Stage[] = [];
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(/\s+/);
      const resolved = image.replace(/\$\{?(\w+)\}?/g, (_, arg: string) => globalArgs[arg] ?? '');
      result.push({
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        image: resolved,
        instructions: [],
      });
    } else if (result.length === 0 && instruction.keyword === 'ARG') {
      const [name, value = ''] = instruction.args.split('=');
      globalArgs[name] = value;
    } else if (result.length > 0) {
      result[result.length - 1].instructions.push(instruction);
    }
  }
  return result;
}

function args(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** A full install (dev dependencies included) in one RUN, or a pruning/production one. */
const FULL_INSTALL = /\bnpm (ci|install|i)\b(?![^&;]*--(omit=dev|production))/;
const PRODUCTION_ONLY = /\bnpm (prune|ci|install)\b[^&;]*--(omit=dev|production)/;

describe('Dockerfile', () => {
  const all = stages(readRepoFile('Dockerfile'));
  const runtime = all[all.length - 1];

  it('has a build stage and a runtime stage on Node 20', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all) expect(stage.image).toMatch(/^node:20([.-]|$)/);
  });

  it('builds in a stage with the toolchain for native addons', () => {
    const build = all.slice(0, -1);
    const runs = build.flatMap((stage) => args(stage, 'RUN')).join('\n');
    for (const tool of ['python3', 'make', 'g++']) expect(runs).toContain(tool);
    expect(runs).toMatch(/npm run build/);
  });

  it('runs as a non-root user', () => {
    const users = args(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1].split(':')[0];
    expect(['root', '0', '']).not.toContain(user);
  });

  it('copies nothing from the build context into the runtime stage', () => {
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy.args).toMatch(/--from=/);
      expect(copy.args).not.toMatch(/(^|\s|\/)src(\/|\s|$)/);
    }
    expect(args(runtime, 'RUN').join('\n')).not.toMatch(FULL_INSTALL);
  });

  it('takes node_modules from a stage that pruned the dev dependencies', () => {
    const copies = args(runtime, 'COPY').filter((a) => /node_modules/.test(a));
    expect(copies).toHaveLength(1);
    const from = /--from=(\S+)/.exec(copies[0])![1];
    const source = all.find((stage, index) => stage.name === from || String(index) === from);
    const runs = args(source!, 'RUN');
    const lastFull = runs.map((run) => FULL_INSTALL.test(run)).lastIndexOf(true);
    const pruned = runs.findIndex((run, index) => index >= lastFull && PRODUCTION_ONLY.test(run));
    expect(pruned).toBeGreaterThanOrEqual(0);
  });

  it('ships dist/ and starts node dist/main.js on port 9011 in production mode', () => {
    expect(args(runtime, 'COPY').some((a) => /\bdist\b/.test(a))).toBe(true);
    expect(args(runtime, 'EXPOSE')).toContain('9011');
    expect(args(runtime, 'ENV').join(' ')).toMatch(/\bNODE_ENV[= ]production\b/);
    const cmd = args(runtime, 'CMD');
    expect(JSON.parse(cmd[cmd.length - 1])).toEqual(['node', 'dist/main.js']);
  });

  it('checks its health on /api/health', () => {
    expect(args(runtime, 'HEALTHCHECK').join('\n')).toContain('/api/health');
  });
});

describe('.dockerignore', () => {
  const ignored = readRepoFile('.dockerignore')
    .split('\n')
    .map((line) => line.trim());

  it('keeps local artefacts out of the build context', () => {
    for (const entry of ['node_modules', 'dist', 'data', '.git', 'coverage', 'test']) {
      expect(ignored).toContain(entry);
    }
  });
});
