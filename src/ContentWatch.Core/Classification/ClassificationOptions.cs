using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Core.Classification;

public sealed class ClassificationOptions
{
    public const string Section = "Classification";

    /// <summary>
    /// The model file registered as the active model on first start, when the model registry has none; from then on the
    /// registry decides. Relative paths are resolved against the working folder, then the application's base folder.
    /// </summary>
    [Required]
    public string ModelPath { get; set; } = "models/contentwatch.model.zip";

    /// <summary>Items classified per claim.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 256;

    /// <summary>How long a claimed batch belongs to a worker before another may take it over.</summary>
    [Range(1, 3_600)]
    public int ClaimLeaseSeconds { get; set; } = 60;

    /// <summary>Harmful score at or above which an item goes to review. Empty: the threshold recorded in the model.</summary>
    [Range(0.0, 1.0)]
    public double? ReviewThreshold { get; set; }

    /// <summary>The review threshold a model's verdicts follow: the configured one, else the model's own.</summary>
    public double ThresholdOf(ITextClassifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ReviewThreshold ?? model.ReviewThreshold;
    }
}
