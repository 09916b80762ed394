import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '@modelport/core';
import { checkType, scaffoldNames, SCAFFOLD_TYPES, type ScaffoldNames } from './new-plugin-names.js';
import { OPTIONS_OF, optionsModule, optionsSchemaJson } from './new-plugin-options.js';
import { GITIGNORE, packageJson, tsconfigJson } from './new-plugin-package.js';
import { readme, USE } from './new-plugin-readme.js';
import { presetJson, SOURCE_OF } from './new-plugin-sources.js';
import { TEST_OF } from './new-plugin-tests.js';

/** `modelport new-plugin <type> <name>`: a TypeScript plugin package that builds and passes its test as written. */
export function registerNewPlugin(program: Command): void {
  program.command('new-plugin')
    .description(`write a new plugin package (${SCAFFOLD_TYPES.join(', ')}): manifest, options schema and type, source, README and a test`)
    .argument('<type>', SCAFFOLD_TYPES.join(' | '))
    .argument('<name>', 'npm package name, e.g. my-exporter or @acme/modelport-exporter-summary')
    .option('--dir <folder>', 'where to write it (default: ./<name without scope>); must not exist or be empty')
    .action(async (type: string, name: string, flags: { dir?: string }) => {
      const names = scaffoldNames(checkType(type), name);
      const dir = path.resolve(flags.dir ?? names.baseName);
      const files = scaffoldFiles(names, path.basename(dir));
      await writePackage(dir, files, `modelport new-plugin ${type} ${name}${flags.dir ? ` --dir ${flags.dir}` : ''}`);
      const shown = path.relative(process.cwd(), dir) || '.';
      process.stdout.write(`wrote ${names.type} ${names.packageName} in ${dir}: ${Object.keys(files).join(', ')}\n`
        + `next: cd ${shown} && npm install && npm run build && npm test\n`
        + `then, from here: ${USE[names.type](names, shown)}\n`);
    });
}

/** Every file of the package, by path relative to its folder. */
export function scaffoldFiles(n: ScaffoldNames, folder: string = n.baseName): Record<string, string> {
  const testFile = `test/${n.baseName}.test.ts`;
  const pkg = packageJson(n);
  const description = (JSON.parse(pkg) as { description: string }).description;
  if (n.type === 'preset') {
    return { 'package.json': pkg, 'preset.json': presetJson(), 'tsconfig.json': tsconfigJson(n), [testFile]: TEST_OF.preset(n), 'README.md': readme(n, folder, description, []), '.gitignore': GITIGNORE };
  }
  const options = OPTIONS_OF[n.type];
  return {
    'package.json': pkg,
    'options.schema.json': optionsSchemaJson(options),
    'src/options.ts': optionsModule(options, n.optionsType),
    'src/index.ts': SOURCE_OF[n.type](n),
    [testFile]: TEST_OF[n.type](n),
    'tsconfig.json': tsconfigJson(n),
    'README.md': readme(n, folder, description, options),
    '.gitignore': GITIGNORE,
  };
}

/**
 * Writes the files into a temp folder next to `dir` and renames it into place, so a failure leaves
 * no half package. An existing non-empty `dir` is refused: nothing of the user's is overwritten.
 */
async function writePackage(dir: string, files: Readonly<Record<string, string>>, command: string): Promise<void> {
  const existing = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    if (e.code === 'ENOTDIR') throw new ConfigError(`${command}: ${dir} is a file; choose another --dir or name`);
    throw e;
  });
  if (existing?.length) {
    throw new ConfigError(`${command}: ${dir} already exists and is not empty (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', …' : ''}); `
      + 'choose another --dir or name, or empty that folder');
  }
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const temp = await fs.mkdtemp(path.join(path.dirname(dir), `.${path.basename(dir)}.tmp-`));
  try {
    for (const [file, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(temp, file)), { recursive: true });
      await fs.writeFile(path.join(temp, file), text);
    }
    if (existing) await fs.rmdir(dir);
    await fs.rename(temp, dir);
  } catch (e) {
    await fs.rm(temp, { recursive: true, force: true });
    throw e;
  }
}
