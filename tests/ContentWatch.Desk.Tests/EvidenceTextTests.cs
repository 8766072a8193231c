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
        var segments = EvidenceText.Segments("aa bb cc dd", [new EvidenceSpan(3, 2, "x"), new EvidenceSpan(3, 5, "y"), new EvidenceSpan(9, 100, "z"), new EvidenceSpan(-5, 2, "w"), new EvidenceSpan(50, 2, "v")]);

        Assert.Equal([new TextSegment("aa ", null), new TextSegment("bb cc", "x, y"), new TextSegment(" ", null), new TextSegment("dd", "z")], segments);
    }

    [Theory]
    [InlineData("Crossing by boats tonight", 13, 3, "boats")]     // ends inside a word
    [InlineData("Crossing by boats tonight", 12, 3, "boats")]     // starts at the word, ends inside it
    [InlineData("price: 1800euro each", 9, 4, "1800euro")]       // starts inside a word
    [InlineData("قارب مضمون اليوم", 6, 2, "مضمون")]                // Arabic, inside a word
    [InlineData("boat, now", 0, 4, "boat")]                        // already whole
    public void Segments_NeverMarkPartOfAWord(string text, int start, int length, string marked)
    {
        var segments = EvidenceText.Segments(text, [new EvidenceSpan(start, length, "boat")]);

        Assert.Equal(marked, Assert.Single(segments, s => s.Reason is not null).Text);
        Assert.Equal(text, string.Concat(segments.Select(s => s.Text)));
    }

    [Fact]
    public void PhoneNumbers_EmailsUrlsAndHandles_AreLeftToRight_OtherMarksFollowTheText()
    {
        var segments = EvidenceText.Segments("اتصل +218 91 234 5678 السعر 3000",
            [new EvidenceSpan(5, 16, "phone_number"), new EvidenceSpan(28, 4, "price")]);

        Assert.True(Assert.Single(segments, s => s.Reason == "phone_number").LeftToRight);
        Assert.False(Assert.Single(segments, s => s.Reason == "price").LeftToRight);
        Assert.All(segments.Where(s => s.Reason is null), s => Assert.False(s.LeftToRight));
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
