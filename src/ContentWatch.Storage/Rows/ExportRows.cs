using ContentWatch.Core.Export;

namespace ContentWatch.Storage.Rows;

// The rows the export stores read, the same for every provider. Dapper converts each column to the property's type:
// SQLite's 64-bit integers to int and bool, SQL Server's int and bit as they are.

/// <summary>One export batch as listed.</summary>
internal sealed class BatchRow
{
    public string Id { get; init; } = "";
    public string Platform { get; init; } = "";
    public int Count { get; init; }
    public string CreatedAt { get; init; } = "";

    public ExportBatch ToBatch() => new(Id, Platform, Count, DbValues.ParseTime(CreatedAt));
}

/// <summary>An export batch with the notifier and statement each of its notices carries.</summary>
internal sealed class ExportRow
{
    /// <summary>The export batch <c>@exportId</c> of <c>@platform</c>; the same standard SQL for every provider.</summary>
    public const string SelectById = """
        SELECT id AS Id, platform AS Platform, created_at AS CreatedAt, notifier_name AS NotifierName,
               notifier_email AS NotifierEmail, good_faith_statement AS GoodFaithStatement
        FROM exports
        WHERE id = @exportId AND platform = @platform;
        """;

    public string Id { get; init; } = "";
    public string Platform { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string NotifierName { get; init; } = "";
    public string NotifierEmail { get; init; } = "";
    public string GoodFaithStatement { get; init; } = "";

    public ExportDocument ToDocument(IEnumerable<NoticeRow> notices)
    {
        var notifier = new Notifier(NotifierName, NotifierEmail);
        return new ExportDocument(
            Id, Platform, DbValues.ParseTime(CreatedAt), notices.Select(n => n.ToNotice(notifier, GoodFaithStatement)).ToList());
    }
}

/// <summary>One referral of an export batch, with its item's URL.</summary>
internal sealed class NoticeRow
{
    public string ReferralId { get; init; } = "";
    public string ItemId { get; init; } = "";
    public string Url { get; init; } = "";
    public string Category { get; init; } = "";
    public string Explanation { get; init; } = "";
    public bool AutomatedDetection { get; init; }
    public string EvidenceSha256 { get; init; } = "";
    public string ReportedAt { get; init; } = "";
    public string DecidedAt { get; init; } = "";

    public Notice ToNotice(Notifier notifier, string goodFaithStatement) => new(
        ReferralId, ItemId, Url, Category, Explanation, notifier, goodFaithStatement, AutomatedDetection,
        EvidenceSha256, DbValues.ParseTime(ReportedAt), DbValues.ParseTime(DecidedAt));
}
