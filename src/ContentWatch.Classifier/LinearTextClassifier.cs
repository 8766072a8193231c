using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier;

/// <summary>
/// <see cref="ITextClassifier"/> over a model file written by <see cref="ModelTrainer"/>. Scoring is plain C#:
/// <see cref="TextNormalizer"/> → <see cref="FeatureHasher"/> → <see cref="LinearModel"/> (the exported ML.NET weights),
/// so it is thread-safe and needs no pooled engines. Text is title + text, cut to 20,000 characters. The label matches the
/// review queue: benign when the harmful score is below the review threshold, otherwise the most probable harmful label.
/// Items at or above the review threshold (the ones officers see) get full <see cref="Evidence"/> — indicators, top
/// terms and their spans in the original text; items below it get their indicators only, which keeps bulk scoring fast.
/// </summary>
public sealed class LinearTextClassifier : ITextClassifier
{
    private readonly LinearModel _model;
    private readonly int[] _classOfLabel;
    private readonly int _benignClass;
    private readonly int _smugglingClass;

    internal LinearTextClassifier(LinearModel model, string modelVersion, double reviewThreshold, ModelMetadata? metadata,
        ConceptLexicon? lexicon)
    {
        _model = model;
        Lexicon = lexicon;
        ModelVersion = modelVersion;
        ReviewThreshold = reviewThreshold;
        Metadata = metadata;
        _classOfLabel = Labels.All.Select(l => model.ClassLabels.ToList().IndexOf(l)).ToArray();
        if (_classOfLabel.Any(s => s < 0))
        {
            throw new InvalidDataException($"Model labels [{string.Join(", ", model.ClassLabels)}] do not cover [{string.Join(", ", Labels.All)}].");
        }

        _benignClass = _classOfLabel[Labels.All.ToList().IndexOf(Labels.Benign)];
        _smugglingClass = _classOfLabel[Labels.All.ToList().IndexOf(Labels.SmugglingService)];
    }

    public string ModelVersion { get; }

    public double ReviewThreshold { get; }

    /// <summary>The model file's metadata (null only for a model still in training).</summary>
    public ModelMetadata? Metadata { get; }

    internal LinearModel Model => _model;

    /// <summary>The concept lexicon the model was trained with (stored in its file), or null.</summary>
    public ConceptLexicon? Lexicon { get; }

    /// <summary>Loads a model zip written by <see cref="ModelTrainer"/>.</summary>
    public static LinearTextClassifier Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (model, metadata, lexicon) = ModelFile.Load(path);
        return new LinearTextClassifier(model, metadata.ModelVersion, metadata.ReviewThreshold, metadata, lexicon);
    }

    /// <summary>Loads a model file held in memory (as the model registry stores it).</summary>
    public static LinearTextClassifier Load(byte[] content, string name)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (model, metadata, lexicon) = ModelFile.Load(content, name);
        return new LinearTextClassifier(model, metadata.ModelVersion, metadata.ReviewThreshold, metadata, lexicon);
    }

    public Prediction Classify(ClassifierInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Predict(input);
    }

    public IReadOnlyList<Prediction> ClassifyBatch(IReadOnlyList<ClassifierInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var results = new Prediction[inputs.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Predict(inputs[i]);
        }

        return results;
    }

    /// <summary>Scores and labels without evidence: what a shadow model and the promotion gate need.</summary>
    public IReadOnlyList<Prediction> ScoreBatch(IReadOnlyList<ClassifierInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var results = new Prediction[inputs.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Predict(ComposeText(inputs[i]), explain: false);
        }

        return results;
    }

    private Prediction Predict(ClassifierInput input)
    {
        var text = ComposeText(input);
        var prediction = Predict(text, explain: true);
        var textStart = string.IsNullOrWhiteSpace(input.Title) ? 0 : input.Title.Length + 1;
        if (textStart == 0 || prediction.Evidence is not { Spans.Count: > 0 } evidence)
        {
            return prediction;
        }

        // Spans are offsets into the item's text, not into title + newline + text.
        var spans = evidence.Spans.Where(s => s.Start >= textStart).Select(s => s with { Start = s.Start - textStart }).ToList();
        return prediction with { Evidence = evidence with { Spans = spans } };
    }

    /// <summary>Scores one composed text; evidence (for items at or above the review threshold) only when <paramref name="explain"/>.</summary>
    internal Prediction Predict(string text, bool explain)
    {
        var normalized = TextNormalizer.Normalize(text, Lexicon);
        Span<float> raw = stackalloc float[_model.Classes];
        LinearScorer.Score(normalized, _model, raw);

        var labels = Labels.All;
        var scores = new Dictionary<string, double>(labels.Count, StringComparer.Ordinal);
        var bestHarmful = Labels.SmugglingService;
        var bestHarmfulClass = _smugglingClass;
        var bestHarmfulProbability = -1.0;
        for (var k = 0; k < labels.Count; k++)
        {
            var p = Math.Clamp((double)raw[_classOfLabel[k]], 0, 1);
            scores[labels[k]] = p;
            if (labels[k] != Labels.Benign && p > bestHarmfulProbability)
            {
                bestHarmfulProbability = p;
                bestHarmful = labels[k];
                bestHarmfulClass = _classOfLabel[k];
            }
        }

        var harmful = Math.Clamp(1.0 - raw[_benignClass], 0, 1);
        var evidence = !explain ? null
            : harmful >= ReviewThreshold
            ? EvidenceBuilder.Explain(text, normalized, _model, bestHarmfulClass, _benignClass)
            : EvidenceBuilder.IndicatorsOnly(normalized);
        return new Prediction(harmful >= ReviewThreshold ? bestHarmful : Labels.Benign, harmful, scores, evidence);
    }

    /// <summary>Title and text as the model reads them, cut to <see cref="TextNormalizer.MaxInputLength"/>.</summary>
    public static string ComposeText(ClassifierInput input)
    {
        var text = string.IsNullOrWhiteSpace(input.Title) ? input.Text ?? string.Empty : input.Title + "\n" + input.Text;
        return text.Length > TextNormalizer.MaxInputLength ? text[..TextNormalizer.MaxInputLength] : text;
    }
}
