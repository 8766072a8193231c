using System.Collections.Concurrent;

namespace ContentWatch.Classifier;

/// <summary>
/// A bounded, thread-safe cache of what is computed per word, keyed by the word's characters (looked up by span, no
/// string made on a hit). It stops growing at its capacity: only a speed-up, results never depend on it.
/// </summary>
internal sealed class WordCache<T>(int capacity, WordCache<T>.Compute compute)
    where T : class
{
    public delegate T Compute(ReadOnlySpan<char> word);

    private readonly ConcurrentDictionary<string, T> _entries = new(StringComparer.Ordinal);

    /// <summary>Entries added (the dictionary's own Count takes every lock, too slow per miss).</summary>
    private int _count;

    public int Capacity => capacity;

    public T Get(ReadOnlySpan<char> word)
    {
        var lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(word, out var cached))
        {
            return cached;
        }

        var computed = compute(word);
        if (Volatile.Read(ref _count) < capacity && lookup.TryAdd(word, computed))
        {
            Interlocked.Increment(ref _count);
        }

        return computed;
    }
}
