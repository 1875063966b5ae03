/**
 * The arrows of Haven's house (docs/developing.md, Layout), checked by `npm run lint` and so by CI: a
 * forbidden import fails the build. Dependencies point one way, downward:
 *
 *   web -> content features (forums, comments, chat), moderation, notifications -> users, captcha, auth
 *       -> publishing -> common, config, database
 *
 * Moderation acts on content through the content registry (src/publishing) and typed events, never by import.
 * Each rule carries its reason in `comment`. An exception is a rule of its own, named and explained
 * (entity-relations-only-to-members, reach-out-asks-only-start-care); none is silent.
 */

const FEATURES =
  'auth|users|captcha|forums|moderation|comments|chat|notifications|email-preferences|subscriptions|health|web|cli|publishing|account|library|stories|conversations|journal';
const CONTENT = 'forums|comments|chat|conversations';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'No import cycles, between files or modules: a cycle makes two features one, and Nest then needs forwardRef.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'content-features-stand-alone',
      comment:
        'A content feature (forums, comments, chat) imports no other content feature and not moderation: it asks ' +
        'the publishing gate before it publishes and raises typed events; moderation acts on it through the ' +
        'interface it registers (src/publishing/content-registry.ts).',
      severity: 'error',
      from: { path: `^src/(${CONTENT})/` },
      to: { path: `^src/(${CONTENT}|moderation)/`, pathNot: '^src/$1/' },
    },
    {
      name: 'moderation-does-not-import-content',
      comment:
        'Moderation reaches forums, comments and chat only through the content registry and events, so that ' +
        'content can ask moderation\u2019s policy (through publishing) without a cycle.',
      severity: 'error',
      from: { path: '^src/moderation/', pathNot: '^src/moderation/reach-out/' },
      to: { path: `^src/(${CONTENT})/` },
    },
    {
      name: 'reach-out-asks-only-start-care',
      comment:
        'Exception to moderation-does-not-import-content, for moderation\u2019s reach-out only (its own module, ' +
        'src/moderation/reach-out): a moderator opening a care conversation from a crisis item asks the ' +
        'conversations feature for exactly that, ConversationsService.startCare (and get, for the one already ' +
        'open), through ConversationsModule. No cycle: conversations, a content feature, never imports ' +
        'moderation (content-features-stand-alone). Nothing else of any content feature.',
      severity: 'error',
      from: { path: '^src/moderation/reach-out/' },
      to: {
        path: `^src/(${CONTENT})/`,
        pathNot: '^src/conversations/conversations\\.(service|module)\\.ts$',
      },
    },
    {
      name: 'foundations-import-no-feature',
      comment:
        'common, config and database are the ground floor: they import no feature. publishing sits on them and ' +
        'imports no feature either (features register with it).',
      severity: 'error',
      from: { path: '^src/(common|config|database|publishing)/' },
      to: { path: `^src/(${FEATURES})/`, pathNot: '^src/$1/' },
    },
    {
      name: 'features-do-not-import-web',
      comment:
        'The web pages sit on top: they may call features\u2019 services, but no feature imports the web layer ' +
        '(only the app\u2019s wiring, src/app*.ts and src/main.ts, knows both).',
      severity: 'error',
      from: { path: `^src/(${FEATURES}|common|config|database)/`, pathNot: '^src/web/' },
      to: { path: '^src/web/' },
    },
    {
      name: 'entities-stay-home',
      comment:
        'An entity file belongs to its feature: another feature asks that feature\u2019s service or data layer, ' +
        'never its entity. Entity files hold the entity class only; their vocabularies (statuses, kinds) live in a ' +
        'sibling `*.constants.ts` file, which others may import.',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '\\.entity\\.ts$' },
      to: { path: '\\.entity\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'entity-relations-only-to-members',
      comment:
        'Exception to entities-stay-home, for entity files only: a TypeORM relation to UserEntity (author_id, ' +
        'user_id, created_by ...). The foreign key lives in the database and the generated migrations read it from ' +
        'the relation, so every feature\u2019s entity may point at the member row; no other cross-feature entity ' +
        'relation is allowed.',
      severity: 'error',
      from: { path: '^src/([^/]+)/.+\\.entity\\.ts$' },
      to: { path: '\\.entity\\.ts$', pathNot: ['^src/$1/', '^src/users/user\\.entity\\.ts$'] },
    },
    {
      name: 'no-test-code-in-src',
      comment: 'Server code never imports specs or test helpers.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.(spec|test-helper)\\.ts$' },
      to: { path: '(\\.spec\\.ts|\\.test-helper\\.ts|^test/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/web/islands/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
