namespace ContentWatch.Core.Export;

/// <summary>
/// How ContentWatch categories map to the DSA Transparency Database's <c>category</c> (<c>STATEMENT_CATEGORY_…</c>) and
/// <c>category_specification</c> (<c>KEYWORD_…</c>) values, and the fixed fields of a statement-of-reasons draft. The
/// Transparency Database revises its lists; check the mapping against the version in force.
/// </summary>
public sealed class DsaOptions
{
    public const string Section = "Dsa";

    /// <summary>Per ContentWatch category (<c>smuggling_service</c>, …), its Transparency Database values.</summary>
    public Dictionary<string, DsaCategory> Categories { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>source_type</c> of the drafts: the unit notifies as a trusted flagger (or <c>SOURCE_ARTICLE_16</c>).</summary>
    public string SourceType { get; set; } = "SOURCE_TRUSTED_FLAGGER";

    /// <summary><c>territorial_scope</c> of the drafts (EU/EEA two-letter codes); empty leaves it to the platform.</summary>
    public List<string> TerritorialScope { get; set; } = [];

    /// <summary>The mapping used when configuration names none for a category.</summary>
    public static readonly IReadOnlyDictionary<string, DsaCategory> Defaults = new Dictionary<string, DsaCategory>(StringComparer.Ordinal)
    {
        ["smuggling_service"] = new() { Category = "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", Specification = ["KEYWORD_HUMAN_TRAFFICKING"] },
        ["document_fraud"] = new() { Category = "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", Specification = ["KEYWORD_PROHIBITED_PRODUCTS"] },
        ["fake_job_offer"] = new() { Category = "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", Specification = ["KEYWORD_INAUTHENTIC_LISTINGS"] },
    };

    /// <summary>Problems with the configured values, one line each; empty when they are well formed.</summary>
    public IReadOnlyList<string> Problems() =>
    [
        .. Categories.Where(c => !c.Value.Category.StartsWith("STATEMENT_CATEGORY_", StringComparison.Ordinal))
            .Select(c => $"{Section}:Categories:{c.Key}:Category must be a STATEMENT_CATEGORY_ value"),
        .. Categories.Where(c => c.Value.Specification.Any(k => !k.StartsWith("KEYWORD_", StringComparison.Ordinal)))
            .Select(c => $"{Section}:Categories:{c.Key}:Specification must hold KEYWORD_ values only"),
        .. SourceType.StartsWith("SOURCE_", StringComparison.Ordinal) ? [] : new[] { $"{Section}:SourceType must be a SOURCE_ value" },
    ];
}

/// <summary>The Transparency Database's category and keywords for one ContentWatch category.</summary>
public sealed class DsaCategory
{
    public string Category { get; set; } = "";

    public List<string> Specification { get; set; } = [];
}
