using ContentWatch.Core.Intake;
using ContentWatch.Web.Desk;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ContentWatch.Desk.Tests;

public sealed class QueueQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static (QueueQuery Query, List<FieldError> Errors) Parse(string queryString)
    {
        var errors = new List<FieldError>();
        return (QueueQuery.Parse(new QueryCollection(QueryHelpers.ParseQuery(queryString)), errors), errors);
    }

    [Fact]
    public void Parse_ReadsEveryFilter_AndTurnsAgeIntoABound()
    {
        var (query, errors) = Parse("?platform=OLX&label=document_fraud&language=AR&minScore=0.5&maxScore=0.9&age=7d&page=3");

        Assert.Empty(errors);
        Assert.Equal(new QueueQuery("olx", "document_fraud", "ar", 0.5, 0.9, "7d", 3), query);
        var filter = query.ToFilter(Now);
        Assert.Equal(Now.AddDays(-7), filter.ReportedAfter);
        Assert.Null(filter.ReportedBefore);
        Assert.Equal(Now.AddDays(-30), Parse("?age=older-30d").Query.ToFilter(Now).ReportedBefore);
    }

    [Fact]
    public void Parse_ReportsBadValues_AndDropsThem()
    {
        var (query, errors) = Parse("?platform=%3Cscript%3E&label=evil&language=en%22onmouseover&minScore=2&maxScore=abc&age=forever&page=-1");

        Assert.Equal(QueueQuery.Empty, query);
        Assert.Equal(["platform", "label", "language", "age", "page", "minScore", "maxScore"], errors.Select(e => e.Field));
    }

    [Fact]
    public void ToQueryString_CarriesTheFilters_EncodedWithPageAndPosition()
    {
        var query = new QueueQuery("olx", null, "ar", 0.25, null, "1d", 1);

        Assert.Equal("?platform=olx&language=ar&minScore=0.25&age=1d&pos=4", query.ToQueryString(position: 4));
        Assert.Equal("?platform=olx&language=ar&minScore=0.25&age=1d&page=2", query.ToQueryString(page: 2));
        Assert.Equal("", QueueQuery.Empty.ToQueryString());
    }
}
