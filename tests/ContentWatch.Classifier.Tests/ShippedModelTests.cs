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
    [InlineData(Labels.DocumentFraud, "Passports and residence permits for sale, real database registered, EU and UK, fast delivery, write to fakedocs1@example.com")]
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
    [InlineData("Selling my Toyota 2009, 2000 euro, 150000 km, WhatsApp +33 6 12 34 56 78")]
    [InlineData("Flat for rent in Erbil, 2 rooms, 450 dollars per month, call 0750 123 4567")]
    public void Classify_LeavesHardNegativesBenign(string text) =>
        Assert.Equal(Labels.Benign, Model.Value.Classify(new ClassifierInput(text)).Label);

    [Fact]
    public void Classify_NeverTakesALiteralNumberAsEvidence()
    {
        // Numbers are shapes: a price, a year or a mileage can weigh as a shape, never as the literal "2009" or "150000".
        var p = Model.Value.Classify(new ClassifierInput("Selling my Toyota 2009, 2000 euro, 150000 km, WhatsApp +33 6 12 34 56 78, boat trip to Italy"));
        Assert.DoesNotContain(p.Evidence?.Terms ?? [], t => t.Term.Any(char.IsDigit));
    }

    [Theory]
    [InlineData("Boat to UK this week, inbox")]
    [InlineData("Selling my Toyota 2009, 2000 euro, 150000 km")]
    [InlineData("رحلات الى اليونان مضمونة")]
    [InlineData("Is this job offer real? They ask for a 300 dollar fee")]
    public void Label_MatchesTheReviewQueue(string text)
    {
        var p = Model.Value.Classify(new ClassifierInput(text));
        Assert.Equal(p.Score >= Model.Value.ReviewThreshold, p.Label != Labels.Benign);
    }

    [Fact]
    public void ShippedModel_CarriesItsMetadata()
    {
        var metadata = Model.Value.Metadata!;
        Assert.StartsWith("cw-", Model.Value.ModelVersion, StringComparison.Ordinal);
        Assert.Equal(Labels.All, metadata.Labels);
        Assert.InRange(Model.Value.ReviewThreshold, 0.01, 0.99);
        Assert.NotNull(Model.Value.Lexicon);
        Assert.Equal(Model.Value.Lexicon!.Version, metadata.Lexicon!.Version);
        var folds = metadata.LeaveOneWriterOut!;
        Assert.True(folds.Writers.Count >= 8, $"{folds.Writers.Count} writers");
        Assert.Equal(folds.PooledThreshold, Model.Value.ReviewThreshold);
        Assert.DoesNotContain(metadata.TrainingFiles, f => f.Name.Contains("_test", StringComparison.Ordinal));
        Assert.True(new FileInfo(TestPaths.ShippedModel).Length < 15 * 1024 * 1024);
    }
}
