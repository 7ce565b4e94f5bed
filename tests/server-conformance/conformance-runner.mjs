// Our runner for the published suite: the package's own runner leaves the optional subscription group
// ("Reserved subscription APIs", §6-7) off; this one switches it on. run.sh starts the dev server with webhooks
// enabled and local receivers allowed, since the suite's webhook receiver listens on http://127.0.0.1.
import { runConformanceTests } from "@durable-streams/server-conformance-tests"

const baseUrl = process.env.CONFORMANCE_TEST_URL
if (!baseUrl) throw new Error("CONFORMANCE_TEST_URL is required (run tests/server-conformance/run.sh)")

runConformanceTests({ baseUrl, subscriptions: true })
