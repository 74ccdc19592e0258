// The planner's parameters as the export writes them into the manifest
// (`parameters`): tests/search/parameters.json, which a Rust test
// (src/search/parameters.rs) keeps equal to what the build writes, so the
// hand-made indexes of the Node and browser tests search as a built site.
import { readFileSync } from "node:fs";

export const PARAMETERS = JSON.parse(readFileSync(new URL("../search/parameters.json", import.meta.url), "utf8"));

/** A manifest's `parameters` with some changed. */
export const withParameters = (changes) => ({ ...PARAMETERS, ...changes });
