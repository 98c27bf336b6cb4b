import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const face = (path: string) => require.resolve(`@expo-google-fonts/source-sans-3/${path}`);

/** Source Sans 3 (SIL Open Font License), embedded in every letter: full Latin coverage, ë, ï, é included. */
export const FONTS = {
  regular: face('400Regular/SourceSans3_400Regular.ttf'),
  semibold: face('600SemiBold/SourceSans3_600SemiBold.ttf'),
  italic: face('400Regular_Italic/SourceSans3_400Regular_Italic.ttf'),
} as const;
