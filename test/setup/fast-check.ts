/**
 * Property tests run from a fixed seed so CI is reproducible: a failure seen once is seen on
 * every rerun of the same commit. Set FC_SEED to another integer to explore further
 * (e.g. `FC_SEED=$RANDOM npm test`); a failure prints the seed and path to replay it.
 */
import fc from 'fast-check';

const seedText = process.env['FC_SEED'];
const seed = seedText === undefined ? 20261127 : Number(seedText);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got '${seedText}'`);
fc.configureGlobal({ seed });
