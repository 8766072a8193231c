using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace ContentWatch.Classifier;

/// <summary>
/// The featurizer and trainer. Text is normalised by <see cref="TextNormalizer"/> before it enters the
/// pipeline, so the saved model needs no custom code to load. Features are hashed (no vocabulary stored),
/// which keeps the model file small and its size independent of the corpus:
/// word 1–2-grams (2^<see cref="WordBits"/> slots) and character 1–4-grams (2^<see cref="CharBits"/> slots),
/// each block L2-normalised.
/// </summary>
internal static class ClassifierPipeline
{
    public const string TextColumn = "Text";
    public const string LabelColumn = "Label";
    public const string WeightColumn = "Weight";
    public const string FeaturesColumn = "Features";

    public const int WordBits = 18;
    public const int CharBits = 18;
    public const int CharNgramLength = 4;

    /// <summary>Word boundaries for the word n-grams; char n-grams still see the punctuation.</summary>
    private static readonly char[] WordSeparators =
    [
        ' ', '\n', '\t', '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '"', '\'', '«', '»', '“', '”',
        '‘', '’', '/', '\\', '|', '<', '>', '*', '=', '~', '#', '…', '-', '–', '—', '•',
    ];

    public static IEstimator<ITransformer> Featurizer(MLContext ml) =>
        ml.Transforms.Text.TokenizeIntoWords("Words", TextColumn, WordSeparators)
            .Append(ml.Transforms.Conversion.Hash("WordIds", "Words", numberOfBits: 24))
            .Append(ml.Transforms.Text.ProduceHashedNgrams("WordGrams", "WordIds", numberOfBits: WordBits,
                ngramLength: 2, useAllLengths: true, seed: 314489979, maximumNumberOfInverts: 0))
            .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Chars", TextColumn, useMarkerCharacters: true))
            .Append(ml.Transforms.Text.ProduceHashedNgrams("CharGrams", "Chars", numberOfBits: CharBits,
                ngramLength: CharNgramLength, useAllLengths: true, seed: 314489979, maximumNumberOfInverts: 0))
            .Append(ml.Transforms.NormalizeLpNorm("WordGrams", norm: LpNormNormalizingEstimatorBase.NormFunction.L2))
            .Append(ml.Transforms.NormalizeLpNorm("CharGrams", norm: LpNormNormalizingEstimatorBase.NormFunction.L2))
            .Append(ml.Transforms.Concatenate(FeaturesColumn, "WordGrams", "CharGrams"))
            .Append(ml.Transforms.DropColumns("Words", "WordIds", "Chars", "WordGrams", "CharGrams"));

    public static IEstimator<ITransformer> Trainer(MLContext ml, string trainer) => trainer switch
    {
        "sdca" => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = LabelColumn,
            FeatureColumnName = FeaturesColumn,
            ExampleWeightColumnName = WeightColumn,
            NumberOfThreads = 1,
            L2Regularization = 1e-5f,
            L1Regularization = 0f,
            MaximumNumberOfIterations = 40,
            ConvergenceTolerance = 0.01f,
            Shuffle = true,
        }),
        "lbfgs" => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = LabelColumn,
            FeatureColumnName = FeaturesColumn,
            ExampleWeightColumnName = WeightColumn,
            NumberOfThreads = 1,
            L1Regularization = 1e-6f,
            L2Regularization = 1e-4f,
            MaximumNumberOfIterations = 200,
            OptimizationTolerance = 1e-6f,
        }),
        _ => throw new ArgumentException($"Unknown trainer '{trainer}'. Use 'sdca' or 'lbfgs'.", nameof(trainer)),
    };

    /// <summary>Maps the string label to a key with a fixed value order (<see cref="Core.Classification.Labels.All"/>).</summary>
    public static IEstimator<ITransformer> LabelToKey(MLContext ml)
    {
        var keys = ml.Data.LoadFromEnumerable(Core.Classification.Labels.All.Select(l => new LabelKey { Label = l }));
        return ml.Transforms.Conversion.MapValueToKey(LabelColumn, LabelColumn, keyData: keys);
    }

    private sealed class LabelKey
    {
        public string Label { get; set; } = string.Empty;
    }
}
