using DurableStreams.Conformance.Adapter;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class AdapterCommandLineTests
{
    [Theory]
    [InlineData("npx tsx adapter.ts", new[] { "npx", "tsx", "adapter.ts" })]
    [InlineData("  dotnet   exec \"/path with space/a.dll\" ", new[] { "dotnet", "exec", "/path with space/a.dll" })]
    [InlineData("node -e 'console.log(\"x\")'", new[] { "node", "-e", "console.log(\"x\")" })]
    [InlineData(@"C:\tools\adapter.exe --flag ""a \""quoted\"" b""", new[] { @"C:\tools\adapter.exe", "--flag", "a \"quoted\" b" })]
    [InlineData("adapter \"\"", new[] { "adapter", "" })]
    public void Splits_like_a_shell(string commandLine, string[] expected)
    {
        var parsed = AdapterCommandLine.Parse(commandLine);

        Assert.Equal(expected, new[] { parsed.FileName }.Concat(parsed.Arguments));
    }

    [Theory]
    [InlineData("")]
    [InlineData("adapter 'unterminated")]
    public void Rejects_unusable_command_lines(string commandLine)
    {
        Assert.Throws<FormatException>(() => AdapterCommandLine.Parse(commandLine));
    }
}
