using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Referral;

namespace ContentWatch.Storage.Rows;

/// <summary>A referral with its item's URL, as every provider reads it.</summary>
internal sealed class ReferralRow
{
    public string Id { get; init; } = "";
    public string ItemId { get; init; } = "";
    public string Platform { get; init; } = "";
    public string Url { get; init; } = "";
    public string Category { get; init; } = "";
    public string Status { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string? ExportId { get; init; }
    public string? StatusAt { get; init; }
    public string? StatusNote { get; init; }
    public string? ObservedState { get; init; }
    public int? ObservedHttpStatus { get; init; }
    public string? ObservedAt { get; init; }
    public string? StatusSource { get; init; }

    public ReferralInfo ToInfo() => new(
        Id, ItemId, Platform, Url, Category, Status, DbValues.ParseTime(CreatedAt), ExportId, DbValues.ParseOptionalTime(StatusAt), StatusNote,
        ObservedState is null || ObservedAt is null ? null : new Observation(ObservedState, ObservedHttpStatus, DbValues.ParseTime(ObservedAt)),
        StatusSource);
}
