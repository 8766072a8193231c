using System.CommandLine;
using ContentWatch.Classifier;
using ContentWatch.Core.Classification;

namespace ContentWatch.Cli.Commands;

/// <summary>
/// <c>contentwatch lexicon check FILE</c>: validates a concept lexicon (<c>models/lexicon/concepts.json</c>) — every concept
/// has terms in every listed language, ids, polarity, term length and wildcards — and prints its size. Exit 1 with every
/// problem listed when it is not usable.
/// <c>contentwatch lexicon compare OLD NEW --input FILE…</c>: what an edit changes before a retrain — per concept, how many
/// harmful and benign items of labelled files (JSONL or CSV, as <c>evaluate</c> reads them) each lexicon matches, and how
/// many items match no concept at all.
/// </summary>
public static class LexiconCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The lexicon file, e.g. models/lexicon/concepts.json." };
        var check = new Command("check", "Validate a concept lexicon and print its size; exit 1 with every problem listed when it is not usable.") { file };
        check.SetAction(result => Check(result.GetRequiredValue(file)));
        var old = new Argument<string>("OLD") { Description = "The lexicon before the edit." };
        var edited = new Argument<string>("NEW") { Description = "The lexicon after the edit." };
        var input = new Option<string[]>("--input")
        {
            Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE",
            Description = "Labelled JSONL or CSV files (text, label, optional title), as evaluate reads them; repeat or list several.",
        };
        var compare = new Command("compare",
            "Count the harmful and benign items each of two lexicons matches, per concept, in labelled files (no model needed).")
        {
            old, edited, input,
        };
        compare.SetAction((result, ct) => CompareAsync(result.GetRequiredValue(old), result.GetRequiredValue(edited), result.GetRequiredValue(input), ct));
        return new Command("lexicon", "Work with the concept lexicon.") { check, compare };
    }

    private static int Check(string path)
    {
        var (lexicon, errors) = ConceptLexicon.TryParse(ConceptLexicon.ReadFile(path));
        if (lexicon is null)
        {
            Console.Error.WriteLine($"{path}: {errors.Count} problem(s)");
            foreach (var error in errors)
            {
                Console.Error.WriteLine("  " + error);
            }

            return 1;
        }

        var terms = lexicon.Concepts.Sum(c => c.Terms.Values.Sum(t => t.Count));
        Console.WriteLine($"{path}: version {lexicon.Version}, {lexicon.Concepts.Count} concepts, {lexicon.Languages.Count} languages, {terms} terms: ok");
        foreach (var concept in lexicon.Concepts)
        {
            Console.WriteLine($"  {concept.Id,-26} {concept.Polarity,-8} {concept.Terms.Values.Sum(t => t.Count),5} terms");
        }

        return 0;
    }

    private static async Task<int> CompareAsync(string oldPath, string newPath, string[] inputs, CancellationToken ct)
    {
        // Terms that normalise alike are allowed: an older lexicon may hold pairs that a newer normaliser folds together.
        var lexicons = new[] { oldPath, newPath }.Select(p => ConceptLexicon.Parse(ConceptLexicon.ReadFile(p), p, allowDuplicates: true)).ToArray();
        var ids = lexicons.SelectMany(l => l.Concepts.Select(c => c.Id)).Distinct().ToList();
        var index = ids.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => p.k, StringComparer.Ordinal);
        // counts[lexicon, harmful?1:0, concept]: the last column counts the items that match no concept, and its "gained"
        // the items that match none under OLD and some under NEW.
        var counts = new long[2, 2, ids.Count + 1];
        var gained = new long[2, ids.Count + 1];
        long[] items = [0, 0];
        var skipped = 0;
        foreach (var path in inputs)
        {
            if (!File.Exists(path))
            {
                throw new IOException($"no input file {path}");
            }

            await foreach (var (item, _) in EvaluationFile.ReadAsync(path, ct))
            {
                if (item is null)
                {
                    skipped++;
                    continue;
                }

                var harmful = item.Label == Labels.Benign ? 0 : 1;
                items[harmful]++;
                var text = LinearTextClassifier.ComposeText(new ClassifierInput(item.Text, item.Title, "post", item.Language));
                var matched = lexicons.Select(l => ConceptLexicon.ConceptsIn(TextNormalizer.Normalize(text, l)).Select(id => index[id]).ToHashSet()).ToArray();
                for (var l = 0; l < 2; l++)
                {
                    foreach (var c in matched[l])
                    {
                        counts[l, harmful, c]++;
                    }

                    if (matched[l].Count == 0)
                    {
                        counts[l, harmful, ids.Count]++;
                    }
                }

                foreach (var c in matched[1].Except(matched[0]))
                {
                    gained[harmful, c]++;
                }

                if (matched[0].Count == 0 && matched[1].Count > 0)
                {
                    gained[harmful, ids.Count]++;
                }
            }
        }

        if (items[0] + items[1] == 0)
        {
            Console.Error.WriteLine($"no labelled records in {string.Join(", ", inputs)} (need text and a label among {string.Join(", ", Labels.All)})");
            return 1;
        }

        Console.WriteLine($"old {oldPath}: version {lexicons[0].Version}; new {newPath}: version {lexicons[1].Version}");
        Console.WriteLine($"items: harmful {items[1]}, benign {items[0]}" + (skipped > 0 ? $" ({skipped} skipped: no text or no valid label)" : ""));
        Console.WriteLine($"{"share of items matched",-26} {"harmful old",12} {"new",7} {"gained",7}   {"benign old",11} {"new",7} {"gained",7}");
        string Share(long n, long of) => of == 0 ? "-" : (100.0 * n / of).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";
        for (var c = 0; c <= ids.Count; c++)
        {
            Console.WriteLine($"{(c < ids.Count ? ids[c] : "(no concept)"),-26} {Share(counts[0, 1, c], items[1]),12} {Share(counts[1, 1, c], items[1]),7} " +
                $"{Share(gained[1, c], items[1]),7}   {Share(counts[0, 0, c], items[0]),11} {Share(counts[1, 0, c], items[0]),7} {Share(gained[0, c], items[0]),7}");
        }

        Console.WriteLine("gained: items matched under NEW and not under OLD; on the (no concept) row, items that match no concept under OLD and some under NEW.");
        return 0;
    }
}
