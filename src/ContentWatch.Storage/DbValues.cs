using System.Globalization;
using System.Text.Json;
using ContentWatch.Core.Classification;

namespace ContentWatch.Storage;

/// <summary>How values are written to and read from the database, the same for every provider.</summary>
internal static class DbValues
{
    /// <summary>ISO 8601 UTC with milliseconds: fixed width, so text order is time order.</summary>
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? value) => value is { } v ? Time(v) : null;

    public static DateTimeOffset ParseTime(string value) =>
        DateTimeOffset.ParseExact(value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ParseOptionalTime(string? value) => value is null ? null : ParseTime(value);

    public static string Scores(IReadOnlyDictionary<string, double> scores) => JsonSerializer.Serialize(scores);

    public static IReadOnlyDictionary<string, double> ParseScores(string? json) =>
        json is null ? new Dictionary<string, double>() : JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [];

    private static readonly JsonSerializerOptions EvidenceJson = new(JsonSerializerDefaults.Web);

    public static string? Evidence(Evidence? evidence) => evidence is null ? null : JsonSerializer.Serialize(evidence, EvidenceJson);

    public static Evidence? ParseEvidence(string? json) => json is null ? null : JsonSerializer.Deserialize<Evidence>(json, EvidenceJson);

    /// <summary>Characters of text shown in the review queue.</summary>
    public const int ExcerptLength = 280;

    /// <summary>The first <see cref="ExcerptLength"/> UTF-16 characters, one fewer rather than split a surrogate pair.</summary>
    public static string Excerpt(string text)
    {
        if (text.Length <= ExcerptLength)
        {
            return text;
        }

        return text[..(char.IsHighSurrogate(text[ExcerptLength - 1]) ? ExcerptLength - 1 : ExcerptLength)];
    }
}
