using System.Text;
using System.Text.Json;
using ContentWatch.Core.Classification;

namespace ContentWatch.Benchmarks;

/// <summary>
/// A realistic mixed-language set built from the team corpus (<c>models/corpus</c>, 20 languages, all four labels),
/// shuffled with a fixed seed. Beyond the corpus size, copies are varied (digits shifted, a reference appended) so
/// no two items are the same text.
/// </summary>
public static class BenchItems
{
    public static IReadOnlyList<ClassifierInput> Build(int count)
    {
        var corpus = LoadCorpus();
        var order = Enumerable.Range(0, corpus.Count).ToArray();
        new Random(1).Shuffle(order);
        var items = new ClassifierInput[count];
        for (var i = 0; i < count; i++)
        {
            var round = i / corpus.Count;
            var text = corpus[order[i % corpus.Count]];
            items[i] = new ClassifierInput(round == 0 ? text : Vary(text, round));
        }

        return items;
    }

    /// <summary>The repository root: <c>CONTENTWATCH_ROOT</c>, or the first folder above this program holding ContentWatch.sln.</summary>
    public static string RepoRoot()
    {
        if (Environment.GetEnvironmentVariable("CONTENTWATCH_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ContentWatch.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("ContentWatch.sln not found; set CONTENTWATCH_ROOT to the repository root.");
    }

    /// <summary><c>CONTENTWATCH_MODEL</c>, or the shipped model.</summary>
    public static string ModelPath() =>
        Environment.GetEnvironmentVariable("CONTENTWATCH_MODEL") is { Length: > 0 } model
            ? model
            : Path.Combine(RepoRoot(), "models", "contentwatch.model.zip");

    private static List<string> LoadCorpus()
    {
        var texts = new List<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(RepoRoot(), "models", "corpus"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    using var doc = JsonDocument.Parse(line);
                    texts.Add(doc.RootElement.GetProperty("text").GetString()!);
                }
            }
        }

        return texts;
    }

    private static string Vary(string text, int round)
    {
        var sb = new StringBuilder(text.Length + 12);
        foreach (var c in text)
        {
            sb.Append(c is >= '0' and <= '9' ? (char)('0' + ((c - '0' + round) % 10)) : c);
        }

        return sb.Append(" ref ").Append(round).ToString();
    }
}
