import type { ScaffoldNames, ScaffoldType } from './new-plugin-names.js';
import type { OptionSpec } from './new-plugin-options.js';

/** The command that tries the new package out, from the folder it was written in. */
export const USE: Readonly<Record<ScaffoldType, (n: ScaffoldNames, folder: string) => string>> = {
  exporter: (n, folder) => `npx modelport export model.json --to tfjs,${n.key} --plugin ./${folder}`,
  pass: (n, folder) => `npx modelport export model.json --to tfjs --plugin ./${folder}`,
  quantizer: (n, folder) => `npx modelport export model.json --to tfjs --quantize float16 --plugin ./${folder}`,
  runtime: (n, folder) => `npx modelport explain --plugin ./${folder}    # serve[${n.key}]: ${n.packageName}`,
  adapter: (n, folder) => `npx modelport explain --plugin ./${folder}`,
  module: (n, folder) => `npx modelport export model.json --to tfjs --plugin ./${folder} --signature scaled=${n.key} --module-options options.json`,
  preset: (n, folder) => `npx modelport explain --preset ./${folder}`,
};

/** The package's README: what it is, how to build, test and use it, its options. */
export function readme(n: ScaffoldNames, folder: string, description: string, options: readonly OptionSpec[]): string {
  const table = options.length
    ? `\n## Options\n| option | default | |\n|---|---|---|\n${options.map((o) => `| \`${o.name}\` | \`${JSON.stringify(o.schema.default)}\` | ${o.doc} |`).join('\n')}\n\n`
      + (n.type === 'module'
        ? 'Give them per export, in the file `--module-options` names (`{ "' + n.key + '": { "scale": 2 } }`, or `"<signature>/' + n.key + '"` for one signature); they are checked against `options.schema.json` before `build` runs; `src/options.ts` holds their type. See docs/export-modules.md of modelport.\n'
        : 'They are checked against `options.schema.json` before the plugin applies; `src/options.ts` holds their type.\n')
    : '';
  return `# ${n.packageName}

${description}.

\`\`\`bash
npm install && npm run build && npm test
${USE[n.type](n, folder)}
\`\`\`

Or name it in \`modelport.config.json\` (a path is resolved from the config file's folder):
\`\`\`json
{ "presets": [${n.type === 'preset' ? `"./${folder}"` : '"default"'}]${n.type === 'preset' ? '' : `, "plugins": ["./${folder}"]`} }
\`\`\`
${table}
See docs/writing-a-plugin.md of modelport for the hooks, ordering (\`stage\`, \`before\`) and the test kit.
`;
}
