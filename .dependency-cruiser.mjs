// Which way imports may point (README "Architecture"). `npm run depcheck`
// checks it, and `npm test` runs that before vitest.
//
//   commands/ ─► src/jobs, src/quota ─► src/fal, src/media ─► src/store
//        └────► src/discord (outgoing: messages, components) ─► types of jobs/quota
//
// src/i18n (the message catalogue) and src/util are leaves every part may use.
//
// src/app.ts, the composition root, is the one file in src/ that imports
// commands/: it gives the router its handlers and the messenger the Cancel
// button's custom id.

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles between files, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves; otherwise this check would silently see fewer edges than there are.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'src-not-to-commands',
      severity: 'error',
      comment: 'commands/ is the incoming layer on top; only the composition root (src/app.ts) wires it in.',
      from: { path: '^src/', pathNot: '^src/app\\.ts$' },
      to: { path: '^commands/' },
    },
    {
      name: 'commands-not-to-composition-root',
      severity: 'error',
      comment: 'Handlers get what they use through CommandContext, never by importing the app.',
      from: { path: '^commands/' },
      to: { path: '^src/(app|main)\\.ts$' },
    },
    {
      name: 'discord-is-outgoing-only',
      severity: 'error',
      comment:
        'src/discord renders and sends; it knows jobs, quota and store rows by their types only ' +
        '(plus the money helpers in src/quota/cost.ts), and never fal, media or the composition root.',
      from: { path: '^src/discord/' },
      to: { path: '^src/(jobs|quota|store)/', pathNot: '^src/quota/(cost|money|rules)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'discord-not-to-lower-services',
      severity: 'error',
      comment: 'src/discord speaks to Discord; fal and member files are the pipeline\'s business.',
      from: { path: '^src/discord/' },
      to: { path: ['^src/(fal|media)/', '^src/(app|main)\\.ts$'] },
    },
    {
      name: 'jobs-and-quota-know-no-interface',
      severity: 'error',
      comment: 'The pipeline and the quota rules are called by interfaces (commands, Discord, HTTP), never the other way round.',
      from: { path: '^src/(jobs|quota)/' },
      to: { path: ['^commands/', '^src/(discord|http)/', '^src/(app|main)\\.ts$'] },
    },
    {
      name: 'fal-and-media-use-only-store-config-errors',
      severity: 'error',
      comment:
        'src/fal and src/media are leaves: besides their own folder, only src/store, src/config, src/util, src/i18n and src/errors.ts ' +
        '(a model description names the media limits it sets by their type).',
      from: { path: '^src/(fal|media)/' },
      to: { path: '^src/', pathNot: ['^src/$1/', '^src/(store|config|util|i18n)/', '^src/errors\\.ts$', '^src/media/limits\\.ts$'], dependencyTypesNot: [] },
    },
    {
      name: 'models-name-media-limits-by-type-only',
      severity: 'error',
      comment: 'A model description may name media limits by type; any other fal → media import is a leaf reaching sideways.',
      from: { path: '^src/fal/' },
      to: { path: '^src/media/', pathNot: '^src/media/limits\\.ts$' },
    },
    {
      name: 'util-is-generic',
      severity: 'error',
      comment: 'src/util holds generic helpers (clock, sleep, text) and imports nothing of the bot.',
      from: { path: '^src/util/' },
      to: { path: '^(src|commands)/', pathNot: '^src/util/' },
    },
    {
      name: 'i18n-is-a-leaf',
      comment:
        'src/i18n holds the message catalogue every part may word its sentences from (commands, discord, jobs, quota, fal, media, errors); ' +
        'it imports nothing of the bot.',
      from: { path: '^src/i18n/' },
      to: { path: '^(src|commands)/', pathNot: '^src/i18n/' },
    },
    {
      name: 'store-at-the-bottom',
      severity: 'error',
      comment: 'src/store imports nothing else of the bot.',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: '^src/store/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      comment: 'The bot never imports its tests, fakes or benchmarks.',
      from: { path: '^(src|commands)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    // See type-only imports too: a cycle of types is still a cycle for the reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
