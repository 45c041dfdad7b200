import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Copy, DockerfileParser, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { validJob, yamlDocuments } from './job-checks.js';

// The image is not built here (no registry): its essentials are read from the parsed Dockerfile instead.

const root = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = readFileSync(`${root}deploy/kubernetes/Dockerfile`, 'utf8');

interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

function stages(text: string): Stage[] {
  const out: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const words = instruction.getArguments().map((a) => a.getValue());
    if (instruction.getKeyword() === 'FROM') out.push({ image: words[0] ?? '', name: words[2], instructions: [] });
    else out.at(-1)?.instructions.push(instruction);
  }
  return out;
}

const words = (i: Instruction): string[] => i.getArguments().map((a) => a.getValue());
const fromStage = (i: Instruction): string | undefined => (i instanceof Copy ? (i.getFromFlag()?.getValue() ?? undefined) : undefined);
const runs = (stage: Stage): string[] => stage.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => words(i).join(' '));

/** Problems with the image's essentials; empty when fine. */
function imageProblems(text: string): string[] {
  const problems: string[] = [];
  const all = stages(text);
  const final = all.at(-1);
  if (!final) return ['no FROM'];
  for (const stage of all) if (stage.image !== 'node:20-slim') problems.push(`stage ${stage.name ?? 'final'} is ${stage.image}, not node:20-slim`);

  const users = final.instructions.filter((i) => i.getKeyword() === 'USER').map((i) => words(i)[0] ?? '');
  const user = users.at(-1)?.split(':')[0];
  if (user === undefined || user === 'root' || user === '0') problems.push('the final stage runs as root');
  else if (!/^\d+$/.test(user)) problems.push('USER is a name: runAsNonRoot can only verify a numeric user');

  // The final stage installs nothing itself; its node_modules come from a stage that installed without dev deps.
  if (runs(final).some((r) => /\bnpm (ci|install|i)\b/.test(r))) problems.push('the final stage runs npm');
  const copies = final.instructions.filter((i) => i.getKeyword() === 'COPY');
  const modules = copies.find((c) => words(c).some((w) => w.endsWith('node_modules')) && fromStage(c));
  const modulesStage = all.find((s) => s.name === (modules ? fromStage(modules) : undefined));
  if (!modulesStage) problems.push('node_modules not copied from another stage');
  else if (!runs(modulesStage).some((r) => /^npm ci\b.*--omit=dev/.test(r))) problems.push(`stage ${modulesStage.name ?? ''} installs dev dependencies`);
  const dist = copies.find((c) => words(c).some((w) => w.endsWith('/dist')) && fromStage(c));
  const distStage = all.find((s) => s.name === (dist ? fromStage(dist) : undefined));
  if (!distStage || !runs(distStage).some((r) => /^npm ci\b/.test(r) && !r.includes('--omit=dev'))) {
    problems.push('dist is not copied from a stage that installs the dev dependencies tsc needs');
  }

  const entrypoint = final.instructions.find((i) => i.getKeyword() === 'ENTRYPOINT') as JSONInstruction | undefined;
  const exec = entrypoint?.getJSONStrings().map((s) => s.getJSONValue()) ?? [];
  if (exec[0] !== 'node' || !exec[1]?.endsWith('bin/camera-load.js')) problems.push('ENTRYPOINT is not the exec form of the bin');
  return problems;
}

describe('deploy/kubernetes/Dockerfile', () => {
  it('builds on node:20-slim in stages, runs as a numeric non-root user, with production dependencies only', () => {
    expect(imageProblems(dockerfile)).toEqual([]);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const ignored = readFileSync(`${root}.dockerignore`, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist']));
    const sources = stages(dockerfile).flatMap((s) =>
      s.instructions.filter((i) => i.getKeyword() === 'COPY' && !fromStage(i)).flatMap((i) => words(i).slice(0, -1)),
    );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(`${root}${source}`), source).toBe(true);
      expect(ignored, source).not.toContain(source.split('/')[0]);
    }
  });

  it('runs as the user the Job requires', () => {
    const job = validJob(yamlDocuments(readFileSync(`${root}deploy/kubernetes/job.yaml`, 'utf8'))[0]);
    const user = stages(dockerfile)
      .at(-1)
      ?.instructions.filter((i) => i.getKeyword() === 'USER')
      .map((i) => words(i)[0])
      .at(-1);
    expect(user?.split(':')[0]).toBe(String(job.spec?.template.spec?.securityContext?.runAsUser));
  });

  it.each([
    ['a final stage on another base', (d: string) => d.replace(/FROM node:20-slim\n/, 'FROM node:20\n')],
    ['no USER', (d: string) => d.replace(/^USER .*$/m, '')],
    ['USER root', (d: string) => d.replace(/^USER .*$/m, 'USER root')],
    ['USER by name', (d: string) => d.replace(/^USER .*$/m, 'USER node')],
    ['dev dependencies in the image', (d: string) => d.replace('npm ci --omit=dev --ignore-scripts', 'npm ci --ignore-scripts')],
    ['npm run in the final stage', (d: string) => d.replace('ENV NODE_ENV=production', 'RUN npm ci')],
    ['a shell-form entrypoint', (d: string) => d.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT node /app/bin/camera-load.js')],
  ])('catches %s', (_name, breakIt) => {
    const broken = breakIt(dockerfile);
    expect(broken).not.toBe(dockerfile);
    expect(imageProblems(broken)).toHaveLength(1);
  });
});
