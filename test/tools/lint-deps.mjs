/**
 * `npm run lint:deps`: checks every import of core/, electron/ and renderer/src against the layer rules in
 * .dependency-cruiser.cjs and exits 1 naming each forbidden import or cycle. Through dependency-cruiser's API, since
 * its CLI (18.x) refuses to start on Node 20, which this project supports; the API itself runs there.
 */
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const { forbidden, options } = require('../../.dependency-cruiser.cjs');
const { tsConfig, ...cruiseOptions } = options;

const result = await cruise(
  process.argv.length > 2 ? process.argv.slice(2) : ['core', 'electron', 'renderer/src'],
  { ...cruiseOptions, validate: true, ruleSet: { forbidden }, outputType: 'err' },
  undefined,
  { tsConfig: { fileName: tsConfig.fileName } },
);
process.stdout.write(result.output);
process.exitCode = result.exitCode === 0 ? 0 : 1;
