using Microsoft.Extensions.Options;

namespace ContentWatch.Core.Export;

/// <summary>Gives each notice the Transparency Database category and keywords its ContentWatch category maps to.</summary>
public sealed class DsaCategories(IOptions<DsaOptions> options)
{
    /// <summary>The mapping of <paramref name="category"/>: configuration first, then <see cref="DsaOptions.Defaults"/>; <c>STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE</c> when neither names it.</summary>
    public DsaCategory For(string category) =>
        options.Value.Categories.GetValueOrDefault(category)
        ?? DsaOptions.Defaults.GetValueOrDefault(category)
        ?? new DsaCategory { Category = "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE" };

    public Notice Apply(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var dsa = For(notice.Category);
        return notice with { DsaCategory = dsa.Category, DsaCategorySpecification = dsa.Specification };
    }

    public ExportDocument Apply(ExportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document with { Notices = document.Notices.Select(Apply).ToList() };
    }
}
