// node materialise.mjs <stream-url>
// Reads a State Protocol stream from its beginning with @durable-streams/client and prints the state that
// @durable-streams/state's MaterializedState computes: {"state": {type: {key: value}}, "txids": [...]}.
import { materialise, readAll, run, streamUrlArgument } from "./common.mjs";

const url = streamUrlArgument("materialise.mjs");
run(async () => materialise(await readAll(url)));
