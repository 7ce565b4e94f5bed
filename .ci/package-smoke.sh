#!/usr/bin/env bash
# Package smoke test: packs src/DurableStreams into a temporary folder feed, creates a brand-new console
# app that references only that package (the generator comes inside it), annotates a record, builds it
# with warnings as errors and runs it against the reference server. Any failure fails the step.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
source .ci/lib/reference-server.sh

work=$(mktemp -d)
trap 'stop_reference_server; rm -rf "$work"' EXIT
feed="$work/feed"
app="$work/SmokeApp"

dotnet pack src/DurableStreams -c Release -o "$feed"
version=$(dotnet msbuild src/DurableStreams -getProperty:Version)
package="$feed/DurableStreams.$version.nupkg"
echo "packed $package"
contents=$(unzip -l "$package")
grep -q 'analyzers/dotnet/roslyn4.14/cs/DurableStreams.Generators.dll' <<<"$contents" \
  || { echo "the package does not carry the generator under analyzers/dotnet/roslyn4.14/cs" >&2; exit 1; }

mkdir -p "$app"
cd "$app"
# Only this folder feed may provide DurableStreams; everything else comes from the default source. A
# private packages folder keeps a previously cached build of the same version out of the test.
cat > NuGet.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="DurableStreams" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML
dotnet new console --framework net10.0 --name SmokeApp --output . --force
dotnet add package DurableStreams --version "[$version]"

cat > Program.cs <<'CS'
using System.Text.Json.Serialization;
using DurableStreams;

using var client = new DurableStreamClient(new Uri(args[0].TrimEnd('/') + "/"));
var greetings = GreetingStream.For(client, run: Guid.NewGuid().ToString("N"));
await greetings.CreateAsync(ttl: TimeSpan.FromMinutes(10));

Greeting[] written = [new("hello", 1), new("world", 2)];
await greetings.AppendManyAsync(written);
await greetings.CloseAsync();

var read = await greetings.ReadAllAsync(Offset.Beginning, LiveMode.Sse);
if (!read.SequenceEqual(written))
{
    Console.Error.WriteLine($"read {read.Count} greetings that differ from the {written.Length} written");
    return 1;
}
Console.WriteLine($"package smoke: {read.Count} greetings round-tripped through {greetings.Url}");
return 0;

[DurableStream("smoke/{run}/greetings")]
public sealed record Greeting(string Text, int Order);

[JsonSerializable(typeof(Greeting))]
internal sealed partial class SmokeJson : JsonSerializerContext;
CS

dotnet build -c Release -warnaserror -p:JsonSerializerIsReflectionEnabledByDefault=false
cd "$repo"
start_reference_server
dotnet "$app/bin/Release/net10.0/SmokeApp.dll" "$SERVER_URL"

# The package's analyzer must also reject a broken contract: a message type no context lists.
cat > "$app/Unlisted.cs" <<'CS'
[DurableStreams.DurableStream("smoke/unlisted")]
public sealed record Unlisted(string Text);
CS
if build_output=$(dotnet build "$app" -c Release 2>&1); then
  echo "a type missing from every JsonSerializerContext built without error" >&2
  exit 1
fi
grep -q 'error DSG001' <<<"$build_output" || { echo "$build_output" >&2; echo "expected error DSG001" >&2; exit 1; }
echo "package smoke: the packaged analyzer reports DSG001 for an unlisted message type"
