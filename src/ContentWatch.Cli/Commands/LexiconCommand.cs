using System.CommandLine;
using ContentWatch.Classifier;

namespace ContentWatch.Cli.Commands;

/// <summary>
/// <c>contentwatch lexicon check FILE</c>: validates a concept lexicon (<c>models/lexicon/concepts.json</c>) — every concept
/// has terms in every listed language, ids, polarity, term length and wildcards — and prints its size. Exit 1 with every
/// problem listed when it is not usable.
/// </summary>
public static class LexiconCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The lexicon file, e.g. models/lexicon/concepts.json." };
        var check = new Command("check", "Validate a concept lexicon and print its size; exit 1 with every problem listed when it is not usable.") { file };
        check.SetAction(result => Check(result.GetRequiredValue(file)));
        return new Command("lexicon", "Work with the concept lexicon.") { check };
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
}
