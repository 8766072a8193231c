using ContentWatch.Core.Classification;
using ContentWatch.Core.Review;

namespace ContentWatch.Storage.Rows;

/// <summary>What a verdict writes to its item, as every provider binds it (a provider binds only the names its SQL uses).</summary>
internal sealed class VerdictRow
{
    public string Id { get; init; } = "";
    public string Label { get; init; } = "";
    public double Score { get; init; }
    public string ScoresJson { get; init; } = "";
    public string? EvidenceJson { get; init; }
    public string Model { get; init; } = "";
    public string ClassifiedAt { get; init; } = "";
    public string Status { get; init; } = "";

    /// <summary>The identified language; written only where the item has none.</summary>
    public string? Language { get; init; }

    /// <summary>One row per item; throws when an item asks for a status a verdict cannot set.</summary>
    public static List<VerdictRow> From(IReadOnlyList<ClassifiedItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            if (item.Status is not (ItemStatus.InReview or ItemStatus.Dismissed))
            {
                throw new ArgumentException($"A verdict moves an item to '{ItemStatus.InReview}' or '{ItemStatus.Dismissed}', not '{item.Status}'.", nameof(items));
            }
        }

        return items.Select(i => new VerdictRow
        {
            Id = i.ItemId,
            Label = i.Verdict.Label,
            Score = i.Verdict.Score,
            ScoresJson = DbValues.Scores(i.Verdict.Scores),
            EvidenceJson = DbValues.Evidence(i.Verdict.Evidence),
            Model = i.Verdict.Model,
            ClassifiedAt = DbValues.Time(i.Verdict.ClassifiedAt),
            Status = i.Status,
            Language = i.Language,
        }).ToList();
    }
}
