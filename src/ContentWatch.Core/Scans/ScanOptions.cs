using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Core.Scans;

public sealed class ScanOptions
{
    public const string Section = "Scans";

    public FolderScanOptions Folder { get; set; } = new();

    public List<FeedScanOptions> Feeds { get; set; } = [];
}

public sealed class FolderScanOptions
{
    /// <summary>Folder watched for dropped JSONL or CSV files. Empty: no folder scan.</summary>
    public string? Path { get; set; }

    [Required]
    public string Cron { get; set; } = "*/5 * * * *";

    /// <summary>A file modified more recently than this is left for the next scan (it may still be being written).</summary>
    [Range(0, 3_600)]
    public int SettleSeconds { get; set; } = 10;
}

public sealed class FeedScanOptions
{
    /// <summary>Names the source in job ids and in what it has taken; letters, digits, '-' and '_'.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string Name { get; set; } = "";

    /// <summary>An HTTP(S) URL answering a JSON array of report objects.</summary>
    [Required, Url]
    public string Url { get; set; } = "";

    [Required]
    public string Cron { get; set; } = "*/10 * * * *";

    /// <summary>Extra request headers, e.g. an Authorization header the feed wants.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];
}
