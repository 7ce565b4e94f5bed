// Conformance adapter: drives the DurableStreams client from JSON-line commands on stdin and writes
// one JSON result line per command on stdout (see shared/conformance/ADAPTER-PROTOCOL.md).
// stdout carries results only; diagnostics go to stderr.
using DurableStreams.ConformanceAdapter;
using DurableStreams.ConformanceAdapter.Protocol;

var input = new StreamReader(Console.OpenStandardInput(), System.Text.Encoding.UTF8);
var output = new ResultWriter(Console.OpenStandardOutput());
await using var adapter = new Adapter();

string? line;
while ((line = await input.ReadLineAsync()) is not null)
{
    line = line.TrimEnd('\r');
    if (line.Length == 0) continue;
    var (result, shutdown) = await adapter.HandleLineAsync(line);
    output.Write(result);
    if (shutdown) break;
}
