using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace ContentWatch.Classifier;

/// <summary>
/// The ML.NET side of training. Features come from <see cref="Featurizer"/> (plain C#, shared with scoring), so the
/// pipeline is only the label mapping and a multiclass maximum-entropy trainer whose weights
/// <see cref="LinearModel"/> exports.
/// </summary>
internal static class ClassifierPipeline
{
    public const string LabelColumn = "Label";
    public const string WeightColumn = "Weight";
    public const string FeaturesColumn = "Features";

    /// <summary>The trainers <see cref="ModelTrainer"/> knows; all are linear maximum-entropy models that export to <see cref="LinearModel"/>.</summary>
    public static readonly IReadOnlyList<string> Trainers = ["sdca", "lbfgs"];

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
            L1Regularization = 0f,
            L2Regularization = 1e-3f,
            MaximumNumberOfIterations = 200,
            OptimizationTolerance = 1e-6f,
        }),
        _ => throw new ArgumentException($"Unknown trainer '{trainer}'. Use {string.Join(" or ", Trainers)}.", nameof(trainer)),
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
