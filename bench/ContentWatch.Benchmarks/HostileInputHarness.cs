using System.Diagnostics;
using System.Globalization;
using ContentWatch.Core.Networks;

namespace ContentWatch.Benchmarks;

/// <summary>Time and memory of indicator extraction and MinHash for the worst texts intake accepts (20,000 characters).</summary>
public static class HostileInputHarness
{
    public static void Run()
    {
        var extractor = new IndicatorExtractor("GB");
        (string Name, string Text)[] cases =
        [
            ("20,000 digits", new string('7', 20_000)),
            ("20,000 characters of '+4477 '", string.Concat(Enumerable.Repeat("+4477 ", 3_334))[..20_000]),
            ("10,000 handles (t.me/h0001 … in 20,000+ characters, read up to 20,000)", "Telegram " + string.Join(' ', Enumerable.Range(0, 10_000).Select(i => $"t.me/h{i:0000}"))),
            ("10,000 @handles after 'telegram'", "telegram " + string.Join(' ', Enumerable.Range(0, 10_000).Select(i => $"@hh{i:0000}"))),
            ("2,000 phones", string.Join(", ", Enumerable.Range(0, 2_000).Select(i => $"+44 7700 9{i:00000}"))),
            ("20,000 dots and letters", string.Concat(Enumerable.Repeat("a.", 10_000))),
            ("20,000 '@'", new string('@', 20_000)),
            ("a typical advert", "Boat to UK from Calais every night, 1500 euro, guaranteed arrival, WhatsApp +44 7700 900123 or t.me/boss_uk"),
        ];
        foreach (var (name, text) in cases)
        {
            extractor.Extract(text);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            const int runs = 5;
            var found = 0;
            for (var r = 0; r < runs; r++)
            {
                var matches = extractor.Extract(text);
                MinHasher.Signature(MinHasher.Shape(text, matches));
                found = matches.Count;
            }

            var ms = watch.Elapsed.TotalMilliseconds / runs;
            var kb = (GC.GetAllocatedBytesForCurrentThread() - allocated) / runs / 1024.0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-72} {text.Length,7:N0} chars  {found,3} indicators  {ms,8:F2} ms  {kb,8:N0} KiB allocated"));
        }
    }
}
