using ContentWatch.Core.Classification;

namespace ContentWatch.Core.Tests;

public sealed class LabelsTests
{
    private static readonly Dictionary<string, double> Scores = new()
    {
        [Labels.SmugglingService] = 0.05, [Labels.DocumentFraud] = 0.20, [Labels.FakeJobOffer] = 0.10, [Labels.Benign] = 0.65,
    };

    [Theory]
    [InlineData(0.35, 0.30, Labels.DocumentFraud)] // at or above the threshold: the most probable harmful label, even when benign is the top class
    [InlineData(0.30, 0.30, Labels.DocumentFraud)]
    [InlineData(0.35, 0.36, Labels.Benign)] // below it: benign
    public void ForScore_MatchesTheReviewQueue(double score, double threshold, string expected) =>
        Assert.Equal(expected, Labels.ForScore(score, Scores, threshold));
}
