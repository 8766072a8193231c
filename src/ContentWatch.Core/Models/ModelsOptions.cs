using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Core.Models;

/// <summary>The model registry, live swaps, shadow mode, the promotion gate and rescoring.</summary>
public sealed class ModelsOptions
{
    public const string Section = "Models";

    /// <summary>Seconds between a node's looks at the registry for a newly active or shadow model.</summary>
    [Range(1, 50)]
    public int PollSeconds { get; set; } = 10;

    /// <summary>
    /// The golden set: a folder of JSONL files (id, writer, kind, lang, label, genre, text) never trained on. Relative
    /// paths are looked for under the working folder, then beside the program.
    /// </summary>
    [Required]
    public string GoldenPath { get; set; } = "models/golden";

    /// <summary>
    /// How much lower a candidate's harmful F1 or harmful recall (on the golden set), or its recall or precision (on
    /// officers' held-out decisions) may be than the active model's before the gate calls it worse.
    /// </summary>
    [Range(0.0, 0.5)]
    public double GateTolerance { get; set; } = 0.02;

    /// <summary>Officers' decisions of this many last days are the gate's second set (those held out from the candidate's training).</summary>
    [Range(1, 3_650)]
    public int GateDecisionDays { get; set; } = 30;

    /// <summary>The decision set is judged only with at least this many held-out decisions, of which at least a quarter confirmed.</summary>
    [Range(1, 100_000)]
    public int GateMinDecisions { get; set; } = 20;

    /// <summary>At most this many of the newest decisions are scored by the gate.</summary>
    [Range(1, 1_000_000)]
    public int GateMaxDecisions { get; set; } = 20_000;

    /// <summary>Items per rescore job.</summary>
    [Range(1, 10_000)]
    public int RescoreBatchSize { get; set; } = 500;

    /// <summary>How long a rescore batch belongs to the worker that took it before another may take it over.</summary>
    [Range(10, 3_600)]
    public int RescoreLeaseSeconds { get; set; } = 300;
}
