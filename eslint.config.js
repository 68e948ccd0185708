// The linter: typescript-eslint's strictTypeChecked preset, type-aware (it reads the types tsc
// sees, so it catches promises left unawaited, `any` leaking in, conditions that are always true).
// Formatting is biome's (biome.json). CONTRIBUTING.md says how to run both and why these tools.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['src/generated/**', 'dist/**', 'coverage/**', 'src/http/dev-simulator/browser/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // With noUncheckedIndexedAccess every index and Map.get is `T | undefined`; the code uses `!`
      // right after the check that proves the value is there (a length, a has(), a regex group),
      // which TypeScript cannot follow. Rewriting those 364 places would add branches that never run.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers in template strings (ids, counts, amounts in the smallest unit) print as themselves;
      // objects, null and undefined in a template stay findings.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `return notFound(res)` / `return send(res, 404, …)` is the house's way to end a branch of a
      // handler (about 80 places); the rule's fix turns each into `{ notFound(res); return; }`, and
      // its options cannot allow it in handlers whose return type is inferred.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // A leading underscore marks a binding left unused on purpose: a field dropped from a rest
      // copy (`{ secret: _secret, ...rest }`), Express's four-argument error handler.
      // An async function without `await` is how a handler, performer or fake implements a
      // Promise-returning interface (event handlers, `compose`, fake KOMOJU endpoints); written
      // without `async` its throw would escape synchronously instead of rejecting the promise.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any(String), expect.stringContaining(…)) are typed
      // `any` by vitest itself; building expected objects from them is what they are for.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // afterAll tears down what beforeAll built, and must not throw when beforeAll failed halfway:
      // `await server?.stop()`. The variables are typed as built (`let server: RunningServer`) so the
      // tests read them without `!`; the rule then calls each runtime-needed guard unnecessary
      // (about 50 places). Source code keeps the rule.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
);
