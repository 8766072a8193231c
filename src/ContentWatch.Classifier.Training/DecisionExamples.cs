using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Training;

namespace ContentWatch.Classifier.Training;

/// <summary>One officer's decision as the trainer reads it from the examples file (<see cref="TrainingExampleJsonl"/>).</summary>
internal sealed record DeskDecision(string DecisionId, string Text, string Label, string? Language, string Platform, DateTimeOffset DecidedAt,
    string? ClusterId);

/// <summary>What <see cref="DecisionExamples.Prepare"/> adds to training, and what it records about the set.</summary>
internal sealed record PreparedDecisions(List<LabeledText> Rows, DecisionSetInfo Info);

/// <summary>
/// Officers' decisions as training rows (<c>contentwatch train --decisions</c>): read from the JSONL of
/// <c>GET /api/training/examples</c>, cut at <see cref="ModelTrainerOptions.DecisionsBefore"/>, without the texts the
/// corpus or the public data already hold (SHA-256 of the text after NFKC, lower case and collapsed white space; the
/// corpus row is kept) and without repeats among the decisions (the earliest is kept), then weighted by
/// <see cref="DecisionWeights"/> times <see cref="ModelTrainerOptions.DecisionWeight"/>. Every row has the writer
/// <c>desk</c>, so leave-one-writer-out scores the desk's items as one writer, with a model trained without any of them.
/// </summary>
internal static class DecisionExamples
{
    public const string SourceDesk = "desk";

    /// <summary>Reads the examples file; lines without a text, a known label, a decision id, a platform or a time are reported and skipped.</summary>
    public static List<DeskDecision> Load(string path, Action<string> warn)
    {
        TrainingData.RefuseGolden(path);
        var decisions = new List<DeskDecision>();
        using var stream = File.OpenRead(path);
        foreach (var record in RecordFileReader.ReadAsync(stream, csv: false, TrainingData.MaxRecordChars, lowerCaseHeader: false, [], CancellationToken.None).ToBlockingEnumerable())
        {
            var root = record.Value;
            if (!record.IsReadable || root.ValueKind != JsonValueKind.Object)
            {
                warn($"{Path.GetFileName(path)}:{record.Line}: not a JSON object, skipped");
                continue;
            }

            var text = String(root, "text");
            var title = String(root, "title");
            var label = String(root, "label");
            var decisionId = String(root, "decisionId");
            var platform = String(root, "platform");
            var decidedAt = DateTimeOffset.MinValue;
            if (string.IsNullOrWhiteSpace(text) || !Labels.IsValid(label) || string.IsNullOrWhiteSpace(decisionId) || string.IsNullOrWhiteSpace(platform)
                || String(root, "decidedAt") is not { } at || !ReportParser.TryParseTimestamp(at, out decidedAt))
            {
                warn($"{Path.GetFileName(path)}:{record.Line}: needs text, a known label, decisionId, platform and decidedAt, skipped");
                continue;
            }

            var full = string.IsNullOrWhiteSpace(title) ? text : title + "\n" + text;
            decisions.Add(new DeskDecision(decisionId, full, label!, String(root, "lang") ?? String(root, "language"), platform, decidedAt,
                String(root, "clusterId")));
        }

        return decisions;
    }

    /// <param name="decisions">The decisions read.</param>
    /// <param name="existing">The corpus and public rows already loaded (a decision on one of their texts is not added).</param>
    /// <param name="source">What the decisions came from, for the metadata (a file name).</param>
    public static PreparedDecisions Prepare(IReadOnlyList<DeskDecision> decisions, IReadOnlyList<LabeledText> existing, ModelTrainerOptions options,
        string source)
    {
        // The set the trainer was allowed to see: before the cut-off, in (decidedAt, decisionId) order.
        var allowed = decisions
            .Where(d => options.DecisionsBefore is not { } before || d.DecidedAt < before)
            .OrderBy(d => d.DecidedAt).ThenBy(d => d.DecisionId, StringComparer.Ordinal)
            .ToList();

        var known = existing.Select(r => TextHash(r.Text)).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var used = new List<DeskDecision>();
        int inCorpus = 0, repeats = 0;
        foreach (var d in allowed)
        {
            var hash = TextHash(d.Text);
            if (known.Contains(hash))
            {
                inCorpus++;
            }
            else if (!seen.Add(hash))
            {
                repeats++;
            }
            else
            {
                used.Add(d);
            }
        }

        var platforms = used.Select(d => d.Platform).ToList();
        var days = used.Select(d => Day(d.DecidedAt)).ToList();
        var weights = DecisionWeights.Compute(platforms, days, used.Select(d => d.ClusterId).ToList(), options.DecisionPlatformCap, options.DecisionDayCap);
        var rows = used.Select((d, i) => new LabeledText(TrainingExampleJsonl.IdPrefix + d.DecisionId, SourceDesk, d.Text, d.Label,
            "c:" + TextNormalizer.GroupKey(d.Text), (float)(options.DecisionWeight * weights[i]), d.Language, TrainingExampleJsonl.Writer, SourceDesk)).ToList();

        var platformShares = DecisionWeights.Shares(platforms, weights);
        var dayShares = DecisionWeights.Shares(days, weights);
        var largestDay = dayShares.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => (KeyValuePair<string, double>?)p).FirstOrDefault();
        var info = new DecisionSetInfo(
            Source: source,
            Count: allowed.Count,
            Sha256: SetHash(allowed),
            NewestDecidedAt: allowed.Count > 0 ? allowed[^1].DecidedAt : null,
            OldestDecidedAt: allowed.Count > 0 ? allowed[0].DecidedAt : null,
            Before: options.DecisionsBefore,
            HeldOut: decisions.Count - allowed.Count,
            InCorpus: inCorpus,
            Repeats: repeats,
            Used: used.Count,
            Labels: used.GroupBy(d => d.Label).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            DecisionWeight: options.DecisionWeight,
            PlatformCap: options.DecisionPlatformCap,
            DayCap: options.DecisionDayCap,
            TotalWeight: Math.Round(weights.Sum() * options.DecisionWeight, 4),
            Platforms: platformShares.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new DecisionShare(p.Key, platforms.Count(x => x == p.Key), Math.Round(p.Value, 4))).ToList(),
            Days: days.Distinct().Count(),
            LargestDay: largestDay is { } day ? new DecisionShare(day.Key, days.Count(x => x == day.Key), Math.Round(day.Value, 4)) : null);
        return new PreparedDecisions(rows, info);
    }

    /// <summary>The UTC day of a decision.</summary>
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>SHA-256 of the text after NFKC, lower case and collapsed white space.</summary>
    public static string TextHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TrainingData.CollapseText(text))));

    /// <summary>SHA-256 of one <c>decisionId TAB label LF</c> line per decision, in (decidedAt, decisionId) order.</summary>
    public static string SetHash(IEnumerable<DeskDecision> ordered)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var d in ordered)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(d.DecisionId + "\t" + d.Label + "\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
