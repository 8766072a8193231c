using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContentWatch.Classifier;

/// <summary>
/// The analysts' concept lexicon (<c>models/lexicon/concepts.json</c>): concepts such as <c>escrow_payment</c> or
/// <c>guarantee_safety</c>, each with terms in every listed language. <see cref="TextNormalizer"/> finds the terms in a
/// normalised text and appends one token per concept found (<c>cw_c_escrow_payment</c>), so the model learns from the
/// concept in any language and evidence names it. Terms are normalised as texts are, matched as whole words in order;
/// a trailing <c>*</c> matches any word starting with the rest; Arabic-script words are also tried without a leading
/// article or proclitic (ال, وال, بال, فال, كال, لل, و, ب, ف, ل); Chinese, Japanese, Thai, Lao, Khmer and Burmese
/// terms match as substrings. The lexicon a model was trained with is stored in its model file. Thread-safe.
/// </summary>
public sealed partial class ConceptLexicon
{
    public const string DefaultPath = "models/lexicon/concepts.json";
    public const string TokenPrefix = "cw_c_";
    public const int MaxTermWords = 5;
    public const int MaxConcepts = 64;
    public const int MaxFileBytes = 4 << 20;

    /// <summary>A trailing-* term needs at least this many characters before the *.</summary>
    private const int PrefixHead = 3;

    private static readonly string[] ArabicProclitics = ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ف", "ل"];

    private readonly Dictionary<string, List<Entry>> _byFirstWord;
    private readonly Dictionary<string, List<Entry>>.AlternateLookup<ReadOnlySpan<char>> _byFirstWordSpan;
    /// <summary>Single-word prefix terms ("smuggl*") by their first <see cref="PrefixHead"/> characters: one look-up per word.</summary>
    private readonly Dictionary<string, (string Prefix, List<Entry> Entries)[]>.AlternateLookup<ReadOnlySpan<char>> _byPrefixHead;
    private readonly (string Term, int Concept)[] _substrings;

    private ConceptLexicon(string json, string version, IReadOnlyList<string> languages, IReadOnlyList<Concept> concepts)
    {
        Json = json;
        Version = version;
        Languages = languages;
        Concepts = concepts;
        Tokens = concepts.Select(c => TokenPrefix + c.Id).ToArray();
        _byFirstWord = new(StringComparer.Ordinal);
        var byFirstPrefix = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        var substrings = new List<(string, int)>();
        for (var c = 0; c < concepts.Count; c++)
        {
            foreach (var term in concepts[c].Terms.Values.SelectMany(t => t))
            {
                var normalized = NormalizeTerm(term);
                if (normalized.Length == 0)
                {
                    continue;
                }

                if (IsUnspacedScript(normalized))
                {
                    substrings.Add((normalized.TrimEnd('*'), c));
                    continue;
                }

                var words = Words(normalized);
                var lastIsPrefix = words[^1].EndsWith('*');
                if (lastIsPrefix)
                {
                    words[^1] = words[^1].TrimEnd('*');
                }

                var entry = new Entry(c, words[1..], lastIsPrefix);
                var index = words.Length == 1 && lastIsPrefix ? byFirstPrefix : _byFirstWord;
                if (!index.TryGetValue(words[0], out var list))
                {
                    index[words[0]] = list = [];
                }

                list.Add(entry);
            }
        }

        _byFirstWordSpan = _byFirstWord.GetAlternateLookup<ReadOnlySpan<char>>();
        _byPrefixHead = byFirstPrefix.GroupBy(p => p.Key[..PrefixHead], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => (p.Key, p.Value)).ToArray(), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _substrings = [.. substrings.Distinct()];
    }

    /// <summary>The file's text, as stored in a model file.</summary>
    public string Json { get; }

    public string Version { get; }

    public IReadOnlyList<string> Languages { get; }

    public IReadOnlyList<Concept> Concepts { get; }

    /// <summary>The feature token of each concept (<c>cw_c_ID</c>), in <see cref="Concepts"/> order.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Loads and checks a lexicon file; throws <see cref="InvalidDataException"/> listing every problem.</summary>
    public static ConceptLexicon Load(string path) => Parse(ReadFile(path), path);

    /// <summary>A lexicon file's text; throws when it is missing or larger than <see cref="MaxFileBytes"/>.</summary>
    public static string ReadFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Lexicon file {path} not found.", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"{path}: {info.Length:N0} bytes; a lexicon file is at most {MaxFileBytes:N0}.");
        }

        return File.ReadAllText(path);
    }

    /// <summary>Parses and checks lexicon JSON; throws <see cref="InvalidDataException"/> listing every problem.</summary>
    public static ConceptLexicon Parse(string json, string source = "lexicon", bool allowDuplicates = false)
    {
        var (lexicon, errors) = TryParse(json, allowDuplicates);
        return lexicon ?? throw new InvalidDataException($"{source}: {errors.Count} problem(s):\n  " + string.Join("\n  ", errors));
    }

    /// <summary>
    /// Every problem in a lexicon file, or none (then the lexicon); for <c>contentwatch lexicon check</c>.
    /// <paramref name="allowDuplicates"/> lets two terms that normalise alike pass (they match the same words): a
    /// model's own lexicon, checked when it was trained, may hold such pairs once the normaliser folds more letters.
    /// </summary>
    public static (ConceptLexicon? Lexicon, IReadOnlyList<string> Errors) TryParse(string json, bool allowDuplicates = false)
    {
        var errors = new List<string>();
        LexiconFile? file;
        try
        {
            file = JsonSerializer.Deserialize<LexiconFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            return (null, [$"not valid lexicon JSON: {e.Message}"]);
        }

        if (file is null)
        {
            return (null, ["empty file"]);
        }

        if (string.IsNullOrWhiteSpace(file.Version))
        {
            errors.Add("\"version\" is required");
        }

        var languages = file.Languages ?? [];
        if (languages.Count == 0)
        {
            errors.Add("\"languages\" must list the languages every concept covers");
        }

        foreach (var dup in languages.GroupBy(l => l).Where(g => g.Count() > 1))
        {
            errors.Add($"language {dup.Key} is listed twice");
        }

        var concepts = file.Concepts ?? [];
        if (concepts.Count == 0)
        {
            errors.Add("\"concepts\" is empty");
        }

        if (concepts.Count > MaxConcepts)
        {
            errors.Add($"{concepts.Count} concepts; at most {MaxConcepts}");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var concept in concepts)
        {
            var id = concept.Id ?? string.Empty;
            if (!IdRegex().IsMatch(id))
            {
                errors.Add($"concept id '{id}' must be lower snake case (a-z, 0-9, _), at most 40 characters");
            }
            else if (!ids.Add(id))
            {
                errors.Add($"concept id '{id}' is used twice");
            }

            if (concept.Polarity is not ("harmful" or "benign" or "neutral"))
            {
                errors.Add($"{id}: polarity must be harmful, benign or neutral");
            }

            if (string.IsNullOrWhiteSpace(concept.Description))
            {
                errors.Add($"{id}: description is required");
            }

            var terms = concept.Terms ?? [];
            foreach (var language in languages.Where(l => !terms.TryGetValue(l, out var list) || list is null || list.Count == 0))
            {
                errors.Add($"{id}: no terms in {language}");
            }

            foreach (var (language, list) in terms)
            {
                if (!languages.Contains(language))
                {
                    errors.Add($"{id}: language {language} is not in \"languages\"");
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var term in list ?? [])
                {
                    var problem = CheckTerm(term);
                    if (problem is not null)
                    {
                        errors.Add($"{id}/{language}: '{term}' {problem}");
                    }
                    else if (!seen.Add(NormalizeTerm(term)) && !allowDuplicates)
                    {
                        errors.Add($"{id}/{language}: '{term}' is listed twice (after normalising)");
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var parsed = concepts.Select(c => new Concept(c.Id!, c.Description!, c.Polarity!,
            c.Terms!.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value!, StringComparer.Ordinal))).ToList();
        return (new ConceptLexicon(json, file.Version!, languages, parsed), []);
    }

    /// <summary>
    /// Bit c is set when concept c has a term in <paramref name="normalized"/> (words as <see cref="FeatureHasher.NextWord"/>
    /// reads them, before indicator tokens are appended).
    /// </summary>
    public ulong Match(ReadOnlySpan<char> normalized)
    {
        var found = 0UL;
        var ranges = ArrayPool<(int Start, int End)>.Shared.Rent(normalized.Length / 2 + 1);
        try
        {
            var count = 0;
            var i = 0;
            while (FeatureHasher.NextWord(normalized, ref i, out var start))
            {
                ranges[count++] = (start, i);
            }

            var words = ranges.AsSpan(0, count);
            for (var w = 0; w < words.Length; w++)
            {
                var word = normalized[words[w].Start..words[w].End];
                found |= MatchAt(normalized, words, w, word);
                var bare = WithoutProclitic(word);
                if (!bare.IsEmpty)
                {
                    found |= MatchAt(normalized, words, w, bare);
                }
            }
        }
        finally
        {
            ArrayPool<(int, int)>.Shared.Return(ranges);
        }

        if (_substrings.Length > 0 && HasUnspacedScript(normalized))
        {
            foreach (var (term, concept) in _substrings)
            {
                if (normalized.Contains(term, StringComparison.Ordinal))
                {
                    found |= 1UL << concept;
                }
            }
        }

        return found;
    }

    /// <summary>The ids of the concepts whose tokens appear in a text normalised with this lexicon.</summary>
    public static IReadOnlyList<string> ConceptsIn(string normalized)
    {
        List<string>? found = null;
        var at = normalized.IndexOf(TokenPrefix, StringComparison.Ordinal);
        while (at >= 0)
        {
            var end = at + TokenPrefix.Length;
            while (end < normalized.Length && normalized[end] != ' ')
            {
                end++;
            }

            (found ??= []).Add(normalized[(at + TokenPrefix.Length)..end]);
            at = normalized.IndexOf(TokenPrefix, end, StringComparison.Ordinal);
        }

        return found ?? (IReadOnlyList<string>)[];
    }

    private ulong MatchAt(ReadOnlySpan<char> text, ReadOnlySpan<(int Start, int End)> words, int w, ReadOnlySpan<char> word)
    {
        var found = 0UL;
        if (_byFirstWordSpan.TryGetValue(word, out var entries))
        {
            found |= Verify(text, words, w, entries);
        }

        if (word.Length >= PrefixHead && _byPrefixHead.TryGetValue(word[..PrefixHead], out var prefixes))
        {
            foreach (var (prefix, prefixEntries) in prefixes)
            {
                if (word.StartsWith(prefix, StringComparison.Ordinal))
                {
                    found |= Verify(text, words, w, prefixEntries);
                }
            }
        }

        return found;
    }

    private static ulong Verify(ReadOnlySpan<char> text, ReadOnlySpan<(int Start, int End)> words, int w, List<Entry> entries)
    {
        var found = 0UL;
        foreach (var entry in entries)
        {
            if (w + entry.Rest.Length >= words.Length)
            {
                continue;
            }

            var match = true;
            for (var k = 0; k < entry.Rest.Length && match; k++)
            {
                var next = text[words[w + 1 + k].Start..words[w + 1 + k].End];
                var prefix = k == entry.Rest.Length - 1 && entry.LastIsPrefix;
                match = Same(next, entry.Rest[k], prefix) || Same(WithoutProclitic(next), entry.Rest[k], prefix);
            }

            if (match)
            {
                found |= 1UL << entry.Concept;
            }
        }

        return found;
    }

    private static bool Same(ReadOnlySpan<char> word, string term, bool prefix) =>
        prefix ? word.StartsWith(term, StringComparison.Ordinal) : word.SequenceEqual(term);

    /// <summary>An Arabic-script word without its leading article or proclitic (at least 3 letters left); otherwise empty.</summary>
    private static ReadOnlySpan<char> WithoutProclitic(ReadOnlySpan<char> word)
    {
        if (word.Length < 4 || word[0] is < '\u0600' or > '\u06FF')
        {
            return default;
        }

        foreach (var clitic in ArabicProclitics)
        {
            if (word.StartsWith(clitic, StringComparison.Ordinal) && word.Length - clitic.Length >= 3)
            {
                return word[clitic.Length..];
            }
        }

        return default;
    }

    /// <summary>Null when the term is usable, otherwise what is wrong with it.</summary>
    private static string? CheckTerm(string? term)
    {
        if (string.IsNullOrWhiteSpace(term))
        {
            return "is empty";
        }

        if (term.Length > 100)
        {
            return "is longer than 100 characters";
        }

        if (term.TrimEnd().TrimEnd('*').Contains('*', StringComparison.Ordinal))
        {
            return "has a * that is not at the end";
        }

        var normalized = NormalizeTerm(term);
        if (normalized.Length == 0)
        {
            return "has no letters left after normalising";
        }

        if (IsUnspacedScript(normalized))
        {
            return normalized.TrimEnd('*').Length < 2 ? "is shorter than 2 characters" : null;
        }

        var words = Words(normalized);
        if (words.Length > MaxTermWords)
        {
            return $"has {words.Length} words; at most {MaxTermWords}";
        }

        if (words[^1].EndsWith('*') && words[^1].TrimEnd('*').Length < PrefixHead)
        {
            return $"needs at least {PrefixHead} characters before *";
        }

        if (words.Length == 1 && !words[0].EndsWith('*') && words[0].Length < 2)
        {
            return "is a single character";
        }

        return null;
    }

    /// <summary>A term as texts are normalised (folded words, no indicator tokens); a trailing * is kept.</summary>
    internal static string NormalizeTerm(string term)
    {
        var star = term.TrimEnd().EndsWith('*');
        var words = Words(TextNormalizer.NormalizeWords(term.TrimEnd().TrimEnd('*')));
        return words.Length == 0 ? string.Empty : string.Join(' ', words) + (star ? "*" : string.Empty);
    }

    private static string[] Words(string normalized)
    {
        var words = new List<string>();
        var i = 0;
        while (FeatureHasher.NextWord(normalized, ref i, out var start))
        {
            words.Add(normalized[start..i]);
        }

        // A trailing * is a word separator for the featurizer; keep it on the last word.
        if (normalized.EndsWith('*') && words.Count > 0)
        {
            words[^1] += "*";
        }

        return [.. words];
    }

    private static bool IsUnspacedChar(char c) =>
        c is (>= '\u0E00' and <= '\u0EFF') or (>= '\u1000' and <= '\u109F') or (>= '\u1780' and <= '\u17FF')
            or (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF');

    private static bool IsUnspacedScript(string term) => term.Any(IsUnspacedChar);

    private static bool HasUnspacedScript(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c >= '\u0E00' && IsUnspacedChar(c))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private sealed record Entry(int Concept, string[] Rest, bool LastIsPrefix);

    private sealed record LexiconFile(string? Version, List<string>? Languages, List<ConceptFile>? Concepts);

    private sealed record ConceptFile(string? Id, string? Description, string? Polarity, Dictionary<string, List<string>?>? Terms);

    /// <summary>One concept: its id (the feature token is <c>cw_c_ID</c>), what it means, its usual polarity and its terms per language.</summary>
    public sealed record Concept(string Id, string Description, string Polarity, IReadOnlyDictionary<string, IReadOnlyList<string>> Terms);
}
