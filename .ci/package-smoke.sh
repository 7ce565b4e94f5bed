#!/usr/bin/env bash
# Package smoke test, as a new user meets the SDK: packs the shipped packages into a folder feed and checks what
# each carries (readme, licence, repository and commit, XML docs, symbols, the generator). Then a brand-new app
# outside the solution references the client, hosting and server packages next to the newest Microsoft.Extensions
# Hosting and Http.Resilience the feed serves, builds with warnings as errors, runs end to end against its own
# embedded server and the reference server, and publishes as Native AOT with no trim or AOT warning.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
source .ci/lib/reference-server.sh

work=$(mktemp -d)
trap 'stop_reference_server; rm -rf "$work"' EXIT
feed="$work/feed"
app="$work/SmokeApp"
packages=(DurableStreams DurableStreams.Extensions.Hosting DurableStreams.Server)

for project in src/DurableStreams src/DurableStreams.Extensions.Hosting src/DurableStreams.Server; do
  dotnet pack "$project" -c Release -o "$feed"
done
version=$(dotnet msbuild src/DurableStreams -getProperty:Version)

for id in "${packages[@]}"; do
  package="$feed/$id.$version.nupkg"
  [ -f "$feed/$id.$version.snupkg" ] || { echo "$id: no symbol package" >&2; exit 1; }
  contents=$(unzip -l "$package")
  nuspec=$(unzip -p "$package" "$id.nuspec")
  grep -q ' README.md$' <<<"$contents" || { echo "$id: no README.md in the package" >&2; exit 1; }
  grep -q "lib/net10.0/$id.xml" <<<"$contents" || { echo "$id: no XML docs" >&2; exit 1; }
  grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || { echo "$id: no licence expression" >&2; exit 1; }
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || { echo "$id: no readme in the nuspec" >&2; exit 1; }
  grep -Eq '<repository type="git" url="[^"]+"[^>]* commit="[0-9a-f]{40}"' <<<"$nuspec" || { echo "$nuspec" >&2; echo "$id: no repository URL and commit" >&2; exit 1; }
  grep -q '<tags>' <<<"$nuspec" || { echo "$id: no tags" >&2; exit 1; }
  # Dependencies are minimums ("10.0.0" means >= 10.0.0); an exact pin would be "[10.0.0]".
  if grep -E '<dependency [^>]*version="\[[^],]*\]"' <<<"$nuspec"; then echo "$id: pins a dependency exactly" >&2; exit 1; fi
  echo "$id: package metadata, readme, docs and symbols present"
done
grep -q 'analyzers/dotnet/roslyn4.14/cs/DurableStreams.Generators.dll' <<<"$(unzip -l "$feed/DurableStreams.$version.nupkg")" \
  || { echo "the package does not carry the generator under analyzers/dotnet/roslyn4.14/cs" >&2; exit 1; }
core_deps=$(unzip -p "$feed/DurableStreams.$version.nupkg" DurableStreams.nuspec | grep -o '<dependency id="[^"]*"' | sort -u)
[ "$core_deps" = '<dependency id="Microsoft.Extensions.Logging.Abstractions"' ] \
  || { echo "the client package depends on more than logging abstractions: $core_deps" >&2; exit 1; }

mkdir -p "$app"
cd "$app"
# Only the folder feed may provide our packages; everything else comes from the default source. A private
# packages folder keeps a previously cached build of the same version out of the test.
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
      <package pattern="DurableStreams.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML
dotnet new console --framework net10.0 --name SmokeApp --output . --force
for id in "${packages[@]}"; do dotnet add package "$id" --version "[$version]"; done
# No version: the newest the feed serves, which is what a new app gets today.
dotnet add package Microsoft.Extensions.Hosting
dotnet add package Microsoft.Extensions.Http.Resilience
grep -E 'PackageReference' SmokeApp.csproj
cp "$repo/.ci/smoke/Program.cs" "$repo/.ci/smoke/appsettings.json" .
# The app is a web app (it hosts the server): the web SDK brings ASP.NET Core's implicit usings and copies appsettings.json.
sed -i 's#<Project Sdk="Microsoft.NET.Sdk">#<Project Sdk="Microsoft.NET.Sdk.Web">#' SmokeApp.csproj
sed -i 's#</PropertyGroup>#  <PublishAot>true</PublishAot>\n    <InvariantGlobalization>true</InvariantGlobalization>\n    <JsonSerializerIsReflectionEnabledByDefault>false</JsonSerializerIsReflectionEnabledByDefault>\n  </PropertyGroup>#' SmokeApp.csproj

dotnet build -c Release -warnaserror
dotnet list package --include-transitive | grep -E 'Microsoft.Extensions.(Hosting|Http|Http.Resilience|Logging.Abstractions) ' || true
dotnet bin/Release/net10.0/SmokeApp.dll
cd "$repo"
start_reference_server
dotnet "$app/bin/Release/net10.0/SmokeApp.dll" "$SERVER_URL"

# Native AOT: no trim or AOT warning from any of it, and the native binary does the same round trip.
dotnet publish "$app" -c Release -r linux-x64 -o "$app/aot" 2>&1 | tee "$work/aot.log"
if grep -E 'warning (IL[23][0-9]{3}|IL[0-9]+)' "$work/aot.log"; then
  echo "trim/AOT warnings found in the smoke app" >&2
  exit 1
fi
"$app/aot/SmokeApp"
"$app/aot/SmokeApp" "$SERVER_URL"

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

# ... and a broken state schema: an entity without a [StateKey].
rm "$app/Unlisted.cs"
cat > "$app/Keyless.cs" <<'CS'
[DurableStreams.State.StateEntity("keyless")]
public sealed record Keyless(string Text);

[DurableStreams.State.DurableState("smoke/keyless")]
[DurableStreams.State.StateCollection<Keyless>("Items")]
public sealed partial class KeylessState;
CS
if build_output=$(dotnet build "$app" -c Release 2>&1); then
  echo "a state entity without a [StateKey] built without error" >&2
  exit 1
fi
grep -q 'error DSG013' <<<"$build_output" || { echo "$build_output" >&2; echo "expected error DSG013" >&2; exit 1; }
echo "package smoke: the packaged analyzer reports DSG013 for a state entity without a key"
