using ContentWatch.Core.Classification;
using Lingua;

namespace ContentWatch.Classifier;

/// <summary>
/// <see cref="ILanguageIdentifier"/> on Lingua (SearchPioneer.Lingua, Apache-2.0; 75 languages, n-gram models built into
/// the package), in its low-accuracy mode: measured here, the high-accuracy mode held 1.7 GB and stalled 15 s on its
/// first call, the low-accuracy mode 125 MB and under 1 s; both then took about 1.4 ms per corpus item, so only the
/// first <see cref="MaxChars"/> characters are read. Short texts are where the low-accuracy mode errs most (a short
/// Persian line can come out as Urdu). Thread-safe. Languages Lingua does not know (Pashto, Kurdish, Dari, Tigrinya in Latin
/// script, …) come back as their nearest known language or as null; a report's own <c>language</c> always wins.
/// </summary>
public sealed class LanguageIdentifier : ILanguageIdentifier
{
    /// <summary>Texts with fewer letters than this are not identified (a phone number, an emoji).</summary>
    public const int MinLetters = 3;

    /// <summary>Only the first characters are read: enough for the language, and the cost stays bounded.</summary>
    public const int MaxChars = 300;

    private static readonly Lazy<LanguageDetector> Detector = new(() => LanguageDetectorBuilder.FromAllLanguages().WithLowAccuracyMode().Build());

    public string? Identify(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var sample = text.Length > MaxChars ? text[..MaxChars] : text;
        if (sample.Count(char.IsLetter) < MinLetters)
        {
            return null;
        }

        var language = Detector.Value.DetectLanguageOf(sample);
        return language == Language.Unknown ? null : language.IsoCode6391().ToString().ToLowerInvariant();
    }
}
