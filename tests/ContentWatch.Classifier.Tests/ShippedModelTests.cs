using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Tests;

/// <summary>Fixed examples against the committed model file (models/contentwatch.model.zip).</summary>
public sealed class ShippedModelTests
{
    private static readonly Lazy<LinearTextClassifier> Model = new(() => LinearTextClassifier.Load(TestPaths.ShippedModel));

    [Theory]
    [InlineData(Labels.SmugglingService, "🚤🇬🇧 Boat to UK this week from Dunkirk, new engine, life jackets. £1,800 per person, pay after arrival. WhatsApp +44 7700 900412")]
    [InlineData(Labels.SmugglingService, "رحلة بحرية من ليبيا إلى إيطاليا هذا الأسبوع، قارب جديد، السعر 2500 يورو، الدفع بعد الوصول، للتواصل واتساب")]
    [InlineData(Labels.SmugglingService, "W h a t s A p p +44 7700 900 123 for b0at 2 UK 🇬🇧 2000€")]
    [InlineData(Labels.DocumentFraud, "Real registered UK passports and ID cards for sale, passes all scanners, delivery worldwide. Telegram @fastdocs")]
    [InlineData(Labels.FakeJobOffer, "We need 50 farm workers in Canada, salary $3,500/month, free accommodation, visa guaranteed. Pay $400 processing fee to start. WhatsApp now")]
    public void Classify_FlagsClearAdverts(string expected, string text)
    {
        var p = Model.Value.Classify(new ClassifierInput(text));
        Assert.Equal(expected, p.Label);
        Assert.True(p.Score >= Model.Value.ReviewThreshold);
    }

    [Theory]
    [InlineData("Police arrested four men in Calais suspected of organising small boat crossings to the UK, prosecutors said on Tuesday.")]
    [InlineData("Ferry timetable Dover - Calais: departures 06:00, 10:30, 14:45 and 19:20 daily. Book tickets online or at the port.")]
    [InlineData("How do I renew my passport at the embassy? I lost the old one.")]
    [InlineData("Free English lessons for refugees every Tuesday at the community centre")]
    public void Classify_LeavesHardNegativesBenign(string text) =>
        Assert.Equal(Labels.Benign, Model.Value.Classify(new ClassifierInput(text)).Label);

    [Fact]
    public void ShippedModel_CarriesItsMetadata()
    {
        var metadata = Model.Value.Metadata!;
        Assert.StartsWith("cw-", Model.Value.ModelVersion, StringComparison.Ordinal);
        Assert.Equal(Labels.All, metadata.Labels);
        Assert.InRange(Model.Value.ReviewThreshold, 0.01, 0.99);
        Assert.True(metadata.DevMetrics.Report.HarmfulRecallAtThreshold >= 0.95);
        Assert.DoesNotContain(metadata.TrainingFiles, f => f.Name.Contains("_test", StringComparison.Ordinal));
        Assert.True(new FileInfo(TestPaths.ShippedModel).Length < 15 * 1024 * 1024);
    }
}
