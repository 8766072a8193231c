namespace ContentWatch.Classifier.Training;

/// <summary>Options for <see cref="ModelTrainer.TrainAsync"/>. Relative paths resolve against the current directory (the repo root for the CLI).</summary>
public sealed class ModelTrainerOptions
{
    /// <summary>Team corpus: every <c>*.jsonl</c> here is read (<c>{id, kind, lang, text, label, subtype}</c>).</summary>
    public string CorpusDirectory { get; set; } = "models/corpus";

    /// <summary>Public data (train splits only). Missing → the corpus alone is used. Null → public data is not read.</summary>
    public string? DataDirectory { get; set; } = "../shared/data";

    /// <summary>Where the model zip is written.</summary>
    public string OutputPath { get; set; } = ModelFile.DefaultPath;

    public int Seed { get; set; } = 1;

    /// <summary><c>lbfgs</c> (L-BFGS maximum entropy, default: best on dev) or <c>sdca</c> (SDCA maximum entropy, ~5× faster to train).</summary>
    public string Trainer { get; set; } = "lbfgs";

    /// <summary>Also train the other trainers on the same split and print a dev comparison; only <see cref="Trainer"/> is saved.</summary>
    public bool CompareTrainers { get; set; }

    /// <summary>
    /// Also train LightGBM and FastTree on the same split for the comparison (<see cref="ClassifierPipeline.TreeTrainers"/>),
    /// on the <see cref="ClassifierPipeline.TreeInputColumns"/> feature columns in most train texts. Never saved.
    /// </summary>
    public bool CompareTreeTrainers { get; set; }

    /// <summary>The review threshold is the highest harmful score that still keeps dev harmful recall at or above this.</summary>
    public double TargetHarmfulRecall { get; set; } = 0.95;

    /// <summary>Share of the total training weight that benign rows get; the harmful labels share the rest equally (0.25: all four alike).</summary>
    public double BenignShare { get; set; } = 0.5;

    /// <summary>L2 regularisation of the L-BFGS trainer.</summary>
    public float L2Regularization { get; set; } = ClassifierPipeline.DefaultLbfgsL2;

    /// <summary>Extra weight for team-corpus rows over public rows of the same label.</summary>
    public float CorpusWeight { get; set; } = 8f;

    /// <summary>
    /// The concept lexicon whose concept tokens become features (stored in the model file); a relative path is looked for
    /// under the working folder, then beside the program. Null or empty: none.
    /// </summary>
    public string? LexiconPath { get; set; } = ConceptLexicon.DefaultPath;

    /// <summary>
    /// Run leave-one-writer-out first (one extra training per corpus writer) and take the review threshold from its
    /// out-of-fold scores (best harmful F1 over all writers); otherwise the threshold comes from the dev split.
    /// </summary>
    public bool LeaveOneWriterOut { get; set; }

    /// <summary>
    /// With <see cref="LeaveOneWriterOut"/>: hold out only these writers (null: every writer). For experiments on a few
    /// folds; the review threshold then comes from these writers' out-of-fold scores alone.
    /// </summary>
    public IReadOnlyList<string>? FoldWriters { get; set; }

    /// <summary>
    /// With <see cref="LeaveOneWriterOut"/>: hold the writers out in this many groups instead of one at a time (0: one
    /// fold per writer). Each writer's items are still scored by a model trained without that writer, and without the
    /// other writers of its group: a little less training data per fold, and about writers ÷ groups times less work.
    /// Writers are dealt to groups largest first, each to the group with the fewest rows so far (deterministic).
    /// </summary>
    public int WriterGroups { get; set; }

    /// <summary>With <see cref="LeaveOneWriterOut"/>: write each held-out row's out-of-fold scores here as JSON Lines (null: not written).</summary>
    public string? OutOfFoldPath { get; set; }

    /// <summary>
    /// With <see cref="LeaveOneWriterOut"/>: train this many folds at once (each fold's trainer stays single-threaded, so
    /// every fold's scores are the same whatever the number). 1: one after another.
    /// </summary>
    public int ParallelFolds { get; set; } = 1;

    /// <summary>
    /// With <see cref="LeaveOneWriterOut"/>: the saved model is trained on every row, the dev split included, as each
    /// fold's model is trained on every row of the other writers; the dev figures in its metadata come from a twin
    /// trained without the dev split. Without leave-one-writer-out the threshold is chosen on dev, so dev must stay out.
    /// </summary>
    public bool AllRows { get; set; }

    /// <summary>
    /// A feature must occur in rows of at least this many writers (public rows count by source file) to get a weight
    /// (see <see cref="FeatureHasher.InverseDocumentFrequencies"/>); 1: no such rule.
    /// </summary>
    public int MinWriters { get; set; } = 1;

    /// <summary>
    /// Officers' decisions to add (the JSONL of <c>GET /api/training/examples</c>), or null. See
    /// <see cref="DecisionExamples"/> for what is added and how it is weighted.
    /// </summary>
    public string? DecisionsPath { get; set; }

    /// <summary>What the decisions came from, for the metadata; null: the file name of <see cref="DecisionsPath"/>.</summary>
    public string? DecisionsSource { get; set; }

    /// <summary>A decision weighs this many corpus rows of its label (before the platform and day caps).</summary>
    public double DecisionWeight { get; set; } = 3;

    /// <summary>No platform holds more than this share of the total decision weight.</summary>
    public double DecisionPlatformCap { get; set; } = 0.4;

    /// <summary>No UTC day holds more than this share of the total decision weight.</summary>
    public double DecisionDayCap { get; set; } = 0.2;

    /// <summary>Decisions taken at or after this time are held out (not trained on); null: none.</summary>
    public DateTimeOffset? DecisionsBefore { get; set; }

    /// <summary>Clock for the model version date and <c>trained_at</c>.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(CorpusDirectory))
        {
            throw new ArgumentException("CorpusDirectory is required.");
        }

        if (string.IsNullOrWhiteSpace(OutputPath))
        {
            throw new ArgumentException("OutputPath is required.");
        }

        if (!ClassifierPipeline.Trainers.Contains(Trainer))
        {
            throw new ArgumentException($"Unknown trainer '{Trainer}'. Use {string.Join(" or ", ClassifierPipeline.Trainers)}.");
        }

        if (TargetHarmfulRecall is <= 0 or > 1)
        {
            throw new ArgumentException("TargetHarmfulRecall must be in (0, 1].");
        }

        if (ParallelFolds is < 1 or > 64)
        {
            throw new ArgumentException("ParallelFolds must be in [1, 64].");
        }

        if (L2Regularization is < 0 or > 10)
        {
            throw new ArgumentException("L2Regularization must be in [0, 10].");
        }

        if (BenignShare is <= 0 or >= 1)
        {
            throw new ArgumentException("BenignShare must be in (0, 1).");
        }

        if (CorpusWeight <= 0)
        {
            throw new ArgumentException("CorpusWeight must be positive.");
        }

        if (MinWriters is < 1 or > 64)
        {
            throw new ArgumentException("MinWriters must be in [1, 64].");
        }

        if ((FoldWriters is not null || OutOfFoldPath is not null || WriterGroups != 0) && !LeaveOneWriterOut)
        {
            throw new ArgumentException("FoldWriters, WriterGroups and OutOfFoldPath go with LeaveOneWriterOut.");
        }

        if (WriterGroups is < 0 or 1 or > 1000)
        {
            throw new ArgumentException("WriterGroups must be 0 (one fold per writer) or in [2, 1000].");
        }

        if (AllRows && (!LeaveOneWriterOut || FoldWriters is not null))
        {
            throw new ArgumentException("AllRows goes with LeaveOneWriterOut over every writer: the review threshold must come from rows the model did not train on.");
        }

        if (DecisionWeight is <= 0 or > 1000 || double.IsNaN(DecisionWeight))
        {
            throw new ArgumentException("DecisionWeight must be in (0, 1000].");
        }

        if (DecisionPlatformCap is <= 0 or > 1 || DecisionDayCap is <= 0 or > 1 || double.IsNaN(DecisionPlatformCap) || double.IsNaN(DecisionDayCap))
        {
            throw new ArgumentException("DecisionPlatformCap and DecisionDayCap must be in (0, 1].");
        }

        foreach (var path in new[] { CorpusDirectory, DataDirectory, DecisionsPath })
        {
            if (path is not null && TrainingData.IsGolden(path))
            {
                throw new ArgumentException($"{path} is in models/golden/, the golden set, which is never trained on.");
            }
        }
    }
}

/// <summary>Training progress for a progress bar: step <see cref="Step"/> of <see cref="TotalSteps"/>, with a message.</summary>
public sealed record TrainingProgress(int Step, int TotalSteps, string Message);

/// <summary>What <see cref="ModelTrainer.TrainAsync"/> produced.</summary>
public sealed record TrainingResult(string OutputPath, ModelMetadata Metadata, TimeSpan Elapsed, long ModelBytes, string Report);
