namespace ContentWatch.Core.Export;

/// <summary>An export batch as listed.</summary>
public sealed record ExportBatch(string Id, string Platform, int Count, DateTimeOffset CreatedAt);

/// <summary>The person or body sending notices, as DSA Article 16(2)(c) requires.</summary>
public sealed record Notifier(string Name, string Email);

/// <summary>
/// One notice in an export, carrying the DSA Article 16(2) elements and the Transparency Database's category and keywords
/// (<see cref="DsaCategories"/>, from configuration when the notice is read).
/// </summary>
public sealed record Notice(
    string ReferralId,
    string ItemId,
    string Url,
    string Category,
    string Explanation,
    Notifier Notifier,
    string GoodFaithStatement,
    bool AutomatedDetection,
    string EvidenceSha256,
    DateTimeOffset ReportedAt,
    DateTimeOffset DecidedAt,
    string? DsaCategory = null,
    IReadOnlyList<string>? DsaCategorySpecification = null);

public sealed record ExportDocument(string Id, string Platform, DateTimeOffset CreatedAt, IReadOnlyList<Notice> Notices);

public interface IExportStore
{
    /// <summary>
    /// Puts every pending referral of the platform into a new batch, in one transaction, stamping the notifier and the
    /// good-faith statement. Returns null when nothing is pending.
    /// </summary>
    Task<ExportBatch?> CreateBatchAsync(string platform, Notifier notifier, string goodFaithStatement, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExportBatch>> ListBatchesAsync(string platform, CancellationToken cancellationToken);

    Task<ExportDocument?> GetDocumentAsync(string platform, string exportId, CancellationToken cancellationToken);
}
