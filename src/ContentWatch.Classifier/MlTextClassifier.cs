using ContentWatch.Core.Classification;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ContentWatch.Classifier;

/// <summary>
/// <see cref="ITextClassifier"/> over a model file written by <see cref="ModelTrainer"/>. Thread-safe: each call
/// rents a <see cref="PredictionEngine{TSrc,TDst}"/> from a pool. Text is title + text, cut to 20,000 characters,
/// then normalised by <see cref="TextNormalizer"/>. The label is benign when the harmful score is below 0.5,
/// otherwise the most probable harmful label.
/// </summary>
public sealed class MlTextClassifier : ITextClassifier
{
    /// <summary>Batches at least this large are scored through one <c>Transform</c> over an IDataView.</summary>
    private const int TransformBatchThreshold = 512;

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly ObjectPool<PredictionEngine<ServingInput, ModelOutput>> _engines;
    private readonly int[] _slotOfLabel;
    private readonly int _benignSlot;

    internal MlTextClassifier(MLContext ml, ITransformer model, string modelVersion, double reviewThreshold, ModelMetadata? metadata)
    {
        _ml = ml;
        _model = model;
        ModelVersion = modelVersion;
        ReviewThreshold = reviewThreshold;
        Metadata = metadata;

        var inputSchema = ml.Data.LoadFromEnumerable(Array.Empty<ServingInput>()).Schema;
        var slots = SlotLabels(model.GetOutputSchema(inputSchema), metadata?.Labels ?? Labels.All);
        _slotOfLabel = Labels.All.Select(l => Array.IndexOf(slots, l)).ToArray();
        if (_slotOfLabel.Any(s => s < 0))
        {
            throw new InvalidDataException($"Model labels [{string.Join(", ", slots)}] do not cover [{string.Join(", ", Labels.All)}].");
        }

        _benignSlot = _slotOfLabel[Labels.All.ToList().IndexOf(Labels.Benign)];
        var policy = new EnginePolicy(ml, model);
        _engines = new DefaultObjectPool<PredictionEngine<ServingInput, ModelOutput>>(policy, Math.Max(4, Environment.ProcessorCount * 2));
    }

    public string ModelVersion { get; }

    public double ReviewThreshold { get; }

    /// <summary>The model file's metadata (null only for a model still in training).</summary>
    public ModelMetadata? Metadata { get; }

    /// <summary>Loads a model zip written by <see cref="ModelTrainer"/>.</summary>
    public static MlTextClassifier Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var ml = new MLContext(seed: 1);
        var (model, metadata) = ModelFile.Load(path, ml);
        return new MlTextClassifier(ml, model, metadata.ModelVersion, metadata.ReviewThreshold, metadata);
    }

    public Prediction Classify(ClassifierInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var row = new ServingInput { Text = TextNormalizer.Normalize(ComposeText(input)) };
        var engine = _engines.Get();
        try
        {
            return ToPrediction(engine.Predict(row).Score);
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    public IReadOnlyList<Prediction> ClassifyBatch(IReadOnlyList<ClassifierInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var rows = new ServingInput[inputs.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new ServingInput { Text = TextNormalizer.Normalize(ComposeText(inputs[i])) };
        }

        var results = new Prediction[rows.Length];
        if (rows.Length >= TransformBatchThreshold)
        {
            var scored = _model.Transform(_ml.Data.LoadFromEnumerable(rows));
            var i = 0;
            foreach (var output in _ml.Data.CreateEnumerable<ModelOutput>(scored, reuseRowObject: true))
            {
                results[i++] = ToPrediction(output.Score);
            }

            return results;
        }

        var engine = _engines.Get();
        try
        {
            var output = new ModelOutput();
            for (var i = 0; i < rows.Length; i++)
            {
                engine.Predict(rows[i], ref output);
                results[i] = ToPrediction(output.Score);
            }
        }
        finally
        {
            _engines.Return(engine);
        }

        return results;
    }

    /// <summary>Title and text as the model reads them, cut to <see cref="TextNormalizer.MaxInputLength"/>.</summary>
    internal static string ComposeText(ClassifierInput input)
    {
        var text = string.IsNullOrWhiteSpace(input.Title) ? input.Text ?? string.Empty : input.Title + "\n" + input.Text;
        return text.Length > TextNormalizer.MaxInputLength ? text[..TextNormalizer.MaxInputLength] : text;
    }

    private Prediction ToPrediction(float[] raw)
    {
        var labels = Labels.All;
        var scores = new Dictionary<string, double>(labels.Count, StringComparer.Ordinal);
        var bestHarmful = Labels.SmugglingService;
        var bestHarmfulProbability = -1.0;
        for (var k = 0; k < labels.Count; k++)
        {
            var p = Math.Clamp((double)raw[_slotOfLabel[k]], 0, 1);
            scores[labels[k]] = p;
            if (labels[k] != Labels.Benign && p > bestHarmfulProbability)
            {
                bestHarmfulProbability = p;
                bestHarmful = labels[k];
            }
        }

        var harmful = Math.Clamp(1.0 - raw[_benignSlot], 0, 1);
        return new Prediction(harmful >= 0.5 ? bestHarmful : Labels.Benign, harmful, scores);
    }

    private static string[] SlotLabels(DataViewSchema outputSchema, IReadOnlyList<string> fallback)
    {
        var score = outputSchema["Score"];
        if (score.HasSlotNames())
        {
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            score.GetSlotNames(ref names);
            var result = names.DenseValues().Select(n => n.ToString()).ToArray();
            if (result.Length > 0)
            {
                return result;
            }
        }

        return fallback.ToArray();
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer model) : PooledObjectPolicy<PredictionEngine<ServingInput, ModelOutput>>
    {
        public override PredictionEngine<ServingInput, ModelOutput> Create() =>
            ml.Model.CreatePredictionEngine<ServingInput, ModelOutput>(model);

        public override bool Return(PredictionEngine<ServingInput, ModelOutput> obj) => true;
    }
}
