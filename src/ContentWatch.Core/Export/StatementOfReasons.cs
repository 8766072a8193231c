using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Review;

namespace ContentWatch.Core.Export;

/// <summary>
/// A statement-of-reasons draft (DSA Article 17) per notice, in the DSA Transparency Database's field names, for the
/// platform to complete (<c>application_date</c>, its own decision) and submit. <c>puid</c> carries the referral id.
/// </summary>
public sealed record StatementDraft(
    [property: JsonPropertyName("puid")] string Puid,
    [property: JsonPropertyName("decision_visibility")] IReadOnlyList<string> DecisionVisibility,
    [property: JsonPropertyName("decision_ground")] string DecisionGround,
    [property: JsonPropertyName("illegal_content_legal_ground")] string IllegalContentLegalGround,
    [property: JsonPropertyName("illegal_content_explanation")] string IllegalContentExplanation,
    [property: JsonPropertyName("content_type")] IReadOnlyList<string> ContentType,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("category_specification")] IReadOnlyList<string> CategorySpecification,
    [property: JsonPropertyName("territorial_scope")] IReadOnlyList<string> TerritorialScope,
    [property: JsonPropertyName("content_language")] string? ContentLanguage,
    [property: JsonPropertyName("content_date")] string ContentDate,
    [property: JsonPropertyName("application_date")] string? ApplicationDate,
    [property: JsonPropertyName("decision_facts")] string DecisionFacts,
    [property: JsonPropertyName("source_type")] string SourceType,
    [property: JsonPropertyName("source_identity")] string SourceIdentity,
    [property: JsonPropertyName("automated_detection")] string AutomatedDetection,
    [property: JsonPropertyName("automated_decision")] string AutomatedDecision);

/// <summary>The drafts of one export batch, shaped like the Transparency Database's multiple-statements body.</summary>
public sealed record StatementsDocument(string ExportId, string Platform, [property: JsonPropertyName("statements")] IReadOnlyList<StatementDraft> Statements);

/// <summary>Builds <see cref="StatementDraft"/>s from an export batch and its items.</summary>
public sealed class StatementOfReasons(IReviewStore items, IOptions<DsaOptions> options)
{
    public async Task<StatementsDocument> DraftAsync(ExportDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var drafts = new List<StatementDraft>(document.Notices.Count);
        foreach (var notice in document.Notices)
        {
            var item = await items.GetItemAsync(notice.ItemId, cancellationToken);
            drafts.Add(Draft(notice, item?.Language, item?.PostedAt, options.Value));
        }

        return new StatementsDocument(document.Id, document.Platform, drafts);
    }

    /// <summary>One draft; <paramref name="language"/> becomes <c>content_language</c> when it is a two-letter code.</summary>
    public static StatementDraft Draft(Notice notice, string? language, DateTimeOffset? postedAt, DsaOptions options)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(options);
        var facts = $"Notice {notice.ReferralId} from {notice.Notifier.Name}, a referral unit. The content was reported on " +
            $"{Day(notice.ReportedAt)} and assessed by an officer on {Day(notice.DecidedAt)}" +
            (notice.AutomatedDetection ? ", after automated detection flagged it. " : ". ") + notice.Explanation;
        return new StatementDraft(
            "contentwatch-" + notice.ReferralId,
            ["DECISION_VISIBILITY_CONTENT_REMOVED"],
            "DECISION_GROUND_ILLEGAL_CONTENT",
            Cut(LegalGround(notice.Category), 500),
            Cut(notice.Explanation, 2_000),
            ["CONTENT_TYPE_TEXT"],
            notice.DsaCategory ?? "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE",
            notice.DsaCategorySpecification ?? [],
            options.TerritorialScope,
            language is { Length: 2 } && language.All(char.IsAsciiLetter) ? language.ToUpperInvariant() : null,
            Day(postedAt ?? notice.ReportedAt),
            null,
            Cut(facts, 5_000),
            options.SourceType,
            Cut(notice.Notifier.Name, 500),
            notice.AutomatedDetection ? "Yes" : "No",
            "AUTOMATED_DECISION_NOT_AUTOMATED");
    }

    /// <summary>The law the content breaks, by category (at most 500 characters in the database).</summary>
    public static string LegalGround(string category) => category switch
    {
        Labels.SmugglingService => "Facilitation of unauthorised entry, transit and residence: Directive 2002/90/EC and Framework Decision 2002/946/JHA; UN Protocol against the Smuggling of Migrants by Land, Sea and Air.",
        Labels.DocumentFraud => "Forgery and sale of identity, travel and residence documents: criminal offences under the laws of the EU Member States.",
        Labels.FakeJobOffer => "Recruitment fraud and trafficking in human beings: Directive 2011/36/EU and the fraud offences of the EU Member States.",
        _ => "Illegal content under Union or national law, as set out in the notice.",
    };

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1)] + "…";
}
