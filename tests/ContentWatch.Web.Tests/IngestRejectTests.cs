using System.Text;

namespace ContentWatch.Web.Tests;

/// <summary><c>contentwatch ingest</c> on a file with lines no decoder should accept: those are rejected by number, the rest stored.</summary>
public sealed class IngestRejectTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "contentwatch-cli", Guid.NewGuid().ToString("N"));

    public IngestRejectTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task Ingest_rejects_lone_surrogates_and_invalid_utf8_per_line_and_stores_the_rest()
    {
        var file = Path.Combine(_folder, "hostile.jsonl");
        await File.WriteAllBytesAsync(file,
        [
            .. """{"platform":"x","url":"https://x.example/1","text":"one"}"""u8, (byte)'\n',
            .. """{"platform":"x","url":"https://x.example/2","text":"lone \ud800 surrogate"}"""u8, (byte)'\n',
            .. """{"platform":"x","url":"https://x.example/3","text":"raw """u8, 0xFF, .. "\"}\n"u8,
            .. """{"platform":"x","url":"https://x.example/4","text":"four"}"""u8, (byte)'\n',
        ]);
        var (exit, output, error) = await CliProcess.RunAsync(_folder, ["ingest", file, "--data-dir", Path.Combine(_folder, "data")],
            new Dictionary<string, string> { ["Classification__ModelPath"] = RepoPaths.Model });
        Assert.True(exit == 1, $"{exit}\n{output}\n{error}");
        Assert.Contains("stored 2, duplicates 0, rejected 2", output);
        Assert.Contains("line 2: text", output);
        Assert.Contains("line 3: $", output);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
