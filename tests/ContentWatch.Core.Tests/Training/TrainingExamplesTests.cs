using System.Text;
using System.Text.Json;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Review;
using ContentWatch.Core.Training;

namespace ContentWatch.Core.Tests.Training;

public sealed class TrainingExamplesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 30, 0, 250, TimeSpan.Zero);

    /// <summary>A first decision; <paramref name="later"/> are the (decision, category) of the decisions after it.</summary>
    private static FirstDecision First(string decision, string? category, params (string Decision, string? Category)[] later) =>
        new("d1", "i1", "key:officer", At, decision, category, null, "telegram", "en", "post", null, "text",
            later.Length == 0 ? null : later.Select(l => l.Decision).Min(StringComparer.Ordinal),
            later.Length == 0 ? null : later.Select(l => l.Decision).Max(StringComparer.Ordinal),
            later.Length == 0 ? null : later.Select(l => l.Category ?? "").Min(StringComparer.Ordinal),
            later.Length == 0 ? null : later.Select(l => l.Category ?? "").Max(StringComparer.Ordinal));

    [Theory]
    [InlineData(Decisions.Confirm, Labels.SmugglingService, Labels.SmugglingService)]
    [InlineData(Decisions.Confirm, Labels.DocumentFraud, Labels.DocumentFraud)]
    [InlineData(Decisions.Confirm, Labels.FakeJobOffer, Labels.FakeJobOffer)]
    [InlineData(Decisions.Reject, Labels.Benign, Labels.Benign)]
    [InlineData(Decisions.Reject, Labels.SmugglingService, Labels.Benign)]
    [InlineData(Decisions.Reject, null, Labels.Benign)]
    public void AFirstDecision_WithNoOtherDecision_GivesItsLabel(string decision, string? category, string label) =>
        Assert.Equal(label, TrainingExamples.FromFirstDecision(First(decision, category))!.Label);

    [Theory]
    [InlineData(Decisions.Confirm, "illegal_service")]
    [InlineData(Decisions.Confirm, Labels.Benign)]
    [InlineData(Decisions.Confirm, null)]
    public void AConfirm_WithoutAHarmfulCategory_GivesNoExample(string decision, string? category) =>
        Assert.Null(TrainingExamples.FromFirstDecision(First(decision, category)));

    [Fact]
    public void ARejectThenAConfirm_IsReversed() =>
        Assert.Null(TrainingExamples.FromFirstDecision(First(Decisions.Reject, Labels.Benign, (Decisions.Confirm, Labels.SmugglingService))));

    [Fact]
    public void AConfirmThenAReject_IsReversed() =>
        Assert.Null(TrainingExamples.FromFirstDecision(First(Decisions.Confirm, Labels.SmugglingService, (Decisions.Reject, Labels.Benign))));

    [Fact]
    public void AConfirmWhoseCategoryWasChanged_IsReversed_EvenWhenALaterConfirmRepeatsIt() =>
        Assert.Null(TrainingExamples.FromFirstDecision(First(Decisions.Confirm, Labels.SmugglingService,
            (Decisions.Confirm, Labels.SmugglingService), (Decisions.Confirm, Labels.DocumentFraud))));

    [Fact]
    public void ARepeatedConfirm_OrRejectsWithOtherCategories_KeepTheExample()
    {
        Assert.Equal(Labels.FakeJobOffer, TrainingExamples.FromFirstDecision(First(Decisions.Confirm, Labels.FakeJobOffer,
            (Decisions.Confirm, Labels.FakeJobOffer), (Decisions.Confirm, Labels.FakeJobOffer)))!.Label);
        Assert.Equal(Labels.Benign, TrainingExamples.FromFirstDecision(First(Decisions.Reject, Labels.Benign,
            (Decisions.Reject, Labels.DocumentFraud), (Decisions.Reject, null)))!.Label);
    }

    [Fact]
    public void AnExample_KeepsItsProvenance()
    {
        var example = TrainingExamples.FromFirstDecision(First(Decisions.Reject, null) with { ClusterId = "c1", Title = "t" })!;

        Assert.Equal(("d1", "i1", "key:officer", At, "telegram", "en", "post", "t", "text", "c1"),
            (example.DecisionId, example.ItemId, example.Officer, example.DecidedAt, example.Platform, example.Language, example.Kind,
                example.Title, example.Text, example.ClusterId));
    }

    [Fact]
    public async Task Jsonl_IsOneEscapedObjectALine_WithTheCorpusAndProvenanceFields()
    {
        const string hostile = "a</script>\n\u2028b \"q\" & مرحبا 🚤";
        var examples = new[]
        {
            new TrainingExample("d1", "i1", "key:o", At, "telegram", "ar", "job_ad", "Title", hostile, Labels.SmugglingService, "c1"),
            new TrainingExample("d2", "i2", "key:o", At.AddSeconds(1), "facebook", null, "post", null, "plain", Labels.Benign, null),
        };
        using var output = new MemoryStream();

        var count = await TrainingExampleJsonl.WriteAsync(examples.ToAsyncEnumerable(), output, CancellationToken.None);

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(2, count);
        Assert.Equal(2, text.Count(c => c == '\n'));
        Assert.DoesNotContain("</script>", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u2028', text);
        Assert.Contains("مرحبا", text, StringComparison.Ordinal);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var first = lines[0];
        Assert.Equal(hostile, first.GetProperty("text").GetString());
        Assert.Equal(
            ["id", "text", "title", "label", "lang", "kind", "writer", "decisionId", "officer", "decidedAt", "itemId", "platform", "language", "clusterId"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("desk:d1", first.GetProperty("id").GetString());
        Assert.Equal("desk", first.GetProperty("writer").GetString());
        Assert.Equal("2026-12-01T09:30:00.250Z", first.GetProperty("decidedAt").GetString());
        Assert.False(lines[1].TryGetProperty("title", out _));
        Assert.False(lines[1].TryGetProperty("clusterId", out _));
        Assert.Equal(JsonValueKind.Null, lines[1].GetProperty("lang").ValueKind);
    }
}
