namespace ContentWatch.Core.Intake;

/// <summary>One validated report of a post or job ad, as taken by the API, file import and scans.</summary>
public sealed record ReportInput(
    string Platform,
    string Url,
    string Text,
    string Kind,
    string? ExternalId = null,
    string? Title = null,
    string? Language = null,
    string? Author = null,
    DateTimeOffset? PostedAt = null,
    Reporter? Reporter = null);

public sealed record Reporter(string? Name, string? Email, string? Organisation);

/// <summary>What intake did with one report: the item it belongs to, and the first item when it was a duplicate.</summary>
public sealed record IntakeResult(string ItemId, string ReportId, string? DuplicateOf);

public static class ItemKinds
{
    public const string Post = "post";
    public const string JobAd = "job_ad";
    public static readonly IReadOnlyList<string> All = [Post, JobAd];
}

/// <summary>Stores reports durably; duplicates are linked to the first item rather than stored as new items.</summary>
public interface IIntakeStore
{
    /// <summary>
    /// Stores all reports in one transaction (all or nothing), in order; a duplicate within the same call is linked to the
    /// item made earlier in the call. <paramref name="source"/> names the way in (api, import, scan:NAME).
    /// When <paramref name="taken"/> is given, it is recorded in the same transaction as taken by its scan source; if it
    /// was taken before, nothing is stored and the result is empty.
    /// </summary>
    Task<IReadOnlyList<IntakeResult>> StoreReportsAsync(IReadOnlyList<ReportInput> reports, string source, ScanMark? taken, CancellationToken cancellationToken);
}

/// <summary>A unit of a scan source (a file chunk, a feed entry) recorded as taken together with its reports.</summary>
public sealed record ScanMark(string Source, string Key);
