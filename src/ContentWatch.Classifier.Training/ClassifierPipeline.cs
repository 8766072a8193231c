using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace ContentWatch.Classifier.Training;

/// <summary>
/// The ML.NET side of training. Features come from <see cref="FeatureHasher"/> (plain C#, shared with scoring), so the
/// pipeline is only the label mapping and a multiclass maximum-entropy trainer whose weights
/// <see cref="LinearModel"/> exports. The tree trainers are for the dev comparison only: nothing can serve them.
/// </summary>
internal static class ClassifierPipeline
{
    public const string LabelColumn = "Label";
    public const string WeightColumn = "Weight";
    public const string FeaturesColumn = "Features";

    /// <summary>The trainers <see cref="ModelTrainer"/> knows; all are linear maximum-entropy models that export to <see cref="LinearModel"/>.</summary>
    public static readonly IReadOnlyList<string> Trainers = ["sdca", "lbfgs"];

    /// <summary>
    /// Trainers <see cref="ModelTrainer"/> can add to the dev comparison but never save: tree ensembles do not export to
    /// <see cref="LinearModel"/>, so the serving path and the evidence (per-feature linear weights) cannot use them.
    /// They read <see cref="TreeInputColumns"/> columns of the same featurisation (see <see cref="ModelTrainer.TreeColumns"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> TreeTrainers = ["lightgbm", "fasttree"];

    /// <summary>
    /// How many columns of the feature vector a tree trainer sees: the ones in most train texts. FastTree gets fewer because
    /// its time grows with the columns (one-versus-all, 4 models, single thread): on the full data and a busy 2-core machine,
    /// 500 columns took 72 s, 2,000 took 343 s and 20,000 over 11 minutes; LightGBM took 136 s on 20,000.
    /// </summary>
    public static int TreeInputColumns(string trainer) => trainer == "fasttree" ? 1_000 : 20_000;

    /// <summary>L-BFGS's L2 regularisation unless the options say otherwise.</summary>
    public const float DefaultLbfgsL2 = 1e-2f;

    public static IEstimator<ITransformer> Trainer(MLContext ml, string trainer, float lbfgsL2 = DefaultLbfgsL2) => trainer switch
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
            L2Regularization = lbfgsL2,
            MaximumNumberOfIterations = 200,
            OptimizationTolerance = 1e-6f,
        }),
        _ => throw new ArgumentException($"Unknown trainer '{trainer}'. Use {string.Join(" or ", Trainers)}.", nameof(trainer)),
    };

    /// <summary>
    /// A tree trainer (one of <see cref="TreeTrainers"/>), single-threaded with a fixed seed so the comparison repeats:
    /// LightGBM multiclass (softmax), or one binary FastTree per label (one-versus-all, Platt-calibrated, normalised).
    /// </summary>
    public static IEstimator<ITransformer> TreeTrainer(MLContext ml, string trainer, int seed) => trainer switch
    {
        "lightgbm" => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            LabelColumnName = LabelColumn,
            FeatureColumnName = FeaturesColumn,
            ExampleWeightColumnName = WeightColumn,
            NumberOfThreads = 1,
            Seed = seed,
            NumberOfIterations = 100,
            LearningRate = 0.1,
            NumberOfLeaves = 31,
            MinimumExampleCountPerLeaf = 10,
            MaximumBinCountPerFeature = 32,
            Silent = true,
        }),
        "fasttree" => ml.MulticlassClassification.Trainers.OneVersusAll(
            ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                FeatureColumnName = FeaturesColumn,
                ExampleWeightColumnName = WeightColumn,
                NumberOfThreads = 1,
                Seed = seed,
                NumberOfTrees = 100,
                NumberOfLeaves = 20,
                MinimumExampleCountPerLeaf = 10,
                LearningRate = 0.2,
            }),
            labelColumnName: LabelColumn),
        _ => throw new ArgumentException($"Unknown tree trainer '{trainer}'. Use {string.Join(" or ", TreeTrainers)}.", nameof(trainer)),
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
