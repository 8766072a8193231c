using ContentWatch.Core.Classification;
using ContentWatch.Web.Desk;

namespace ContentWatch.Desk.Tests;

public sealed class EvidenceTextTests
{
    [Fact]
    public void Segments_MarkEachSpan_InTextOrder()
    {
        var segments = EvidenceText.Segments("call +44 123 now, 500 euro", [new EvidenceSpan(18, 8, "price"), new EvidenceSpan(5, 7, "phone_number")]);

        Assert.Equal(
            [new TextSegment("call ", null), new TextSegment("+44 123", "phone_number"), new TextSegment(" now, ", null), new TextSegment("500 euro", "price")],
            segments);
    }

    [Fact]
    public void Segments_MergeOverlaps_AndClipSpansOutOfRange()
    {
        var segments = EvidenceText.Segments("abcdefgh", [new EvidenceSpan(1, 3, "x"), new EvidenceSpan(2, 4, "y"), new EvidenceSpan(6, 100, "z"), new EvidenceSpan(-5, 2, "w"), new EvidenceSpan(50, 2, "v")]);

        Assert.Equal([new TextSegment("a", null), new TextSegment("bcdef", "x, y"), new TextSegment("gh", "z")], segments);
    }

    [Fact]
    public void Segments_NeverSplitASurrogatePair()
    {
        var text = "a\U0001F6A4b";

        var segments = EvidenceText.Segments(text, [new EvidenceSpan(2, 2, "boat")]);

        Assert.Equal(text, string.Concat(segments.Select(s => s.Text)));
        Assert.All(segments, s => Assert.False(s.Text.Length > 0 && char.IsLowSurrogate(s.Text[0])));
    }

    [Fact]
    public void Segments_WithoutSpans_IsTheWholeTextUnmarked()
    {
        Assert.Equal([new TextSegment("<b>text</b>", null)], EvidenceText.Segments("<b>text</b>", null));
        Assert.Empty(EvidenceText.Segments("", []));
    }

    [Fact]
    public void Bound_CutsLongText_BeforeASurrogatePair()
    {
        Assert.Equal("ab", EvidenceText.Bound("ab\U0001F600", 3));
        Assert.Equal("short", EvidenceText.Bound("short", 10));
    }

    [Fact]
    public void TermSpans_MarkEveryOccurrence_IgnoringCase_AndSkipShortTerms()
    {
        var spans = EvidenceText.TermSpans("Boat today, boat tomorrow, by car", [new EvidenceTerm("boat", 0.5), new EvidenceTerm("by", 0.4), new EvidenceTerm("BOAT", 0.1)]);

        Assert.Equal([new EvidenceSpan(0, 4, "boat"), new EvidenceSpan(12, 4, "boat")], spans);
    }

    [Fact]
    public void TermSpans_AreCapped()
    {
        var spans = EvidenceText.TermSpans(string.Concat(Enumerable.Repeat("euro ", 500)), [new EvidenceTerm("euro", 1)]);

        Assert.Equal(EvidenceText.MaxTermMarks, spans.Count);
    }
}
